package dev.cairn.command;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.protocol.Strtod;
import dev.cairn.server.BlockedClients;
import dev.cairn.server.Client;
import dev.cairn.server.Propagation;
import dev.cairn.types.LexRange;
import dev.cairn.types.ScoreRange;
import dev.cairn.types.ValueType;
import dev.cairn.types.ZSetValue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sorted set commands on single members, counts, random members, scanning and
 * popping (Redis's t_zset.c); ranges are in {@link ZSetRangeCommands}, union,
 * intersection and difference in {@link ZSetAlgebra}. As everywhere, each handler checks
 * its arguments, looks the key up, replies, then reports the change, in Redis's order.
 */
final class ZSetCommands {
    private ZSetCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("zadd", c -> zadd(c, 0));
        h.put("zincrby", c -> zadd(c, ZSetValue.INCR));
        h.put("zrem", ZSetCommands::zrem);
        h.put("zcard", ZSetCommands::zcard);
        h.put("zscore", ZSetCommands::zscore);
        h.put("zmscore", ZSetCommands::zmscore);
        h.put("zrank", c -> zrank(c, false));
        h.put("zrevrank", c -> zrank(c, true));
        h.put("zcount", ZSetCommands::zcount);
        h.put("zlexcount", ZSetCommands::zlexcount);
        h.put("zscan", ZSetCommands::zscan);
        h.put("zrandmember", ZSetCommands::zrandmember);
        h.put("zpopmin", c -> zpop(c, false));
        h.put("zpopmax", c -> zpop(c, true));
        h.put("zmpop", c -> zmpop(c, false));
        h.put("bzpopmin", c -> bzpop(c, false));
        h.put("bzpopmax", c -> bzpop(c, true));
        h.put("bzmpop", c -> zmpop(c, true));
    }

    // ---- shared by the sorted set commands ---------------------------------------------

    /** The sorted set at a key for reading (hits and misses counted), null if missing. */
    static ZSetValue readZSet(Client c, byte[] key) {
        Entry e = c.db().lookupRead(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.ZSET);
        return (ZSetValue) e.value();
    }

    /** The sorted set at a key for writing, null if missing. */
    static ZSetValue writeZSet(Client c, byte[] key) {
        Entry e = c.db().lookupWrite(key);
        if (e == null) return null;
        CommandError.expectType(e.value(), ValueType.ZSET);
        return (ZSetValue) e.value();
    }

    /** zset-max-listpack-entries and zset-max-listpack-value now. */
    static ZSetValue.Limits limits(Client c) {
        return new ZSetValue.Limits(c.server().config().zsetMaxListpackEntries.value(),
                c.server().config().zsetMaxListpackValue.value());
    }

    /**
     * Reports {@code changes} changes to a key with one event, as Redis does when one
     * command changes many members (server.dirty += changes, one notification).
     */
    static void changed(Client c, byte[] key, String event, long changes) {
        c.server().addDirty(changes - 1);
        c.server().keyModified(c.db(), key, KeyEvent.ZSET, event);
    }

    /** The sorted set became empty: its key goes, with a "del" event after the command's own. */
    static void deleteEmptied(Client c, byte[] key) {
        c.db().remove(key);
        c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.GENERIC, "del");
    }

    /** A score as Redis's getDoubleFromObjectOrReply reads it. */
    static double score(Client c, int i, String error) {
        double v = Strtod.parseStrict(c.arg(i));
        if (Double.isNaN(v)) throw new CommandError(error);
        return v;
    }

    /** Redis's getPositiveLongFromObjectOrReply: one message for a bad or negative number. */
    static long positiveLong(Client c, int i) {
        return rangeLong(c, i, 0, "value is out of range, must be positive");
    }

    /** Redis's getRangeLongFromObjectOrReply with one message for every failure. */
    private static long rangeLong(Client c, int i, long min, String message) {
        Long v = Numbers.parseStrictLong(c.arg(i));
        if (v == null || v < min) throw new CommandError("ERR " + message);
        return v;
    }

    static ScoreRange scoreRange(Client c, int minIndex, int maxIndex) {
        ScoreRange range = ScoreRange.parse(c.arg(minIndex), c.arg(maxIndex));
        if (range == null) throw new CommandError("ERR min or max is not a float");
        return range;
    }

    static LexRange lexRange(Client c, int minIndex, int maxIndex) {
        LexRange range = LexRange.parse(c.arg(minIndex), c.arg(maxIndex));
        if (range == null) throw new CommandError("ERR min or max not valid string range item");
        return range;
    }

    // ---- ZADD, ZINCRBY, ZREM -------------------------------------------------------------

    /** Redis's zaddGenericCommand: the options, then score-member pairs. */
    static void zadd(Client c, int flags) {
        byte[] key = c.arg(1);
        boolean ch = false;
        int scoreIndex = 2;
        for (; scoreIndex < c.argc(); scoreIndex++) {
            if (c.argIs(scoreIndex, "nx")) flags |= ZSetValue.NX;
            else if (c.argIs(scoreIndex, "xx")) flags |= ZSetValue.XX;
            else if (c.argIs(scoreIndex, "ch")) ch = true;
            else if (c.argIs(scoreIndex, "incr")) flags |= ZSetValue.INCR;
            else if (c.argIs(scoreIndex, "gt")) flags |= ZSetValue.GT;
            else if (c.argIs(scoreIndex, "lt")) flags |= ZSetValue.LT;
            else break;
        }
        boolean incr = (flags & ZSetValue.INCR) != 0;
        boolean nx = (flags & ZSetValue.NX) != 0;
        boolean xx = (flags & ZSetValue.XX) != 0;
        boolean gt = (flags & ZSetValue.GT) != 0;
        boolean lt = (flags & ZSetValue.LT) != 0;
        int elements = c.argc() - scoreIndex;
        if (elements % 2 != 0 || elements == 0) throw new CommandError(CommandError.SYNTAX);
        elements /= 2;
        if (nx && xx) throw new CommandError("ERR XX and NX options at the same time are not compatible");
        if ((gt && nx) || (lt && nx) || (gt && lt)) {
            throw new CommandError("ERR GT, LT, and/or NX options at the same time are not compatible");
        }
        if (incr && elements > 1) throw new CommandError("ERR INCR option supports a single increment-element pair");
        double[] scores = new double[elements];
        for (int j = 0; j < elements; j++) scores[j] = score(c, scoreIndex + 2 * j, CommandError.NOT_FLOAT);

        ZSetValue z = writeZSet(c, key);
        long added = 0;
        long updated = 0;
        long processed = 0;
        double[] score = {0};
        ZSetValue.Limits limits = limits(c);
        if (z == null && !xx) {
            z = ZSetValue.create(limits, c.arg(scoreIndex + 1).length);
            c.db().add(key, z);
        }
        if (z != null) {
            for (int j = 0; j < elements; j++) {
                int done = z.add(c.arg(scoreIndex + 1 + 2 * j), scores[j], flags, limits, score);
                if (done == ZSetValue.NAN) throw new CommandError("ERR resulting score is not a number (NaN)");
                if (done == ZSetValue.ADDED) added++;
                if (done == ZSetValue.UPDATED) updated++;
                if (done != ZSetValue.NOP) processed++;
            }
        }
        if (incr) {
            if (processed > 0) c.reply().doubleValue(score[0]);
            else c.reply().nullBulk();
        } else {
            c.reply().integer(ch ? added + updated : added);
        }
        if (added + updated > 0) changed(c, key, incr ? "zincr" : "zadd", added + updated);
    }

    static void zrem(Client c) {
        byte[] key = c.arg(1);
        ZSetValue z = writeZSet(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long deleted = 0;
        boolean keyRemoved = false;
        for (int j = 2; j < c.argc(); j++) {
            if (z.remove(c.arg(j))) deleted++;
            if (z.size() == 0) {
                c.db().remove(key);
                keyRemoved = true;
                break;
            }
        }
        c.reply().integer(deleted);
        if (deleted > 0) {
            changed(c, key, "zrem", deleted);
            if (keyRemoved) c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.GENERIC, "del");
        }
    }

    // ---- reading single members and counts ---------------------------------------------

    static void zcard(Client c) {
        ZSetValue z = readZSet(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.size());
    }

    static void zscore(Client c) {
        ZSetValue z = readZSet(c, c.arg(1));
        Double score = z == null ? null : z.score(c.arg(2));
        if (score == null) c.reply().nullBulk();
        else c.reply().doubleValue(score);
    }

    static void zmscore(Client c) {
        ZSetValue z = readZSet(c, c.arg(1));
        Reply r = c.reply();
        r.array(c.argc() - 2);
        for (int j = 2; j < c.argc(); j++) {
            Double score = z == null ? null : z.score(c.arg(j));
            if (score == null) r.nullBulk();
            else r.doubleValue(score);
        }
    }

    static void zrank(Client c, boolean reverse) {
        ZSetValue z = readZSet(c, c.arg(1));
        long rank = z == null ? -1 : z.rank(c.arg(2), reverse);
        if (rank < 0) c.reply().nullBulk();
        else c.reply().integer(rank);
    }

    static void zcount(Client c) {
        ScoreRange range = scoreRange(c, 2, 3);
        ZSetValue z = readZSet(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.count(range));
    }

    static void zlexcount(Client c) {
        LexRange range = lexRange(c, 2, 3);
        ZSetValue z = readZSet(c, c.arg(1));
        c.reply().integer(z == null ? 0 : z.count(range));
    }

    /** A listpack is returned whole, scores as stored; a skiplist's table is walked. */
    static void zscan(Client c) {
        long cursor = KeyCommands.parseCursor(c.arg(2));
        ZSetValue z = readZSet(c, c.arg(1));
        if (z == null) {
            c.reply().array(2);
            c.reply().bulk("0");
            c.reply().emptyArray();
            return;
        }
        if (z.isListpack()) {
            CollectionScan.run(c, cursor, true, (cur, emit) -> {
                z.listpackEntries(emit);
                return 0;
            }, true);
        } else {
            CollectionScan.run(c, cursor, true, z::scan, false);
        }
    }

    // ---- ZRANDMEMBER ----------------------------------------------------------------------

    static void zrandmember(Client c) {
        if (c.argc() >= 3) {
            long count = c.argLong(2);
            if (count == Long.MIN_VALUE) {
                throw new CommandError(
                        "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
            }
            if (c.argc() > 4 || (c.argc() == 4 && !c.argIs(3, "withscores"))) throw new CommandError(CommandError.SYNTAX);
            boolean withScores = c.argc() == 4;
            if (withScores && (count < -Long.MAX_VALUE / 2 || count > Long.MAX_VALUE / 2)) {
                throw new CommandError("ERR value is out of range");
            }
            zrandmemberWithCount(c, count, withScores);
            return;
        }
        ZSetValue z = readZSet(c, c.arg(1));
        if (z == null) {
            c.reply().nullBulk();
            return;
        }
        z.random((buf, off, len, score) -> c.reply().bulk(buf, off, len));
    }

    /**
     * Redis's zrandmemberWithCountCommand: a negative count samples with repetition; a
     * positive one returns distinct members, the whole set (highest score first) when it
     * asks for at least as many as there are.
     */
    private static void zrandmemberWithCount(Client c, long requested, boolean withScores) {
        ZSetValue z = readZSet(c, c.arg(1));
        Reply r = c.reply();
        if (z == null || requested == 0) {
            r.emptyArray();
            return;
        }
        boolean unique = requested > 0;
        long count = Math.abs(requested);
        long size = z.size();
        ZSetValue.ElementSink out = elementReply(r, withScores);
        if (!unique || count == 1) {
            r.array(withScores && !r.resp3() ? count * 2 : count);
            for (long i = 0; i < count; i++) z.random(out);
            return;
        }
        long replySize = Math.min(count, size);
        r.array(withScores && !r.resp3() ? replySize * 2 : replySize);
        if (count >= size) {
            z.forEachDescending(out);
            return;
        }
        if (count * 3 > size) {
            // Most of the set: drop random elements until count remain.
            List<byte[]> members = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            z.forEachDescending((buf, off, len, score) -> {
                members.add(Arrays.copyOfRange(buf, off, off + len));
                scores.add(score);
            });
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (members.size() > count) {
                int drop = rnd.nextInt(members.size());
                int last = members.size() - 1;
                members.set(drop, members.get(last));
                scores.set(drop, scores.get(last));
                members.remove(last);
                scores.remove(last);
            }
            for (int i = 0; i < members.size(); i++) out.accept(members.get(i), 0, members.get(i).length, scores.get(i));
            return;
        }
        // A small part of a big set: sample until enough distinct members were found.
        Set<ByteBuffer> seen = new HashSet<>();
        while (seen.size() < count) {
            z.random((buf, off, len, score) -> {
                if (seen.add(ByteBuffer.wrap(Arrays.copyOfRange(buf, off, off + len)))) out.accept(buf, off, len, score);
            });
        }
    }

    /** Writes elements as members, or member-score pairs (nested in RESP3). */
    static ZSetValue.ElementSink elementReply(Reply r, boolean withScores) {
        if (!withScores) return (buf, off, len, score) -> r.bulk(buf, off, len);
        boolean nested = r.resp3();
        return (buf, off, len, score) -> {
            if (nested) r.array(2);
            r.bulk(buf, off, len);
            r.doubleValue(score);
        };
    }

    // ---- popping ---------------------------------------------------------------------------

    /** ZPOPMIN and ZPOPMAX: one element flat, or with a count (nested pairs in RESP3). */
    static void zpop(Client c, boolean highest) {
        if (c.argc() > 3) throw new CommandError(CommandError.SYNTAX);
        long count = c.argc() == 3 ? positiveLong(c, 2) : -1;
        boolean nested = c.reply().resp3() && count != -1;
        pop(c, List.of(c.arg(1)), highest, false, count, nested, false);
    }

    /**
     * Redis's genericZpopCommand: pops from the first existing key among {@code keys}.
     * {@code emitKey} puts the key name first (the multi-key forms); {@code nested} gives
     * pairs as arrays; {@code nullWhenNone} answers a null array instead of an empty one
     * when no key exists. A count of -1 means one element without a count argument.
     */
    static void pop(Client c, List<byte[]> keys, boolean highest, boolean emitKey, long count, boolean nested,
            boolean nullWhenNone) {
        byte[] key = null;
        ZSetValue z = null;
        for (byte[] k : keys) {
            z = writeZSet(c, k);
            if (z != null) {
                key = k;
                break;
            }
        }
        Reply r = c.reply();
        if (z == null) {
            if (nullWhenNone) r.nullArray();
            else r.emptyArray();
            return;
        }
        if (count == 0) {
            r.emptyArray();
            return;
        }
        boolean withCount = count != -1;
        if (count == -1) count = 1;
        long n = Math.min(count, z.size());
        if (!nested && !emitKey) {
            r.array(n * 2);
        } else if (nested && !emitKey) {
            r.array(n);
        } else if (!nested) {
            r.array(n * 2 + 1);
            r.bulk(key);
        } else {
            r.array(2);
            r.bulk(key);
            r.array(n);
        }
        ZSetValue.ElementSink out = (buf, off, len, score) -> {
            if (nested) r.array(2);
            r.bulk(buf, off, len);
            r.doubleValue(score);
        };
        for (long i = 0; i < n; i++) z.pop(highest, out);
        changed(c, key, highest ? "zpopmax" : "zpopmin", n);
        if (z.size() == 0) deleteEmptied(c, key);
        if (emitKey) {
            // The multi-key and blocking forms propagate as ZPOPMIN/ZPOPMAX of the key popped.
            byte[] name = highest ? ZPOPMAX : ZPOPMIN;
            if (withCount) c.server().propagation().rewrite(name, key, Propagation.number(n));
            else c.server().propagation().rewrite(name, key);
        }
    }

    private static final byte[] ZPOPMIN = Propagation.word("ZPOPMIN");
    private static final byte[] ZPOPMAX = Propagation.word("ZPOPMAX");

    /** ZMPOP and BZMPOP: numkeys, the keys, MIN or MAX, then COUNT. */
    static void zmpop(Client c, boolean blocking) {
        int numkeysIndex = blocking ? 2 : 1;
        long numkeys = rangeLong(c, numkeysIndex, 1, "numkeys should be greater than 0");
        long whereIndex = numkeysIndex + 1 + numkeys;
        if (numkeys > c.argc() || whereIndex >= c.argc()) throw new CommandError(CommandError.SYNTAX);
        boolean highest;
        if (c.argIs((int) whereIndex, "min")) highest = false;
        else if (c.argIs((int) whereIndex, "max")) highest = true;
        else throw new CommandError(CommandError.SYNTAX);
        long count = -1;
        for (int j = (int) whereIndex + 1; j < c.argc(); j++) {
            if (count == -1 && c.argIs(j, "count") && j + 1 < c.argc()) {
                count = rangeLong(c, ++j, 1, "count should be greater than 0");
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (count == -1) count = 1;
        List<byte[]> keys = Arrays.asList(c.argv()).subList(numkeysIndex + 1, (int) whereIndex);
        if (blocking) blockingPop(c, keys, highest, 1, count, true);
        else pop(c, keys, highest, true, count, true, true);
    }

    /** BZPOPMIN and BZPOPMAX: keys, then the timeout. */
    static void bzpop(Client c, boolean highest) {
        List<byte[]> keys = Arrays.asList(c.argv()).subList(1, c.argc() - 1);
        blockingPop(c, keys, highest, c.argc() - 1, -1, false);
    }

    /**
     * Redis's blockingGenericZpopCommand: pops from the first non-empty sorted set among
     * the keys, or waits until one is created (the command then runs again).
     */
    private static void blockingPop(Client c, List<byte[]> keys, boolean highest, int timeoutIndex, long count,
            boolean nested) {
        long deadline = BlockingTimeout.deadline(c, timeoutIndex);
        for (byte[] key : keys) {
            ZSetValue z = writeZSet(c, key);
            if (z == null || z.size() == 0) continue;
            pop(c, List.of(key), highest, true, count, nested, nested);
            return;
        }
        c.blockOnKeys(new ArrayList<>(keys), ValueType.ZSET, deadline, BlockedClients.TimeoutReply.NULL_ARRAY);
    }

    /** Copies a member out of an element slice, sharing it when the slice is a whole stored member. */
    static byte[] memberBytes(byte[] buf, int off, int len) {
        return off == 0 && len == buf.length ? buf : Arrays.copyOfRange(buf, off, off + len);
    }

    /** Deletes a key the command replaced with nothing, reporting it when it existed. */
    static void deleteDestination(Client c, Database db, byte[] key) {
        if (db.delete(key)) c.server().keyModified(db, key, KeyEvent.GENERIC, "del");
    }
}
