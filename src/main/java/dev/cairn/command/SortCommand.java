package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Reply;
import dev.cairn.protocol.Strtod;
import dev.cairn.server.Client;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.SetValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import dev.cairn.types.ZSetValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * SORT and SORT_RO (Redis's sort.c): the elements of a list, set or sorted set, ordered
 * as numbers or as strings, by themselves or by the values of other keys ({@code BY
 * weight_*}, {@code BY hash_*->field}), sliced with LIMIT, projected with GET, and
 * returned or stored as a list.
 *
 * <p>The order of the steps is Redis's because it decides which error a bad request
 * gets: the options are parsed first (LIMIT's numbers at once), then the key is looked
 * up, then the elements are weighed; a weight that is not a number fails the command
 * only after all were weighed.
 */
final class SortCommand {
    private SortCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("sort", c -> sort(c, false));
        h.put("sort_ro", c -> sort(c, true));
    }

    /** One element being sorted, with what it is sorted by. */
    private static final class Item {
        final byte[] element;
        double score;
        /** The BY value for an ALPHA sort; null when the weight key is missing. */
        byte[] weight;

        Item(byte[] element) {
            this.element = element;
        }
    }

    /** SORT's options once parsed. */
    private static final class Options {
        boolean desc;
        boolean alpha;
        long limitStart;
        long limitCount = -1;
        byte[] by;
        boolean dontSort;
        byte[] store;
        final List<byte[]> gets = new ArrayList<>();
    }

    static void sort(Client c, boolean readOnly) {
        Options o = parse(c, readOnly);
        Database db = c.db();
        Entry e = db.lookupRead(c.arg(1));
        Object value = e == null ? null : e.value();
        ValueType type = value == null ? ValueType.LIST : ValueType.of(value);
        if (type != ValueType.LIST && type != ValueType.SET && type != ValueType.ZSET) {
            throw new CommandError(ValueType.WRONGTYPE);
        }
        // An unsorted set would come out in hash-table order, which differs between a
        // master and its replicas: when the result is stored, sort it as strings instead.
        if (o.dontSort && type == ValueType.SET && o.store != null) {
            o.dontSort = false;
            o.alpha = true;
            o.by = null;
        }
        // Redis converts a listpack sorted set for SORT, for good (OBJECT ENCODING shows it).
        if (value instanceof ZSetValue zset) zset.convertToSkiplist();
        int size = value == null ? 0 : (int) ((dev.cairn.types.CollectionValue) value).size();

        // LIMIT, clamped to the collection as Redis does.
        long start = Math.min(Math.max(o.limitStart, 0), size);
        long count = Math.min(Math.max(o.limitCount, -1), size);
        long end = count < 0 ? size - 1 : start + count - 1;
        if (start >= size) {
            start = size - 1;
            end = size - 2;
        }
        if (end >= size) end = size - 1;

        List<Item> items = load(value, o, start, end);
        if (o.dontSort && (type == ValueType.LIST || type == ValueType.ZSET)) {
            // Already just the range, in the requested direction.
            end -= start;
            start = 0;
        }
        boolean notANumber = false;
        if (!o.dontSort) {
            for (Item item : items) {
                byte[] by = o.by == null ? item.element : lookupByPattern(db, o.by, item.element);
                if (by == null) continue;
                if (o.alpha) {
                    if (o.by != null) item.weight = by;
                } else {
                    double score = Strtod.parseSortWeight(by);
                    if (Double.isNaN(score)) notANumber = true;
                    else item.score = score;
                }
            }
            items.sort(comparator(o));
        }
        int getops = o.gets.size();
        long outputLength = end < start ? 0 : (getops == 0 ? 1 : getops) * (end - start + 1);
        if (notANumber) throw new CommandError("ERR One or more scores can't be converted into double");
        if (o.store == null) {
            Reply r = c.reply();
            r.array(outputLength);
            for (long j = start; j <= end; j++) {
                Item item = items.get((int) j);
                if (getops == 0) r.bulk(item.element);
                for (byte[] pattern : o.gets) {
                    byte[] v = lookupByPattern(db, pattern, item.element);
                    if (v == null) r.nullBulk();
                    else r.bulk(v);
                }
            }
            return;
        }
        ListValue stored = ListCommands.newList(c);
        for (long j = start; j <= end; j++) {
            Item item = items.get((int) j);
            if (getops == 0) stored.addLast(item.element);
            for (byte[] pattern : o.gets) {
                byte[] v = lookupByPattern(db, pattern, item.element);
                stored.addLast(v == null ? new byte[0] : v);
            }
        }
        if (outputLength > 0) {
            db.set(o.store, stored, false);
            c.server().signalModifiedKey(db, o.store);
            c.server().notifyKeyspaceEvent(db, o.store, KeyEvent.LIST, "sortstore");
            c.server().addDirty(outputLength);
        } else if (db.delete(o.store)) {
            c.server().keyModified(db, o.store, KeyEvent.GENERIC, "del");
        }
        c.reply().integer(outputLength);
    }

    private static Options parse(Client c, boolean readOnly) {
        Options o = new Options();
        for (int j = 2; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (c.argIs(j, "asc")) {
                o.desc = false;
            } else if (c.argIs(j, "desc")) {
                o.desc = true;
            } else if (c.argIs(j, "alpha")) {
                o.alpha = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                o.limitStart = c.argLong(j + 1);
                o.limitCount = c.argLong(j + 2);
                j += 2;
            } else if (!readOnly && c.argIs(j, "store") && left >= 1) {
                o.store = c.arg(++j);
            } else if (c.argIs(j, "by") && left >= 1) {
                o.by = c.arg(++j);
                // A pattern without '*' names one key for every element: nothing to sort by.
                if (indexOf(o.by, (byte) '*', 0) < 0) o.dontSort = true;
            } else if (c.argIs(j, "get") && left >= 1) {
                o.gets.add(c.arg(++j));
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        return o;
    }

    /**
     * The elements to sort. Without sorting, a list or sorted set gives only the LIMIT
     * range, in the requested direction; otherwise everything is loaded.
     */
    private static List<Item> load(Object value, Options o, long start, long end) {
        List<Item> items = new ArrayList<>();
        switch (value) {
            case null -> {}
            case ListValue list -> {
                if (!o.dontSort) {
                    list.forEach(element -> items.add(new Item(element)));
                } else if (end >= start) {
                    int n = list.length();
                    // One walk from the range's first element, in the requested direction.
                    ListValue.Cursor cursor = list.cursor((int) (o.desc ? n - 1 - start : start), !o.desc);
                    for (long j = start; j <= end && cursor.next(); j++) items.add(new Item(cursor.copy()));
                }
            }
            case SetValue set -> set.forEach(member -> items.add(new Item(member)));
            case ZSetValue zset -> {
                if (!o.dontSort) {
                    zset.forEach((buf, off, len, score) -> items.add(new Item(Arrays.copyOfRange(buf, off, off + len))));
                } else if (end >= start) {
                    zset.rangeByRank(start, end, o.desc,
                            (buf, off, len, score) -> items.add(new Item(Arrays.copyOfRange(buf, off, off + len))));
                }
            }
            default -> throw new IllegalStateException("SORT of " + value.getClass());
        }
        return items;
    }

    /**
     * Redis's sortCompare: numbers by score with ties broken by the elements' bytes; ALPHA
     * by the elements' bytes, or by the BY values with missing ones first.
     */
    private static Comparator<Item> comparator(Options o) {
        Comparator<Item> cmp;
        if (!o.alpha) {
            cmp = (a, b) -> a.score > b.score ? 1 : a.score < b.score ? -1 : Arrays.compareUnsigned(a.element, b.element);
        } else if (o.by != null) {
            cmp = (a, b) -> {
                if (a.weight == null || b.weight == null) return a.weight == b.weight ? 0 : a.weight == null ? -1 : 1;
                return Arrays.compareUnsigned(a.weight, b.weight);
            };
        } else {
            cmp = (a, b) -> Arrays.compareUnsigned(a.element, b.element);
        }
        return o.desc ? cmp.reversed() : cmp;
    }

    /**
     * The value a BY or GET pattern names for an element (Redis's lookupKeyByPattern):
     * {@code #} is the element itself; otherwise the first {@code *} is replaced by the
     * element and the result is a string key, or with {@code ->field} a hash field. Null
     * when the pattern has no {@code *} or the key is missing or of another type.
     */
    static byte[] lookupByPattern(Database db, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') return element;
        int star = indexOf(pattern, (byte) '*', 0);
        if (star < 0) return null;
        int arrow = indexOfArrow(pattern, star + 1);
        byte[] field = null;
        int keyEnd = pattern.length;
        if (arrow >= 0 && arrow + 2 < pattern.length) {
            field = Arrays.copyOfRange(pattern, arrow + 2, pattern.length);
            keyEnd = arrow;
        }
        byte[] key = new byte[keyEnd - 1 + element.length];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Entry e = db.lookupRead(key);
        if (e == null) return null;
        if (field != null) return e.value() instanceof HashValue hash ? hash.get(field) : null;
        return ValueType.of(e.value()) == ValueType.STRING ? Strings.bytes(e.value()) : null;
    }

    private static int indexOf(byte[] b, byte wanted, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == wanted) return i;
        return -1;
    }

    private static int indexOfArrow(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '-' && b[i + 1] == '>') return i;
        return -1;
    }

    /**
     * The keys of a SORT request as Redis's sortGetKeys finds them for COMMAND GETKEYS:
     * the sorted key and, when STORE is given, its destination (LIMIT's two arguments and
     * BY's and GET's one are skipped while looking for STORE).
     */
    static List<Integer> keyPositions(byte[][] argv) {
        List<Integer> keys = new ArrayList<>(List.of(1));
        Integer store = null;
        for (int i = 2; i < argv.length; i++) {
            String word = new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            switch (word) {
                case "limit" -> i += 2;
                case "get", "by" -> i += 1;
                case "store" -> {
                    if (i + 1 < argv.length) store = ++i;
                }
                default -> {}
            }
        }
        if (store != null) keys.add(store);
        return keys;
    }
}
