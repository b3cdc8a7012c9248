package dev.cairn.command;

import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.LongDouble;
import dev.cairn.protocol.NumberFormat;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.types.HashValue;
import dev.cairn.types.Listpack;
import dev.cairn.types.MemberTable;
import dev.cairn.types.ValueType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash commands (Redis's t_hash.c), on {@link HashValue}. Writes look the key up
 * with {@link #writableHash}, which creates nothing: a command that creates a hash adds
 * it to the database only once it holds its fields, so an empty hash never exists, even
 * for a moment.
 */
final class HashCommands {
    private HashCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("hset", c -> hset(c, false));
        h.put("hmset", c -> hset(c, true));
        h.put("hsetnx", HashCommands::hsetnx);
        h.put("hget", HashCommands::hget);
        h.put("hmget", HashCommands::hmget);
        h.put("hgetall", c -> hgetall(c, true, true));
        h.put("hkeys", c -> hgetall(c, true, false));
        h.put("hvals", c -> hgetall(c, false, true));
        h.put("hdel", HashCommands::hdel);
        h.put("hexists", HashCommands::hexists);
        h.put("hlen", HashCommands::hlen);
        h.put("hstrlen", HashCommands::hstrlen);
        h.put("hincrby", HashCommands::hincrby);
        h.put("hincrbyfloat", HashCommands::hincrbyfloat);
        h.put("hscan", HashCommands::hscan);
        h.put("hrandfield", HashCommands::hrandfield);
    }

    /** The hash at a key for reading, null if missing; WRONGTYPE otherwise. */
    private static HashValue readHash(Client c, byte[] key) {
        Entry e = c.db().lookupRead(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.HASH);
        return (HashValue) e.value();
    }

    /** The hash at a key for writing, null if missing; WRONGTYPE otherwise. */
    private static HashValue writableHash(Client c, byte[] key) {
        Entry e = c.db().lookupWrite(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.HASH);
        return (HashValue) e.value();
    }

    private static long maxEntries(Client c) {
        return c.server().config().hashMaxListpackEntries.value();
    }

    private static long maxValue(Client c) {
        return c.server().config().hashMaxListpackValue.value();
    }

    /** Sets one field, in a hash that may be new (then added to the database). */
    private static void setField(Client c, byte[] key, HashValue h, boolean isNew, byte[] field, byte[] value) {
        h.set(field, value, maxEntries(c), maxValue(c));
        if (isNew) c.db().add(key, h);
    }

    // ---- setting -----------------------------------------------------------------------

    /** HSET replies the number of new fields, HMSET OK; both count one change per pair. */
    static void hset(Client c, boolean legacy) {
        if (c.argc() % 2 == 1) {
            throw new CommandError("ERR wrong number of arguments for '" + c.command().name() + "' command");
        }
        byte[] key = c.arg(1);
        HashValue h = writableHash(c, key);
        boolean isNew = h == null;
        if (isNew) h = new HashValue();
        long maxEntries = maxEntries(c), maxValue = maxValue(c);
        // Redis checks every argument's length before adding any.
        h.convertForArguments(c.argv(), 2, c.argc() - 1, maxValue);
        long added = 0;
        for (int i = 2; i < c.argc(); i += 2) {
            if (h.set(c.arg(i), c.arg(i + 1), maxEntries, maxValue)) added++;
        }
        if (isNew) c.db().add(key, h);
        if (legacy) c.reply().ok();
        else c.reply().integer(added);
        c.server().keyModified(c.db(), key, KeyEvent.HASH, "hset");
        c.server().addDirty((c.argc() - 2) / 2 - 1);
    }

    /** Sets the field only if absent; a long argument converts only when it is added. */
    static void hsetnx(Client c) {
        byte[] key = c.arg(1);
        HashValue h = writableHash(c, key);
        if (h != null && h.contains(c.arg(2))) {
            c.reply().integer(0);
            return;
        }
        boolean isNew = h == null;
        if (isNew) h = new HashValue();
        h.convertForArguments(c.argv(), 2, 3, maxValue(c));
        setField(c, key, h, isNew, c.arg(2), c.arg(3));
        c.reply().integer(1);
        c.server().keyModified(c.db(), key, KeyEvent.HASH, "hset");
    }

    // ---- reading -----------------------------------------------------------------------

    /** A field's value as a bulk reply, or null when the field is absent. */
    private static void replyField(Client c, HashValue h, byte[] field) {
        Reply r = c.reply();
        if (h == null || !h.read(field, r::bulk)) r.nullBulk();
    }

    static void hget(Client c) {
        HashValue h = readHash(c, c.arg(1));
        replyField(c, h, c.arg(2));
    }

    /** A missing key is an empty hash: one null per field. */
    static void hmget(Client c) {
        HashValue h = readHash(c, c.arg(1));
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) replyField(c, h, c.arg(i));
    }

    /**
     * HGETALL (a map in RESP3), HKEYS and HVALS (arrays); all in the hash's own order:
     * insertion order for a listpack, bucket order for a table.
     */
    static void hgetall(Client c, boolean fields, boolean values) {
        Reply r = c.reply();
        HashValue h = readHash(c, c.arg(1));
        boolean both = fields && values;
        if (h == null) {
            if (both) r.map(0);
            else r.emptyArray();
            return;
        }
        if (both) r.map(h.size());
        else r.array(h.size());
        Listpack lp = h.listpack();
        if (lp != null) {
            byte[] a = lp.array();
            for (int at = lp.first(); at < lp.end(); at = lp.next(at)) {
                if (fields) r.bulk(a, lp.start(at), lp.length(at));
                at = lp.next(at);
                if (values) r.bulk(a, lp.start(at), lp.length(at));
            }
        } else {
            h.table().forEach((f, v) -> {
                if (fields) r.bulk(f);
                if (values) r.bulk(v);
            });
        }
    }

    static void hexists(Client c) {
        HashValue h = readHash(c, c.arg(1));
        c.reply().integer(h != null && h.contains(c.arg(2)) ? 1 : 0);
    }

    static void hlen(Client c) {
        HashValue h = readHash(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.size());
    }

    static void hstrlen(Client c) {
        HashValue h = readHash(c, c.arg(1));
        c.reply().integer(h == null ? 0 : h.valueLength(c.arg(2)));
    }

    // ---- deleting ----------------------------------------------------------------------

    /** Deletes fields; the key goes with the last one ("hdel" then "del"). */
    static void hdel(Client c) {
        byte[] key = c.arg(1);
        HashValue h = writableHash(c, key);
        if (h == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int i = 2; i < c.argc(); i++) {
            if (h.delete(c.arg(i))) {
                deleted++;
                if (h.size() == 0) {
                    c.db().remove(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            c.server().keyModified(c.db(), key, KeyEvent.HASH, "hdel");
            if (keyRemoved) c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.GENERIC, "del");
            c.server().addDirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    // ---- counters ----------------------------------------------------------------------

    static void hincrby(Client c) {
        long by = c.argLong(3);
        byte[] key = c.arg(1);
        byte[] field = c.arg(2);
        HashValue h = writableHash(c, key);
        long value = 0;
        byte[] current = h == null ? null : h.get(field);
        if (current != null) {
            Long parsed = Numbers.parseStrictLong(current);
            if (parsed == null) throw new CommandError("ERR hash value is not an integer");
            value = parsed;
        }
        if ((by < 0 && value < 0 && by < Long.MIN_VALUE - value)
                || (by > 0 && value > 0 && by > Long.MAX_VALUE - value)) {
            throw new CommandError("ERR increment or decrement would overflow");
        }
        value += by;
        boolean isNew = h == null;
        if (isNew) h = new HashValue();
        setField(c, key, h, isNew, field, Numbers.bytes(value));
        c.reply().integer(value);
        c.server().keyModified(c.db(), key, KeyEvent.HASH, "hincrby");
    }

    /**
     * Long double arithmetic and printing as INCRBYFLOAT ({@link LongDouble}); the value
     * is stored as the printed text.
     */
    static void hincrbyfloat(Client c) {
        LongDouble by = LongDouble.parse(c.arg(3));
        if (by == null) throw new CommandError(CommandError.NOT_FLOAT);
        if (!by.isFinite()) throw new CommandError("ERR value is NaN or Infinity");
        byte[] key = c.arg(1);
        byte[] field = c.arg(2);
        HashValue h = writableHash(c, key);
        LongDouble value = LongDouble.ZERO;
        byte[] current = h == null ? null : h.get(field);
        if (current != null) {
            value = LongDouble.parse(current);
            if (value == null) throw new CommandError("ERR hash value is not a float");
        }
        LongDouble sum = value.plus(by);
        if (!sum.isFinite()) throw new CommandError("ERR increment would produce NaN or Infinity");
        byte[] text = NumberFormat.humanLongDouble(sum.exact()).getBytes(StandardCharsets.US_ASCII);
        boolean isNew = h == null;
        if (isNew) h = new HashValue();
        setField(c, key, h, isNew, field, text);
        c.reply().bulk(text);
        c.server().keyModified(c.db(), key, KeyEvent.HASH, "hincrbyfloat");
        // Propagated as the value reached, so that float formatting cannot diverge.
        c.server().propagation().rewrite(HSET, key, field, text);
    }

    private static final byte[] HSET = dev.cairn.server.Propagation.word("HSET");

    // ---- HSCAN -------------------------------------------------------------------------

    static void hscan(Client c) {
        long cursor = KeyCommands.parseCursor(c.arg(2));
        HashValue h = readHash(c, c.arg(1));
        if (h == null) {
            Reply r = c.reply();
            r.array(2);
            r.bulk("0");
            r.emptyArray();
            return;
        }
        MemberTable<byte[]> table = h.table();
        if (table == null) {
            CollectionScan.run(c, cursor, true, (ignored, emit) -> {
                h.forEach((f, v) -> {
                    emit.accept(f);
                    emit.accept(v);
                });
                return 0;
            }, true);
        } else {
            CollectionScan.run(c, cursor, true, (at, emit) -> table.scan(at, (f, v) -> {
                emit.accept(f);
                emit.accept(v);
            }), false);
        }
    }

    // ---- HRANDFIELD ----------------------------------------------------------------------

    /**
     * HRANDFIELD key: one random field, or null. With a count: up to count distinct
     * fields, or exactly -count fields that may repeat; WITHVALUES adds each value (pairs
     * in RESP3, a flat list in RESP2).
     */
    static void hrandfield(Client c) {
        if (c.argc() >= 3) {
            long count = c.argLong(2);
            if (count == Long.MIN_VALUE) {
                throw new CommandError("ERR value is out of range, value must between -9223372036854775807 and "
                        + "9223372036854775807");
            }
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withvalues"))) {
                throw new CommandError(CommandError.SYNTAX);
            }
            boolean withValues = c.argc() == 4;
            // Twice the count is replied with values; Redis refuses counts where that overflows.
            if (withValues && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
                throw new CommandError("ERR value is out of range");
            }
            randomFields(c, count, withValues);
            return;
        }
        HashValue h = readHash(c, c.arg(1));
        if (h == null) {
            c.reply().nullBulk();
            return;
        }
        Listpack lp = h.listpack();
        if (lp == null) {
            c.reply().bulk(randomPair(h.table(), ThreadLocalRandom.current())[0]);
        } else {
            int at = lp.offsetOf(2 * ThreadLocalRandom.current().nextInt(lp.count() / 2));
            c.reply().bulk(lp.array(), lp.start(at), lp.length(at));
        }
    }

    /**
     * Redis's hrandfieldWithCountCommand. A negative count picks each field independently
     * (fields repeat, in random order); a positive one returns distinct fields: the whole
     * hash when the count covers it, else a random subset.
     */
    private static void randomFields(Client c, long requested, boolean withValues) {
        HashValue h = readHash(c, c.arg(1));
        Reply r = c.reply();
        if (h == null || requested == 0) {
            r.emptyArray();
            return;
        }
        long count = Math.abs(requested);
        boolean nested = withValues && r.resp3();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        MemberTable<byte[]> table = h.table();
        long size = h.size();
        if (requested < 0 || count == 1) {
            r.array(withValues && !nested ? count * 2 : count);
            if (table != null && count < size) {
                for (long n = 0; n < count; n++) {
                    byte[][] pair = randomPair(table, rnd);
                    replyPair(r, pair[0], pair[1], withValues, nested);
                }
            } else {
                // Listing the fields once makes each pick O(1) and exactly uniform (a random
                // bucket's chain favours the fields of short chains).
                Indexed fields = Indexed.of(h);
                for (long n = 0; n < count; n++) fields.reply(r, rnd.nextInt(fields.size()), withValues, nested);
            }
            return;
        }
        int replied = (int) Math.min(count, size);
        r.array(withValues && !nested ? replied * 2L : replied);
        if (table != null && count <= size / 3) {
            // Few fields out of many: random picks until enough distinct ones were drawn.
            // A field's array is its identity: the table holds one per field.
            Map<byte[], Boolean> drawn = new IdentityHashMap<>();
            while (drawn.size() < replied) {
                byte[][] pair = randomPair(table, rnd);
                if (drawn.put(pair[0], Boolean.TRUE) == null) replyPair(r, pair[0], pair[1], withValues, nested);
            }
            return;
        }
        Indexed fields = Indexed.of(h);
        int[] order = randomSubset(fields.size(), replied, rnd);
        for (int i = 0; i < replied; i++) fields.reply(r, order[i], withValues, nested);
    }

    /**
     * A hash's fields and values by index, in the hash's order: the offsets of a
     * listpack's fields, or a table's fields and values listed once.
     */
    private record Indexed(Listpack lp, int[] offsets, List<byte[]> fields, List<byte[]> values) {
        static Indexed of(HashValue h) {
            Listpack lp = h.listpack();
            if (lp != null) {
                int[] offsets = new int[lp.count() / 2];
                int i = 0;
                for (int at = lp.first(); at < lp.end(); at = lp.next(lp.next(at))) offsets[i++] = at;
                return new Indexed(lp, offsets, null, null);
            }
            List<byte[]> fields = new ArrayList<>(h.table().size());
            List<byte[]> values = new ArrayList<>(h.table().size());
            h.table().forEach((f, v) -> {
                fields.add(f);
                values.add(v);
            });
            return new Indexed(null, null, fields, values);
        }

        int size() {
            return lp != null ? offsets.length : fields.size();
        }

        /** The i-th field (and value), as a pair in RESP3 when {@code nested}. */
        void reply(Reply r, int i, boolean withValues, boolean nested) {
            if (lp == null) {
                replyPair(r, fields.get(i), values.get(i), withValues, nested);
                return;
            }
            if (nested) r.array(2);
            int at = offsets[i];
            r.bulk(lp.array(), lp.start(at), lp.length(at));
            if (withValues) {
                at = lp.next(at);
                r.bulk(lp.array(), lp.start(at), lp.length(at));
            }
        }
    }

    /**
     * {@code picked} distinct indexes out of {@code size} in the first places of the
     * result (a partial Fisher-Yates shuffle); the whole range, in order, when all are
     * picked.
     */
    private static int[] randomSubset(int size, int picked, ThreadLocalRandom rnd) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        if (picked == size) return order;
        for (int i = 0; i < picked; i++) {
            int j = i + rnd.nextInt(size - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Chains assumed at most this long until a longer one is met (a near certainty). */
    private static final int CHAIN_BOUND = 8;

    /**
     * A random field and its value, every field equally likely: a random bucket and a
     * random place among {@code bound} in its chain, retried while that place is empty.
     * Taking a random field of a random bucket instead would favour the fields alone in
     * their bucket over those sharing one. A chain longer than the bound raises it.
     */
    private static byte[][] randomPair(MemberTable<byte[]> table, ThreadLocalRandom rnd) {
        byte[][] picked = new byte[2][];
        int[] length = new int[1];
        int bound = CHAIN_BOUND;
        while (true) {
            int place = rnd.nextInt(bound);
            length[0] = 0;
            // A scan step's cursor is a bucket index: it emits that bucket's chain.
            table.scan(rnd.nextInt(table.buckets()), (f, v) -> {
                if (length[0]++ == place) {
                    picked[0] = f;
                    picked[1] = v;
                }
            });
            if (length[0] > bound) {
                bound = length[0];
                picked[0] = null;
            } else if (picked[0] != null) {
                return picked;
            }
        }
    }

    private static void replyPair(Reply r, byte[] field, byte[] value, boolean withValues, boolean nested) {
        if (nested) r.array(2);
        r.bulk(field);
        if (withValues) r.bulk(value);
    }
}
