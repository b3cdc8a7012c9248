package dev.cairn.lists;

import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMPopArgs;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.LPosArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The list commands through Lettuce, which speaks RESP3 (HELLO 3): nulls are RESP3 nulls there. */
class ListsLettuceTest {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @RegisterExtension
    final ServerFixture server = ServerFixture.cairn();

    private final RedisCommands<String, String> redis = server.lettuce();

    @Test
    void pushPopAndRead() {
        assertEquals(2, redis.lpush("l", "b", "a"));
        assertEquals(4, redis.rpush("l", "c", "d"));
        assertEquals(5, redis.rpushx("l", "e"));
        assertEquals(0, redis.lpushx("missing", "e"));
        assertEquals(List.of("a", "b", "c", "d", "e"), redis.lrange("l", 0, -1));
        assertEquals(5, redis.llen("l"));
        assertEquals("c", redis.lindex("l", 2));
        assertNull(redis.lindex("l", 9));
        assertEquals("a", redis.lpop("l"));
        assertEquals("e", redis.rpop("l"));
        assertEquals(List.of("b", "c"), redis.lpop("l", 2));
        assertEquals(List.of("d"), redis.rpop("l", 2));
        assertNull(redis.lpop("l"));
        assertEquals(0, redis.llen("l"));
    }

    @Test
    void editsInTheMiddle() {
        redis.rpush("l", "a", "b", "a", "c");
        assertEquals("OK", redis.lset("l", -1, "C"));
        assertEquals(5, redis.linsert("l", true, "b", "x"));
        assertEquals(-1, redis.linsert("l", false, "zz", "x"));
        assertEquals(2, redis.lrem("l", 0, "a"));
        assertEquals(List.of("x", "b", "C"), redis.lrange("l", 0, -1));
        assertEquals("OK", redis.ltrim("l", 1, 1));
        assertEquals(List.of("b"), redis.lrange("l", 0, -1));
        assertEquals("ERR index out of range", lettuceError(() -> redis.lset("l", 5, "x")));
        assertEquals("ERR no such key", lettuceError(() -> redis.lset("missing", 0, "x")));
    }

    @Test
    void lposWithArguments() {
        redis.rpush("l", "a", "b", "a", "a");
        assertEquals(0, redis.lpos("l", "a"));
        assertEquals(3, redis.lpos("l", "a", LPosArgs.Builder.rank(-1)));
        assertEquals(List.of(2L, 3L), redis.lpos("l", "a", 0, LPosArgs.Builder.rank(2)));
        assertEquals(List.of(0L), redis.lpos("l", "a", 0, LPosArgs.Builder.maxlen(2)));
        assertNull(redis.lpos("l", "z"));
        assertEquals(List.of(), redis.lpos("missing", "z", 1));
    }

    @Test
    void movesAndMultiPops() {
        redis.rpush("src", "1", "2", "3", "4");
        assertEquals("1", redis.lmove("src", "dst", LMoveArgs.Builder.leftRight()));
        assertEquals("4", redis.rpoplpush("src", "dst"));
        assertEquals(List.of("4", "1"), redis.lrange("dst", 0, -1));
        KeyValue<String, List<String>> popped = redis.lmpop(LMPopArgs.Builder.right().count(5), "none", "src");
        assertEquals("src", popped.getKey());
        assertEquals(List.of("3", "2"), popped.getValue());
        assertNull(redis.lmove("src", "dst", LMoveArgs.Builder.leftLeft()));
    }

    @Test
    void blockingFormsServeExistingData() {
        redis.rpush("l", "1", "2", "3", "4", "5");
        KeyValue<String, String> first = redis.blpop(0, "none", "l");
        assertEquals("l", first.getKey());
        assertEquals("1", first.getValue());
        assertEquals("5", redis.brpop(0.25, "l").getValue());
        assertEquals("4", redis.brpoplpush(1, "l", "d"));
        assertEquals("2", redis.blmove("l", "d", LMoveArgs.Builder.leftLeft(), 0.5));
        assertEquals(List.of("2", "4"), redis.lrange("d", 0, -1));
        assertEquals(List.of("3"), redis.blmpop(0, LMPopArgs.Builder.left().count(3), "l").getValue());
    }

    @Test
    void timeoutsGiveNull() {
        assertNull(redis.blpop(0.01, "none"));
        assertNull(redis.brpop(0.01, "none", "other"));
        assertNull(redis.blmove("none", "d", LMoveArgs.Builder.rightLeft(), 0.01));
        assertNull(redis.brpoplpush(0.01, "none", "d"));
        assertNull(redis.blmpop(0.01, LMPopArgs.Builder.left(), "none"));
    }

    @Test
    void wrongTypeEverywhere() {
        redis.set("s", "v");
        assertEquals(WRONGTYPE, lettuceError(() -> redis.lpush("s", "a")));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.lrange("s", 0, 1)));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.llen("s")));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.lpos("s", "a")));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.lmove("s", "d", LMoveArgs.Builder.leftLeft())));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.blpop(0, "s")));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.lmpop(LMPopArgs.Builder.left(), "s")));
        assertEquals("ERR value is out of range, must be positive", lettuceError(() -> redis.lpop("s", -1)));
    }
}
