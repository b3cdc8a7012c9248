package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import dev.cairn.server.Server;
import dev.cairn.types.SetValue;
import dev.cairn.types.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The set commands (Redis's t_set.c). The order of lookups, type checks and replies is
 * Redis's, as are the strategies of SPOP and SRANDMEMBER with a count and of SDIFF: they
 * decide which members a reply lists in which order, and which encoding a result gets.
 */
final class SetCommands {
    private SetCommands() {}

    /** SPOP with a count rebuilds the set from the members it keeps when it pops over 5/6 of it. */
    private static final long SPOP_MOVE_STRATEGY_MUL = 5;
    /** SRANDMEMBER with a count removes from a copy of the set when it asks for over a third of it. */
    private static final long SRANDMEMBER_SUB_STRATEGY_MUL = 3;
    /**
     * SRANDMEMBER with a negative count repeats members without end; past this much pending
     * output the client is dropped, where Redis would exhaust its memory (Redis stops only
     * at an output buffer limit, and normal clients have none by default).
     */
    private static final long REPLY_SAFETY_LIMIT = 256L << 20;

    static void register(Map<String, CommandHandler> h) {
        h.put("sadd", SetCommands::sadd);
        h.put("srem", SetCommands::srem);
        h.put("smove", SetCommands::smove);
        h.put("sismember", SetCommands::sismember);
        h.put("smismember", SetCommands::smismember);
        h.put("scard", SetCommands::scard);
        h.put("spop", SetCommands::spop);
        h.put("srandmember", SetCommands::srandmember);
        h.put("smembers", c -> inter(c, keys(c, 1, c.argc()), null, false, 0));
        h.put("sinter", c -> inter(c, keys(c, 1, c.argc()), null, false, 0));
        h.put("sintercard", SetCommands::sintercard);
        h.put("sinterstore", c -> inter(c, keys(c, 2, c.argc()), c.arg(1), false, 0));
        h.put("sunion", c -> unionOrDiff(c, keys(c, 1, c.argc()), null, false));
        h.put("sunionstore", c -> unionOrDiff(c, keys(c, 2, c.argc()), c.arg(1), false));
        h.put("sdiff", c -> unionOrDiff(c, keys(c, 1, c.argc()), null, true));
        h.put("sdiffstore", c -> unionOrDiff(c, keys(c, 2, c.argc()), c.arg(1), true));
        h.put("sscan", SetCommands::sscan);
    }

    // ---- shared ----------------------------------------------------------------------

    /** The set at a key for reading, null if missing; WRONGTYPE for another type. */
    private static SetValue readSet(Client c, byte[] key) {
        Entry e = c.db().lookupRead(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.SET);
        return (SetValue) e.value();
    }

    /** The set at a key for writing, null if missing; WRONGTYPE for another type. */
    private static SetValue writeSet(Client c, byte[] key) {
        Entry e = c.db().lookupWrite(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.SET);
        return (SetValue) e.value();
    }

    private static long maxIntsetEntries(Client c) {
        return c.server().config().setMaxIntsetEntries.value();
    }

    private static byte[][] keys(Client c, int from, int to) {
        return Arrays.copyOfRange(c.argv(), from, to);
    }

    private static void replyMember(Reply r, SetValue.Members m) {
        r.bulk(m.bytes());
    }

    /** Every member of a set, in the set's iteration order. */
    private static void replyMembers(Reply r, SetValue set) {
        for (SetValue.Members m = set.members(); m.next(); ) replyMember(r, m);
    }

    /**
     * Stores a computed set at {@code destination} (Redis's setKey, which drops a TTL), or
     * deletes the destination when the result is empty; replies with the result's size.
     */
    private static void store(Client c, byte[] destination, SetValue result, String event) {
        Server server = c.server();
        Database db = c.db();
        if (result.size() > 0) {
            db.set(destination, result, false);
            c.reply().integer(result.size());
            server.keyModified(db, destination, KeyEvent.SET, event);
        } else {
            c.reply().integer(0);
            if (db.delete(destination)) server.keyModified(db, destination, KeyEvent.GENERIC, "del");
        }
    }

    // ---- single-key commands ---------------------------------------------------------

    static void sadd(Client c) {
        byte[] key = c.arg(1);
        Database db = c.db();
        SetValue set = writeSet(c, key);
        if (set == null) {
            set = SetValue.forFirstMember(c.arg(2));
            db.add(key, set);
        }
        long max = maxIntsetEntries(c);
        long added = 0;
        for (int j = 2; j < c.argc(); j++) {
            if (set.add(c.arg(j), max)) added++;
        }
        if (added > 0) {
            c.server().keyModified(db, key, KeyEvent.SET, "sadd");
            c.server().addDirty(added - 1);
        }
        c.reply().integer(added);
    }

    static void srem(Client c) {
        byte[] key = c.arg(1);
        Database db = c.db();
        SetValue set = writeSet(c, key);
        if (set == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < c.argc(); j++) {
            if (set.remove(c.arg(j))) {
                deleted++;
                if (set.size() == 0) {
                    db.remove(key);
                    keyRemoved = true;
                    break;
                }
            }
        }
        if (deleted > 0) {
            c.server().keyModified(db, key, KeyEvent.SET, "srem");
            if (keyRemoved) c.server().notifyKeyspaceEvent(db, key, KeyEvent.GENERIC, "del");
            c.server().addDirty(deleted - 1);
        }
        c.reply().integer(deleted);
    }

    static void smove(Client c) {
        byte[] source = c.arg(1);
        byte[] destination = c.arg(2);
        byte[] member = c.arg(3);
        Database db = c.db();
        Server server = c.server();
        Entry src = db.lookupWrite(source);
        Entry dst = db.lookupWrite(destination);
        if (src == null) {
            c.reply().integer(0);
            return;
        }
        CommandError.expectType(src.value(), ValueType.SET);
        if (dst != null) CommandError.expectType(dst.value(), ValueType.SET);
        SetValue srcSet = (SetValue) src.value();
        if (src == dst) {
            c.reply().integer(srcSet.contains(member) ? 1 : 0);
            return;
        }
        if (!srcSet.remove(member)) {
            c.reply().integer(0);
            return;
        }
        server.notifyKeyspaceEvent(db, source, KeyEvent.SET, "srem");
        if (srcSet.size() == 0) {
            db.remove(source);
            server.notifyKeyspaceEvent(db, source, KeyEvent.GENERIC, "del");
        }
        SetValue dstSet;
        if (dst == null) {
            dstSet = SetValue.forFirstMember(member);
            db.add(destination, dstSet);
        } else {
            dstSet = (SetValue) dst.value();
        }
        server.signalModifiedKey(db, source);
        server.addDirty(1);
        // The destination changed only if it did not have the member already.
        if (dstSet.add(member, maxIntsetEntries(c))) server.keyModified(db, destination, KeyEvent.SET, "sadd");
        c.reply().integer(1);
    }

    static void sismember(Client c) {
        SetValue set = readSet(c, c.arg(1));
        c.reply().integer(set != null && set.contains(c.arg(2)) ? 1 : 0);
    }

    static void smismember(Client c) {
        // A missing key is an empty set: every answer is 0.
        SetValue set = readSet(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) r.integer(set != null && set.contains(c.arg(j)) ? 1 : 0);
    }

    static void scard(Client c) {
        SetValue set = readSet(c, c.arg(1));
        c.reply().integer(set == null ? 0 : set.size());
    }

    // ---- SPOP and SRANDMEMBER ---------------------------------------------------------

    private static final byte[] SREM = Propagation.word("SREM");

    static void spop(Client c) {
        if (c.argc() == 3) {
            spopWithCount(c);
            return;
        }
        if (c.argc() > 3) throw new CommandError(CommandError.SYNTAX);
        byte[] key = c.arg(1);
        Database db = c.db();
        SetValue set = writeSet(c, key);
        if (set == null) {
            c.reply().nullBulk();
            return;
        }
        byte[] member = set.pop();
        c.server().keyModified(db, key, KeyEvent.SET, "spop");
        c.reply().bulk(member);
        // Propagated as the removal of the member that was drawn.
        c.server().propagation().rewrite(SREM, key, member);
        if (set.size() == 0) {
            db.remove(key);
            c.server().notifyKeyspaceEvent(db, key, KeyEvent.GENERIC, "del");
        }
    }

    private static void spopWithCount(Client c) {
        Long parsed = Numbers.parseStrictLong(c.arg(2));
        if (parsed == null || parsed < 0) throw new CommandError("ERR value is out of range, must be positive");
        long count = parsed;
        byte[] key = c.arg(1);
        Database db = c.db();
        Server server = c.server();
        Reply r = c.reply();
        Entry entry = db.lookupWrite(key);
        if (entry != null) CommandError.expectType(entry.value(), ValueType.SET);
        if (entry == null || count == 0) {
            r.set(0);
            return;
        }
        SetValue set = (SetValue) entry.value();
        long size = set.size();
        server.notifyKeyspaceEvent(db, key, KeyEvent.SET, "spop");
        server.addDirty(Math.min(count, size));
        if (count >= size) {
            // The whole set, listed as SUNION of the key would list it, and the key is gone.
            unionOrDiff(c, new byte[][] {key}, null, false);
            server.propagation().rewrite(Propagation.DEL, key);
            db.remove(key);
            server.notifyKeyspaceEvent(db, key, KeyEvent.GENERIC, "del");
            server.signalModifiedKey(db, key);
            return;
        }
        r.set(count);
        long remaining = size - count;
        // Propagated as one SREM per member drawn (as Redis 7.0), in a MULTI/EXEC.
        Propagation propagation = server.propagation();
        propagation.prevent();
        int dbIndex = db.id();
        if (remaining * SPOP_MOVE_STRATEGY_MUL > count) {
            // Few members go: pop them one by one.
            for (long i = 0; i < count; i++) {
                byte[] member = set.pop();
                r.bulk(member);
                propagation.also(dbIndex, SREM, key, member);
            }
        } else {
            // Most members go: move the few that stay to a new set, reply with what is left.
            SetValue kept = null;
            long max = maxIntsetEntries(c);
            for (long i = 0; i < remaining; i++) {
                byte[] member = set.pop();
                if (kept == null) kept = SetValue.forFirstMember(member);
                kept.add(member, max);
            }
            replyMembers(r, set);
            if (propagation.active()) set.forEach(member -> propagation.also(dbIndex, SREM, key, member));
            db.overwrite(entry, kept);
        }
        server.signalModifiedKey(db, key);
    }

    static void srandmember(Client c) {
        if (c.argc() == 3) {
            srandmemberWithCount(c);
            return;
        }
        if (c.argc() > 3) throw new CommandError(CommandError.SYNTAX);
        SetValue set = readSet(c, c.arg(1));
        if (set == null) c.reply().nullBulk();
        else c.reply().bulk(set.random());
    }

    private static void srandmemberWithCount(Client c) {
        long l = c.argLong(2);
        if (l == Long.MIN_VALUE) {
            throw new CommandError(
                    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        boolean distinct = l >= 0;
        long count = Math.abs(l);
        Reply r = c.reply();
        SetValue set = readSet(c, c.arg(1));
        if (set == null || count == 0) {
            r.emptyArray();
            return;
        }
        long size = set.size();
        if (!distinct || count == 1) {
            // Independent draws: members may repeat, in random order.
            r.array(count);
            for (long i = 0; i < count; i++) {
                r.bulk(set.random());
                if ((i & 1023) == 1023 && c.pendingReplyBytes() > REPLY_SAFETY_LIMIT) {
                    c.close();
                    return;
                }
            }
            return;
        }
        if (count >= size) {
            r.array(size);
            replyMembers(r, set);
            return;
        }
        boolean most = count * SRANDMEMBER_SUB_STRATEGY_MUL > size;
        // A table from the start (as Redis's auxiliary dict), so the intset limit plays no part.
        SetValue picked = SetValue.emptyTable((int) (most ? size : count));
        if (most) {
            // Most of the set: copy it, then drop random members until count are left.
            for (SetValue.Members m = set.members(); m.next(); ) picked.add(m.member(), m.integer(), 0);
            while (picked.size() > count) picked.pop();
        } else {
            // A small part of the set: draw until count distinct members came up.
            while (picked.size() < count) picked.add(set.random(), 0);
        }
        r.array(count);
        replyMembers(r, picked);
    }

    // ---- intersection, union, difference ----------------------------------------------

    static void sintercard(Client c) {
        Long numkeys = Numbers.parseStrictLong(c.arg(1));
        if (numkeys == null || numkeys < 1) throw new CommandError("ERR numkeys should be greater than 0");
        if (numkeys > c.argc() - 2) throw new CommandError("ERR Number of keys can't be greater than number of args");
        long limit = 0;
        for (int j = 2 + numkeys.intValue(); j < c.argc(); j++) {
            if (c.argIs(j, "limit") && j + 1 < c.argc()) {
                Long l = Numbers.parseStrictLong(c.arg(++j));
                if (l == null || l < 0) throw new CommandError("ERR LIMIT can't be negative");
                limit = l;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        inter(c, keys(c, 2, 2 + numkeys.intValue()), null, true, limit);
    }

    /**
     * SINTER, SMEMBERS (the intersection of one set), SINTERSTORE and SINTERCARD: the
     * members of the smallest set that every other set has, in that set's order.
     */
    private static void inter(Client c, byte[][] keys, byte[] destination, boolean cardinalityOnly, long limit) {
        List<SetValue> sets = new ArrayList<>(keys.length);
        boolean empty = false;
        for (byte[] key : keys) {
            SetValue set = readSet(c, key);
            if (set == null) empty = true;
            else sets.add(set);
        }
        Reply r = c.reply();
        if (empty) {
            // Intersecting with an empty set gives the empty set.
            if (destination != null) {
                if (c.db().delete(destination)) c.server().keyModified(c.db(), destination, KeyEvent.GENERIC, "del");
                r.integer(0);
            } else if (cardinalityOnly) {
                r.integer(0);
            } else {
                r.set(0);
            }
            return;
        }
        sets.sort(Comparator.comparingLong(SetValue::size));
        SetValue first = sets.getFirst();
        SetValue result = destination != null ? SetValue.emptyIntset() : null;
        int header = destination == null && !cardinalityOnly ? r.deferredArray() : -1;
        long max = maxIntsetEntries(c);
        long cardinality = 0;
        for (SetValue.Members m = first.members(); m.next(); ) {
            if (!inAll(sets, first, m)) continue;
            if (cardinalityOnly) {
                cardinality++;
                if (limit > 0 && cardinality >= limit) break;
            } else if (destination == null) {
                replyMember(r, m);
                cardinality++;
            } else {
                result.add(m.member(), m.integer(), max);
            }
        }
        if (cardinalityOnly) r.integer(cardinality);
        else if (destination != null) store(c, destination, result, "sinterstore");
        else r.setDeferredLength(header, '~', cardinality);
    }

    private static boolean inAll(List<SetValue> sets, SetValue first, SetValue.Members m) {
        for (int j = 1; j < sets.size(); j++) {
            SetValue other = sets.get(j);
            if (other != first && !other.contains(m.member(), m.integer())) return false;
        }
        return true;
    }

    /**
     * SUNION, SDIFF and their STORE forms. The result is built as a new set that starts as
     * an intset, so its encoding (and the order SUNION and SDIFF list it in) is the one
     * Redis gives it. SDIFF picks between Redis's two algorithms by the same estimate.
     */
    private static void unionOrDiff(Client c, byte[][] keys, byte[] destination, boolean diff) {
        SetValue[] sets = new SetValue[keys.length];
        boolean sameSet = false;
        for (int j = 0; j < keys.length; j++) {
            sets[j] = readSet(c, keys[j]);
            if (j > 0 && sets[j] != null && sets[j] == sets[0]) sameSet = true;
        }
        boolean firstAlgorithm = true;
        if (diff && sets[0] != null && !sameSet) {
            // Subtracting member by member from the first set costs about its size per set;
            // removing every other set's members from a copy costs their sizes.
            long oneWork = 0;
            long twoWork = 0;
            for (SetValue s : sets) {
                if (s == null) continue;
                oneWork += sets[0].size();
                twoWork += s.size();
            }
            firstAlgorithm = oneWork / 2 <= twoWork;
            if (firstAlgorithm && sets.length > 1) {
                // Largest first: members shared with the first set are found sooner.
                Arrays.sort(sets, 1, sets.length,
                        Comparator.comparingLong((SetValue s) -> s == null ? 0 : s.size()).reversed());
            }
        }
        SetValue result = SetValue.emptyIntset();
        long max = maxIntsetEntries(c);
        long cardinality = 0;
        if (!diff) {
            for (SetValue s : sets) {
                if (s == null) continue;
                for (SetValue.Members m = s.members(); m.next(); ) {
                    if (result.add(m.member(), m.integer(), max)) cardinality++;
                }
            }
        } else if (sets[0] != null && !sameSet && firstAlgorithm) {
            for (SetValue.Members m = sets[0].members(); m.next(); ) {
                if (inNone(sets, m)) {
                    result.add(m.member(), m.integer(), max);
                    cardinality++;
                }
            }
        } else if (sets[0] != null && !sameSet) {
            for (int j = 0; j < sets.length; j++) {
                if (sets[j] == null) continue;
                for (SetValue.Members m = sets[j].members(); m.next(); ) {
                    if (j == 0) {
                        if (result.add(m.member(), m.integer(), max)) cardinality++;
                    } else if (result.remove(m.member(), m.integer())) {
                        cardinality--;
                    }
                }
                if (cardinality == 0) break;
            }
        }
        if (destination == null) {
            Reply r = c.reply();
            r.set(cardinality);
            replyMembers(r, result);
        } else {
            store(c, destination, result, diff ? "sdiffstore" : "sunionstore");
        }
    }

    /** True when no set after the first (missing ones are empty) has the member. */
    private static boolean inNone(SetValue[] sets, SetValue.Members m) {
        for (int j = 1; j < sets.length; j++) {
            if (sets[j] == null) continue;
            if (sets[j] == sets[0] || sets[j].contains(m.member(), m.integer())) return false;
        }
        return true;
    }

    // ---- SSCAN -----------------------------------------------------------------------

    static void sscan(Client c) {
        long cursor = KeyCommands.parseCursor(c.arg(2));
        SetValue set = readSet(c, c.arg(1));
        if (set == null) {
            Reply r = c.reply();
            r.array(2);
            r.bulk("0");
            r.emptyArray();
            return;
        }
        CollectionScan.run(c, cursor, false, set::scan, set.isIntset());
    }
}
