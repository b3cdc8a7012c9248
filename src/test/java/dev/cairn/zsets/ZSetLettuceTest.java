package dev.cairn.zsets;

import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScoredValueScanCursor;
import io.lettuce.core.ZAddArgs;
import io.lettuce.core.ZAggregateArgs;
import io.lettuce.core.ZPopArgs;
import io.lettuce.core.ZStoreArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The sorted set commands through Lettuce, which speaks RESP3: scores come back as RESP3
 * doubles, pairs as nested arrays. The exact RESP3 bytes are checked with a raw connection.
 */
class ZSetLettuceTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final RedisCommands<String, String> redis = server.lettuce();

    private static ScoredValue<String> sv(double score, String member) {
        return ScoredValue.just(score, member);
    }

    @Test
    void addIncrementAndRead() {
        assertEquals(3L, redis.zadd("z", sv(1, "a"), sv(2, "b"), sv(3, "c")));
        assertEquals(0L, redis.zadd("z", ZAddArgs.Builder.nx(), 9, "a"));
        assertEquals(1L, redis.zadd("z", ZAddArgs.Builder.gt().ch(), 9, "a"));
        assertEquals(10.5, redis.zaddincr("z", 1.5, "a"));
        assertNull(redis.zaddincr("z", ZAddArgs.Builder.nx(), 1, "a"));
        assertEquals(2.5, redis.zincrby("z", 0.5, "b"));
        assertEquals(Double.POSITIVE_INFINITY, redis.zincrby("z", Double.POSITIVE_INFINITY, "c"));
        assertEquals(List.of(2.5, 10.5), redis.zmscore("z", "b", "a"));
        assertEquals(3L, redis.zcard("z"));
        assertEquals(0L, redis.zrank("z", "b"));
        assertEquals(0L, redis.zrevrank("z", "c"));
        assertNull(redis.zscore("z", "nope"));
        assertEquals("ERR resulting score is not a number (NaN)", lettuceError(() -> redis.zincrby("z", Double.NEGATIVE_INFINITY, "c")));
        assertEquals(1L, redis.zrem("z", "b"));
    }

    @Test
    void ranges() {
        redis.zadd("z", sv(1, "a"), sv(2, "b"), sv(3, "c"), sv(4, "d"));
        assertEquals(List.of(sv(1, "a"), sv(2, "b")), redis.zrangeWithScores("z", 0, 1));
        assertEquals(List.of(sv(4, "d"), sv(3, "c")), redis.zrevrangeWithScores("z", 0, 1));
        assertEquals(List.of("b", "c"), redis.zrangebyscore("z", Range.create(2, 3)));
        assertEquals(List.of("c"), redis.zrangebyscore("z", Range.from(Range.Boundary.excluding(2), Range.Boundary.unbounded()),
                Limit.create(0, 1)));
        assertEquals(List.of(sv(4, "d"), sv(3, "c")),
                redis.zrevrangebyscoreWithScores("z", Range.from(Range.Boundary.excluding(2), Range.Boundary.unbounded())));
        assertEquals(2L, redis.zcount("z", Range.create(2, 3)));
        assertEquals(2L, redis.zrangestore("dst", "z", Range.create(1L, 2L)));
        assertEquals(List.of("b", "c"), redis.zrange("dst", 0, -1));
        assertEquals(1L, redis.zremrangebyrank("z", 0, 0));
        assertEquals(1L, redis.zremrangebyscore("z", Range.create(2, 2)));
        redis.zadd("l", sv(0, "a"), sv(0, "b"), sv(0, "c"));
        assertEquals(List.of("b", "c"), redis.zrangebylex("l", Range.from(Range.Boundary.excluding("a"), Range.Boundary.unbounded())));
        assertEquals(2L, redis.zlexcount("l", Range.create("a", "b")));
        assertEquals(1L, redis.zremrangebylex("l", Range.create("a", "a")));
    }

    @Test
    void algebra() {
        redis.zadd("a", sv(1, "x"), sv(2, "y"));
        redis.zadd("b", sv(10, "y"), sv(20, "z"));
        assertEquals(List.of("x", "y", "z"), redis.zunion("a", "b"));
        assertEquals(List.of(sv(1, "x"), sv(10, "y"), sv(20, "z")), redis.zunionWithScores(ZAggregateArgs.Builder.max(), "a", "b"));
        assertEquals(List.of("y"), redis.zinter("a", "b"));
        assertEquals(List.of(sv(24, "y")), redis.zinterWithScores(ZAggregateArgs.Builder.weights(2, 2), "a", "b"));
        assertEquals(List.of(sv(1, "x")), redis.zdiffWithScores("a", "b"));
        assertEquals(1L, redis.zintercard("a", "b"));
        assertEquals(3L, redis.zunionstore("u", ZStoreArgs.Builder.min(), "a", "b"));
        assertEquals(List.of(sv(1, "x"), sv(2, "y"), sv(20, "z")), redis.zrangeWithScores("u", 0, -1));
        assertEquals(1L, redis.zinterstore("i", "a", "b"));
        assertEquals(1L, redis.zdiffstore("d", "b", "a"));
        assertEquals(List.of("z"), redis.zrange("d", 0, -1));
    }

    @Test
    void popsAndRandomMembers() {
        redis.zadd("z", sv(1, "a"), sv(2, "b"), sv(3, "c"));
        assertEquals(sv(1, "a"), redis.zpopmin("z"));
        assertEquals(List.of(sv(3, "c")), redis.zpopmax("z", 1));
        assertEquals(KeyValue.just("z", sv(2, "b")), redis.zmpop(ZPopArgs.Builder.min(), "nope", "z"));
        assertFalse(redis.exists("z") > 0);
        redis.zadd("z", sv(1, "a"), sv(2, "b"));
        assertEquals(KeyValue.just("z", sv(2, "b")), redis.bzpopmax(1, "z"));
        assertEquals(KeyValue.just("z", List.of(sv(1, "a"))), redis.bzmpop(1L, 5L, ZPopArgs.Builder.min(), "z"));
        redis.zadd("z", sv(1, "a"), sv(2, "b"));
        assertTrue(List.of("a", "b").contains(redis.zrandmember("z")));
        assertEquals(2, redis.zrandmember("z", 5).size());
        assertEquals(List.of(sv(2, "b"), sv(1, "a")), redis.zrandmemberWithScores("z", 5));
        assertEquals(6, redis.zrandmemberWithScores("z", -6).size());
    }

    @Test
    void scan() {
        for (int i = 0; i < 300; i++) redis.zadd("big", i, "m" + i);
        ScoredValueScanCursor<String> cursor = redis.zscan("big", ScanArgs.Builder.limit(50));
        java.util.Set<String> seen = new java.util.HashSet<>();
        while (true) {
            for (ScoredValue<String> v : cursor.getValues()) {
                seen.add(v.getValue());
                assertEquals(Double.parseDouble(v.getValue().substring(1)), v.getScore());
            }
            if (cursor.isFinished()) break;
            cursor = redis.zscan("big", cursor, ScanArgs.Builder.limit(50));
        }
        assertEquals(300, seen.size());
    }

    /** RESP3 bytes: doubles with ',', nested pairs where Redis nests them, '_' for nulls. */
    @Test
    void resp3Replies() throws IOException {
        try (RawConnection c = new RawConnection(server.port())) {
            c.command("HELLO", "3").readReply();
            c.call("ZADD", "z", "1.5", "a", "inf", "b", "-inf", "c");
            assertEquals(",1.5\r\n", c.call("ZSCORE", "z", "a"));
            assertEquals(",inf\r\n", c.call("ZSCORE", "z", "b"));
            assertEquals(",-inf\r\n", c.call("ZSCORE", "z", "c"));
            assertEquals("_\r\n", c.call("ZSCORE", "z", "x"));
            assertEquals("*2\r\n,1.5\r\n_\r\n", c.call("ZMSCORE", "z", "a", "x"));
            assertEquals(",2.5\r\n", c.call("ZINCRBY", "z", "1", "a"));
            assertEquals("_\r\n", c.call("ZADD", "z", "NX", "INCR", "1", "a"));
            assertEquals("*2\r\n*2\r\n$1\r\nc\r\n,-inf\r\n*2\r\n$1\r\na\r\n,2.5\r\n",
                    c.call("ZRANGE", "z", "0", "1", "WITHSCORES"));
            assertEquals("*1\r\n*2\r\n$1\r\nb\r\n,inf\r\n", c.call("ZRANGEBYSCORE", "z", "(3", "+inf", "WITHSCORES"));
            assertEquals("*3\r\n*2\r\n$1\r\nc\r\n,-inf\r\n*2\r\n$1\r\na\r\n,5\r\n*2\r\n$1\r\nb\r\n,inf\r\n",
                    c.call("ZUNION", "1", "z", "WEIGHTS", "2", "WITHSCORES"));
            // ZPOPMIN without a count is flat, with one nested.
            assertEquals("*2\r\n$1\r\nc\r\n,-inf\r\n", c.call("ZPOPMIN", "z"));
            assertEquals("*1\r\n*2\r\n$1\r\na\r\n,2.5\r\n", c.call("ZPOPMIN", "z", "1"));
            assertEquals("*3\r\n$1\r\nz\r\n$1\r\nb\r\n,inf\r\n", c.call("BZPOPMIN", "z", "0"));
            assertEquals("_\r\n", c.call("BZPOPMIN", "z", "0.01"));
            assertEquals("_\r\n", c.call("ZMPOP", "1", "z", "MIN"));
            assertEquals("*0\r\n", c.call("ZPOPMIN", "z"));
            assertEquals("_\r\n", c.call("ZRANDMEMBER", "z"));
            c.call("ZADD", "z", "1", "a");
            assertEquals("*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n", c.call("ZMPOP", "1", "z", "MIN", "COUNT", "3"));
            c.call("ZADD", "z", "1", "a");
            assertEquals("*1\r\n*2\r\n$1\r\na\r\n,1\r\n", c.call("ZRANDMEMBER", "z", "1", "WITHSCORES"));
            assertEquals("*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", c.call("ZSCAN", "z", "0"));
        }
    }
}
