package dev.cairn.command;

import dev.cairn.keyspace.KeyEvent;
import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import dev.cairn.types.LexRange;
import dev.cairn.types.ScoreRange;
import dev.cairn.types.ZSetValue;
import java.util.Map;

/**
 * ZRANGE in all its forms (by rank, score or member, either direction, with LIMIT), the
 * older ZRANGEBYSCORE, ZREVRANGE... spellings, ZRANGESTORE, and the ZREMRANGEBY* removals:
 * Redis's zrangeGenericCommand and zremrangeGenericCommand.
 */
final class ZSetRangeCommands {
    private ZSetRangeCommands() {}

    enum RangeType { AUTO, RANK, SCORE, LEX }

    enum Direction { AUTO, FORWARD, REVERSE }

    static void register(Map<String, CommandHandler> h) {
        h.put("zrange", c -> zrange(c, 1, false, RangeType.AUTO, Direction.AUTO));
        h.put("zrangestore", c -> zrange(c, 2, true, RangeType.AUTO, Direction.AUTO));
        h.put("zrevrange", c -> zrange(c, 1, false, RangeType.RANK, Direction.REVERSE));
        h.put("zrangebyscore", c -> zrange(c, 1, false, RangeType.SCORE, Direction.FORWARD));
        h.put("zrevrangebyscore", c -> zrange(c, 1, false, RangeType.SCORE, Direction.REVERSE));
        h.put("zrangebylex", c -> zrange(c, 1, false, RangeType.LEX, Direction.FORWARD));
        h.put("zrevrangebylex", c -> zrange(c, 1, false, RangeType.LEX, Direction.REVERSE));
        h.put("zremrangebyrank", c -> zremrange(c, RangeType.RANK));
        h.put("zremrangebyscore", c -> zremrange(c, RangeType.SCORE));
        h.put("zremrangebylex", c -> zremrange(c, RangeType.LEX));
    }

    /**
     * Where a range's elements go: the client (an array, pairs with WITHSCORES) or, for
     * ZRANGESTORE, a new sorted set (Redis's zrange_result_handler).
     */
    private interface Result extends ZSetValue.ElementSink {
        /** Before the elements; {@code length} when known in advance, else -1. */
        void begin(long length);

        /** After the elements, with how many there were. */
        void finish(long count);
    }

    private static final class ClientResult implements Result {
        private final Reply r;
        private final boolean withScores;
        private final ZSetValue.ElementSink out;
        private int deferred = -1;

        ClientResult(Client c, boolean withScores) {
            this.r = c.reply();
            this.withScores = withScores;
            this.out = ZSetCommands.elementReply(r, withScores);
        }

        @Override
        public void begin(long length) {
            if (length > 0) r.array(withScores && !r.resp3() ? length * 2 : length);
            else deferred = r.deferredArray();
        }

        @Override
        public void accept(byte[] buf, int offset, int length, double score) {
            out.accept(buf, offset, length, score);
        }

        @Override
        public void finish(long count) {
            if (deferred >= 0) r.setDeferredLength(deferred, '*', withScores && !r.resp3() ? count * 2 : count);
        }
    }

    /** ZRANGESTORE's destination, filled as ZADD would fill a new key. */
    private static final class StoreResult implements Result {
        private final Client c;
        private final byte[] destination;
        private final ZSetValue.Limits limits;
        private ZSetValue value;
        /** Where each add leaves its score, which ZRANGESTORE does not need. */
        private final double[] ignoredScore = {0};

        StoreResult(Client c, byte[] destination) {
            this.c = c;
            this.destination = destination;
            this.limits = ZSetCommands.limits(c);
        }

        @Override
        public void begin(long length) {
            // Redis starts every destination as a listpack and converts while adding.
            value = ZSetValue.create(limits, 0);
        }

        @Override
        public void accept(byte[] buf, int offset, int length, double score) {
            value.add(ZSetCommands.memberBytes(buf, offset, length), score, 0, limits, ignoredScore);
        }

        @Override
        public void finish(long count) {
            if (count > 0) {
                c.db().set(destination, value, false);
                c.reply().integer(count);
                c.server().keyModified(c.db(), destination, KeyEvent.ZSET, "zrangestore");
            } else {
                c.reply().integer(0);
                ZSetCommands.deleteDestination(c, c.db(), destination);
            }
        }
    }

    /**
     * The arguments from {@code keyIndex}: key min max, then WITHSCORES (not for
     * ZRANGESTORE), LIMIT offset count, and for ZRANGE itself REV, BYSCORE, BYLEX.
     */
    static void zrange(Client c, int keyIndex, boolean store, RangeType type, Direction direction) {
        byte[] key = c.arg(keyIndex);
        int minIndex = keyIndex + 1;
        int maxIndex = keyIndex + 2;
        boolean withScores = false;
        long offset = 0;
        long limit = -1;
        for (int j = keyIndex + 3; j < c.argc(); j++) {
            int left = c.argc() - j - 1;
            if (!store && c.argIs(j, "withscores")) {
                withScores = true;
            } else if (c.argIs(j, "limit") && left >= 2) {
                offset = c.argLong(j + 1);
                limit = c.argLong(j + 2);
                j += 2;
            } else if (direction == Direction.AUTO && c.argIs(j, "rev")) {
                direction = Direction.REVERSE;
            } else if (type == RangeType.AUTO && c.argIs(j, "bylex")) {
                type = RangeType.LEX;
            } else if (type == RangeType.AUTO && c.argIs(j, "byscore")) {
                type = RangeType.SCORE;
            } else {
                throw new CommandError(CommandError.SYNTAX);
            }
        }
        if (direction == Direction.AUTO) direction = Direction.FORWARD;
        if (type == RangeType.AUTO) type = RangeType.RANK;
        if (limit != -1 && type == RangeType.RANK) {
            throw new CommandError("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
        }
        if (withScores && type == RangeType.LEX) {
            throw new CommandError("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
        }
        boolean reverse = direction == Direction.REVERSE;
        if (reverse && type != RangeType.RANK) {
            // The range is given as max, min.
            int t = minIndex;
            minIndex = maxIndex;
            maxIndex = t;
        }
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        switch (type) {
            case SCORE -> scores = ZSetCommands.scoreRange(c, minIndex, maxIndex);
            case LEX -> lex = ZSetCommands.lexRange(c, minIndex, maxIndex);
            default -> {
                start = c.argLong(minIndex);
                end = c.argLong(maxIndex);
            }
        }
        Result result = store ? new StoreResult(c, c.arg(1)) : new ClientResult(c, withScores);
        ZSetValue z = ZSetCommands.readZSet(c, key);
        if (z == null) {
            if (store) {
                result.begin(-1);
                result.finish(0);
            } else {
                c.reply().emptyArray();
            }
            return;
        }
        ScoreRange byScore = scores;
        LexRange byLex = lex;
        switch (type) {
            case SCORE -> rangeBy(result, offset, limit, (o, l) -> z.rangeByScore(byScore, reverse, o, l, result));
            case LEX -> rangeBy(result, offset, limit, (o, l) -> z.rangeByLex(byLex, reverse, o, l, result));
            default -> rangeByRank(result, z, start, end, reverse);
        }
    }

    private static void rangeByRank(Result result, ZSetValue z, long start, long end, boolean reverse) {
        long size = z.size();
        if (start < 0) start += size;
        if (end < 0) end += size;
        if (start < 0) start = 0;
        if (start > end || start >= size) {
            result.begin(0);
            result.finish(0);
            return;
        }
        if (end >= size) end = size - 1;
        result.begin(end - start + 1);
        z.rangeByRank(start, end, reverse, result);
        result.finish(end - start + 1);
    }

    /** A range walk with LIMIT's offset and count. */
    private interface LimitedWalk {
        long run(long offset, long limit);
    }

    /** A negative offset skips past every element in Redis, so it finds nothing. */
    private static void rangeBy(Result result, long offset, long limit, LimitedWalk walk) {
        result.begin(-1);
        result.finish(offset < 0 ? 0 : walk.run(offset, limit));
    }

    /** ZREMRANGEBYRANK, ZREMRANGEBYSCORE and ZREMRANGEBYLEX. */
    static void zremrange(Client c, RangeType type) {
        byte[] key = c.arg(1);
        long start = 0;
        long end = 0;
        ScoreRange scores = null;
        LexRange lex = null;
        String event;
        switch (type) {
            case RANK -> {
                event = "zremrangebyrank";
                start = c.argLong(2);
                end = c.argLong(3);
            }
            case SCORE -> {
                event = "zremrangebyscore";
                scores = ZSetCommands.scoreRange(c, 2, 3);
            }
            default -> {
                event = "zremrangebylex";
                lex = ZSetCommands.lexRange(c, 2, 3);
            }
        }
        ZSetValue z = ZSetCommands.writeZSet(c, key);
        if (z == null) {
            c.reply().integer(0);
            return;
        }
        long deleted;
        switch (type) {
            case RANK -> {
                long size = z.size();
                if (start < 0) start += size;
                if (end < 0) end += size;
                if (start < 0) start = 0;
                if (start > end || start >= size) {
                    c.reply().integer(0);
                    return;
                }
                if (end >= size) end = size - 1;
                deleted = z.removeRangeByRank(start, end);
            }
            case SCORE -> deleted = z.removeRange(scores);
            default -> deleted = z.removeRange(lex);
        }
        boolean keyRemoved = z.size() == 0;
        if (keyRemoved) c.db().remove(key);
        c.reply().integer(deleted);
        if (deleted > 0) {
            ZSetCommands.changed(c, key, event, deleted);
            if (keyRemoved) c.server().notifyKeyspaceEvent(c.db(), key, KeyEvent.GENERIC, "del");
        }
    }
}
