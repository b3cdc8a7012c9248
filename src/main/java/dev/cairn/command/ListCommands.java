package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.BlockedClients.TimeoutReply;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import dev.cairn.server.Server;
import dev.cairn.types.ListValue;
import dev.cairn.types.ValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The list commands (Redis's t_list.c), blocking ones included. Handlers follow the
 * template of {@link StringCommands}; the order in which each one parses its arguments
 * and looks its key up is Redis's, because it decides which error a bad request gets
 * (LRANGE checks its indexes before the key's type, LINDEX after it).
 *
 * <p>A list that loses its last element is deleted at once, with the pop's event then
 * "del", as Redis does: empty lists never exist. The blocking commands are the
 * non-blocking logic plus one {@link Client#blockOnKeys} call when every key is missing;
 * they run again, from the top, when a list is created at one of their keys.
 */
final class ListCommands {
    private ListCommands() {}

    private static final String POSITIVE = "ERR value is out of range, must be positive";

    private static final byte[] LPOP = Propagation.word("LPOP");
    private static final byte[] RPOP = Propagation.word("RPOP");
    private static final byte[] LMOVE = Propagation.word("LMOVE");
    private static final byte[] RPOPLPUSH = Propagation.word("RPOPLPUSH");
    private static final byte[] LEFT = Propagation.word("left");
    private static final byte[] RIGHT = Propagation.word("right");

    static void register(Map<String, CommandHandler> h) {
        h.put("lpush", c -> push(c, true, false));
        h.put("rpush", c -> push(c, false, false));
        h.put("lpushx", c -> push(c, true, true));
        h.put("rpushx", c -> push(c, false, true));
        h.put("lpop", c -> pop(c, true));
        h.put("rpop", c -> pop(c, false));
        h.put("llen", ListCommands::llen);
        h.put("lrange", ListCommands::lrange);
        h.put("lindex", ListCommands::lindex);
        h.put("lset", ListCommands::lset);
        h.put("lrem", ListCommands::lrem);
        h.put("ltrim", ListCommands::ltrim);
        h.put("linsert", ListCommands::linsert);
        h.put("lpos", ListCommands::lpos);
        h.put("lmove", c -> lmove(c, end(c, 3), end(c, 4), -1));
        h.put("rpoplpush", c -> lmove(c, false, true, -1));
        h.put("lmpop", c -> lmpop(c, 1, false));
        h.put("blpop", c -> blockingPop(c, true));
        h.put("brpop", c -> blockingPop(c, false));
        h.put("blmove", ListCommands::blmove);
        h.put("brpoplpush", c -> lmove(c, false, true, BlockingTimeout.deadline(c, 3)));
        h.put("blmpop", c -> lmpop(c, 2, true));
    }

    // ---- lookups and shared steps ----------------------------------------------------

    /** The entry's list, or WRONGTYPE. */
    private static ListValue asList(Entry e) {
        if (e.value() instanceof ListValue list) return list;
        throw new CommandError(ValueType.WRONGTYPE);
    }

    /** The list at the key for reading (counts a hit or miss), null if missing. */
    private static ListValue readList(Client c, byte[] key) {
        Entry e = c.db().lookupRead(key);
        return e == null ? null : asList(e);
    }

    /** The list at the key for writing, null if missing. */
    private static ListValue writeList(Client c, byte[] key) {
        Entry e = c.db().lookupWrite(key);
        return e == null ? null : asList(e);
    }

    /**
     * The list at one of the keys of BLPOP, BRPOP or BLMPOP. When the command runs again
     * for a client blocked on the keys (it is still marked blocked then), a key now of
     * another type is passed over: Redis serves a waiting client from the key that became
     * ready without looking at the others.
     */
    private static ListValue waitedList(Client c, byte[] key) {
        Entry e = c.db().lookupWrite(key);
        if (e == null || (c.blockedOnKeys() && !(e.value() instanceof ListValue))) return null;
        return asList(e);
    }

    /** LEFT or RIGHT (true for LEFT, the head), else a syntax error. */
    private static boolean end(Client c, int i) {
        if (c.argIs(i, "left")) return true;
        if (c.argIs(i, "right")) return false;
        throw new CommandError(CommandError.SYNTAX);
    }

    /**
     * Redis's getRangeLongFromObjectOrReply with an error text of its own: not a number
     * and out of range both get {@code error}.
     */
    private static long rangeLong(Client c, int i, long min, String error) {
        Long v = Numbers.parseStrictLong(c.arg(i));
        if (v == null || v < min) throw new CommandError(error);
        return v;
    }

    /** A new list whose nodes are bounded by list-max-listpack-size, as Redis's quicklist nodes. */
    static ListValue newList(Client c) {
        return new ListValue((int) c.server().config().listMaxListpackSize.value());
    }

    private static byte[] popEnd(ListValue list, boolean head) {
        return head ? list.removeFirst() : list.removeLast();
    }

    /** Pops an element straight into the reply, without copying it out of its node. */
    private static void popInto(Reply r, ListValue list, boolean head) {
        if (head) list.removeFirst(r::bulk);
        else list.removeLast(r::bulk);
    }

    /**
     * Redis's listElementsRemoved: the pop event, the key deleted with "del" when the list
     * is now empty, and one change per element popped.
     */
    private static void popped(Client c, byte[] key, ListValue list, boolean head, long count) {
        Database db = c.db();
        Server server = c.server();
        server.keyModified(db, key, KeyEvent.LIST, head ? "lpop" : "rpop");
        server.addDirty(count - 1);
        deleteIfEmpty(c, key, list);
    }

    private static void deleteIfEmpty(Client c, byte[] key, ListValue list) {
        if (list.length() > 0) return;
        c.db().remove(key);
        c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.GENERIC, "del");
    }

    // ---- push and pop ----------------------------------------------------------------

    /** LPUSH, RPUSH, and with {@code onlyExisting} LPUSHX and RPUSHX. */
    static void push(Client c, boolean head, boolean onlyExisting) {
        byte[] key = c.arg(1);
        Database db = c.db();
        ListValue list = writeList(c, key);
        int n = c.argc() - 2;
        if (list == null) {
            if (onlyExisting) {
                c.reply().integer(0);
                return;
            }
            list = newList(c);
            pushAll(c, list, head);
            db.add(key, list);
        } else {
            pushAll(c, list, head);
        }
        c.reply().integer(list.size());
        c.server().keyModified(db, key, KeyEvent.LIST, head ? "lpush" : "rpush");
        c.server().addDirty(n - 1);
    }

    private static void pushAll(Client c, ListValue list, boolean head) {
        for (int i = 2; i < c.argc(); i++) {
            if (head) list.addFirst(c.arg(i));
            else list.addLast(c.arg(i));
        }
    }

    /** LPOP and RPOP: one element as a bulk string, or with a count an array of them. */
    static void pop(Client c, boolean head) {
        if (c.argc() > 3) {
            throw new CommandError("ERR wrong number of arguments for '" + c.command().name() + "' command");
        }
        boolean withCount = c.argc() == 3;
        long count = withCount ? rangeLong(c, 2, 0, POSITIVE) : 0;
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        Reply r = c.reply();
        if (list == null) {
            if (withCount) r.nullArray();
            else r.nullBulk();
            return;
        }
        if (withCount && count == 0) {
            r.emptyArray();
            return;
        }
        if (!withCount) {
            popInto(r, list, head);
            popped(c, key, list, head, 1);
            return;
        }
        int n = (int) Math.min(count, list.length());
        r.array(n);
        for (int i = 0; i < n; i++) popInto(r, list, head);
        popped(c, key, list, head, n);
    }

    /**
     * BLPOP and BRPOP: pops from the first of the keys holding a list, replying the key
     * and the element; blocks when none does.
     */
    static void blockingPop(Client c, boolean head) {
        long deadline = BlockingTimeout.deadline(c, c.argc() - 1);
        for (int i = 1; i < c.argc() - 1; i++) {
            byte[] key = c.arg(i);
            ListValue list = waitedList(c, key);
            if (list == null) continue;
            Reply r = c.reply();
            r.array(2);
            r.bulk(key);
            popInto(r, list, head);
            popped(c, key, list, head, 1);
            // Propagated as the non-blocking pop it amounts to.
            c.server().propagation().rewrite(head ? LPOP : RPOP, key);
            return;
        }
        c.blockOnKeys(keys(c, 1, c.argc() - 1), ValueType.LIST, deadline, TimeoutReply.NULL_ARRAY);
    }

    /** Arguments {@code from} (inclusive) to {@code to} (exclusive), as the keys to wait on. */
    private static List<byte[]> keys(Client c, int from, int to) {
        return Arrays.asList(c.argv()).subList(from, to);
    }

    /**
     * LMPOP and BLMPOP (whose key count is at {@code numkeysIndex}): up to COUNT elements
     * from one end of the first list among the keys, replied with its key. BLMPOP checks
     * its timeout (argument 1) only after the other arguments.
     */
    static void lmpop(Client c, int numkeysIndex, boolean blocking) {
        long numkeys = rangeLong(c, numkeysIndex, 1, "ERR numkeys should be greater than 0");
        if (numkeys >= c.argc()) throw new CommandError(CommandError.SYNTAX);
        int endIndex = numkeysIndex + (int) numkeys + 1;
        if (endIndex >= c.argc()) throw new CommandError(CommandError.SYNTAX);
        boolean head = end(c, endIndex);
        long count = -1;
        for (int j = endIndex + 1; j < c.argc(); j++) {
            if (count == -1 && c.argIs(j, "count") && j + 1 < c.argc()) {
                count = rangeLong(c, ++j, 1, "ERR count should be greater than 0");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (count == -1) count = 1;
        long deadline = blocking ? BlockingTimeout.deadline(c, 1) : -1;
        for (int i = numkeysIndex + 1; i < endIndex; i++) {
            byte[] key = c.arg(i);
            ListValue list = blocking ? waitedList(c, key) : writeList(c, key);
            if (list == null) continue;
            int n = (int) Math.min(count, list.length());
            Reply r = c.reply();
            r.array(2);
            r.bulk(key);
            r.array(n);
            for (int k = 0; k < n; k++) popInto(r, list, head);
            popped(c, key, list, head, n);
            // Propagated as [LR]POP with the number of elements popped.
            c.server().propagation().rewrite(head ? LPOP : RPOP, key, Propagation.number(n));
            return;
        }
        if (!blocking) c.reply().nullArray();
        else c.blockOnKeys(keys(c, numkeysIndex + 1, endIndex), ValueType.LIST, deadline, TimeoutReply.NULL_ARRAY);
    }

    // ---- moving between lists --------------------------------------------------------

    static void blmove(Client c) {
        boolean fromHead = end(c, 3);
        boolean toHead = end(c, 4);
        lmove(c, fromHead, toHead, BlockingTimeout.deadline(c, 5));
    }

    /**
     * LMOVE and RPOPLPUSH, and with a deadline (not -1) BLMOVE and BRPOPLPUSH: pops from
     * the source, pushes onto the destination (created if missing; it may be the source
     * itself) and replies the element. The destination's type is checked before anything
     * moves. Events: the push on the destination, then the pop on the source.
     */
    static void lmove(Client c, boolean fromHead, boolean toHead, long deadline) {
        byte[] sourceKey = c.arg(1);
        byte[] destinationKey = c.arg(2);
        Database db = c.db();
        ListValue source = writeList(c, sourceKey);
        if (source == null) {
            if (deadline < 0 || c.blockingDenied()) c.reply().nullBulk();
            else c.blockOnKeys(keys(c, 1, 2), ValueType.LIST, deadline, TimeoutReply.NULL_ARRAY);
            return;
        }
        ListValue destination = writeList(c, destinationKey);
        byte[] value = popEnd(source, fromHead);
        boolean created = destination == null;
        if (created) destination = newList(c);
        if (toHead) destination.addFirst(value);
        else destination.addLast(value);
        if (created) db.add(destinationKey, destination);
        Server server = c.server();
        server.signalModifiedKey(db, destinationKey);
        server.notifyKeyspaceEvent(db, destinationKey, KeyEvent.LIST, toHead ? "lpush" : "rpush");
        c.reply().bulk(value);
        server.keyModified(db, sourceKey, KeyEvent.LIST, fromHead ? "lpop" : "rpop");
        deleteIfEmpty(c, sourceKey, source);
        if (deadline >= 0) {
            // BLMOVE and BRPOPLPUSH propagate as their non-blocking forms.
            byte[][] argv = c.argv();
            if (c.argc() != 6) {
                server.propagation().rewrite(RPOPLPUSH, argv[1], argv[2]);
            } else if (c.blockedOnKeys()) {
                // Served later, Redis builds the command anew, with its lower-case words.
                server.propagation().rewrite(LMOVE, argv[1], argv[2], fromHead ? LEFT : RIGHT, toHead ? LEFT : RIGHT);
            } else {
                server.propagation().rewrite(LMOVE, argv[1], argv[2], argv[3], argv[4]);
            }
        }
    }

    // ---- reading ---------------------------------------------------------------------

    static void llen(Client c) {
        ListValue list = readList(c, c.arg(1));
        c.reply().integer(list == null ? 0 : list.size());
    }

    static void lrange(Client c) {
        long start = c.argLong(2);
        long stop = c.argLong(3);
        ListValue list = readList(c, c.arg(1));
        Reply r = c.reply();
        if (list == null) {
            r.emptyArray();
            return;
        }
        long length = list.length();
        if (start < 0) start += length;
        if (stop < 0) stop += length;
        if (start < 0) start = 0;
        if (start > stop || start >= length) {
            r.emptyArray();
            return;
        }
        if (stop >= length) stop = length - 1;
        int n = (int) (stop - start + 1);
        // The elements go to the reply straight from the list's nodes.
        Reply.Bulks bulks = r.bulks(n);
        ListValue.Cursor cursor = list.cursor((int) start, true);
        for (int i = 0; i < n && cursor.next(); i++) bulks.add(cursor.buffer(), cursor.offset(), cursor.length());
        bulks.end();
    }

    /** The element at an index; the key is looked up (and type-checked) before the index is parsed. */
    static void lindex(Client c) {
        ListValue list = readList(c, c.arg(1));
        if (list == null) {
            c.reply().nullBulk();
            return;
        }
        long index = c.argLong(2);
        int at = position(list, index);
        if (at < 0) c.reply().nullBulk();
        else list.get(at, c.reply()::bulk);
    }

    /** The 0-based position of a (possibly negative) index, or -1 when out of range. */
    private static int position(ListValue list, long index) {
        long length = list.length();
        if (index < 0) index += length;
        return index < 0 || index >= length ? -1 : (int) index;
    }

    /**
     * LPOS: positions of the elements equal to the value, scanning from the head, or from
     * the tail for a negative RANK. RANK n skips the first n-1 matches, COUNT returns up
     * to that many positions (0 for all) as an array, MAXLEN compares at most that many
     * elements. Redis's arithmetic is kept as is: a RANK of LONG_MIN negates to itself
     * and so makes every match count.
     */
    static void lpos(Client c) {
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int j = 3; j < c.argc(); j++) {
            boolean more = j + 1 < c.argc();
            if (c.argIs(j, "rank") && more) {
                rank = c.argLong(++j);
                if (rank == 0) {
                    throw new CommandError("ERR RANK can't be zero: use 1 to start from the first match, 2 from the "
                            + "second ... or use negative to start from the end of the list");
                }
            } else if (c.argIs(j, "count") && more) {
                count = rangeLong(c, ++j, 0, "ERR COUNT can't be negative");
            } else if (c.argIs(j, "maxlen") && more) {
                maxlen = rangeLong(c, ++j, 0, "ERR MAXLEN can't be negative");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        boolean fromTail = rank < 0;
        if (fromTail) rank = -rank;
        ListValue list = readList(c, c.arg(1));
        Reply r = c.reply();
        if (list == null) {
            if (count != -1) r.emptyArray();
            else r.nullBulk();
            return;
        }
        byte[] element = c.arg(2);
        int length = list.length();
        int deferred = count != -1 ? r.deferredArray() : -1;
        long matches = 0;
        long found = 0;
        ListValue.Cursor cursor = list.cursor(fromTail ? length - 1 : 0, !fromTail);
        for (int k = 0; k < length && (maxlen == 0 || k < maxlen) && cursor.next(); k++) {
            int i = fromTail ? length - 1 - k : k;
            if (!cursor.equalTo(element)) continue;
            matches++;
            if (matches < rank) continue;
            if (deferred < 0) {
                r.integer(i);
                return;
            }
            found++;
            r.integer(i);
            if (count != 0 && matches - rank + 1 >= count) break;
        }
        if (deferred >= 0) r.setDeferredLength(deferred, '*', found);
        else r.nullBulk();
    }

    // ---- changing the middle ---------------------------------------------------------

    static void lset(Client c) {
        byte[] key = c.arg(1);
        Entry e = c.db().lookupWrite(key);
        if (e == null) throw new CommandError(CommandError.NO_SUCH_KEY);
        ListValue list = asList(e);
        int at = position(list, c.argLong(2));
        if (at < 0) throw new CommandError(CommandError.OUT_OF_RANGE);
        list.set(at, c.arg(3));
        c.reply().ok();
        c.server().keyModified(c.db(), key, KeyEvent.LIST, "lset");
    }

    /** LREM: count > 0 removes the first matches from the head, < 0 from the tail, 0 all. */
    static void lrem(Client c) {
        long count = c.argLong(2);
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        long limit = count == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(count);
        int removed = list.removeEqual(c.arg(3), limit, count < 0);
        c.reply().integer(removed);
        if (removed > 0) {
            c.server().keyModified(c.db(), key, KeyEvent.LIST, "lrem");
            c.server().addDirty(removed - 1);
        }
        deleteIfEmpty(c, key, list);
    }

    /** LTRIM: keeps the range; the "ltrim" event is raised even when nothing was removed. */
    static void ltrim(Client c) {
        long start = c.argLong(2);
        long stop = c.argLong(3);
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            c.reply().ok();
            return;
        }
        long length = list.length();
        if (start < 0) start += length;
        if (stop < 0) stop += length;
        if (start < 0) start = 0;
        long fromHead;
        long fromTail;
        if (start > stop || start >= length) {
            fromHead = length;
            fromTail = 0;
        } else {
            if (stop >= length) stop = length - 1;
            fromHead = start;
            fromTail = length - stop - 1;
        }
        list.removeRange(0, (int) fromHead);
        list.removeRange(list.length() - (int) fromTail, (int) fromTail);
        Server server = c.server();
        Database db = c.db();
        server.notifyKeyspaceEvent(db, key, KeyEvent.LIST, "ltrim");
        deleteIfEmpty(c, key, list);
        server.signalModifiedKey(db, key);
        server.addDirty(fromHead + fromTail);
        c.reply().ok();
    }

    /** LINSERT: the new length, -1 when the pivot is not found, 0 for a missing key. */
    static void linsert(Client c) {
        boolean after;
        if (c.argIs(2, "after")) after = true;
        else if (c.argIs(2, "before")) after = false;
        else throw new CommandError(CommandError.SYNTAX);
        byte[] key = c.arg(1);
        ListValue list = writeList(c, key);
        if (list == null) {
            c.reply().integer(0);
            return;
        }
        int pivot = list.indexOf(c.arg(3));
        if (pivot < 0) {
            c.reply().integer(-1);
            return;
        }
        list.insert(after ? pivot + 1 : pivot, c.arg(4));
        c.server().keyModified(c.db(), key, KeyEvent.LIST, "linsert");
        c.reply().integer(list.size());
    }
}
