package dev.cairn.sets;

import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ValueScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.IntegerOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The set commands through Lettuce, which speaks RESP3 (sets come as RESP3 sets). */
class SetsLettuceTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private final RedisCommands<String, String> redis = server.lettuce();

    @Test
    void addRemoveAndQuery() {
        assertEquals(3, redis.sadd("s", "a", "b", "c", "a"));
        assertEquals(0, redis.sadd("s", "b"));
        assertEquals(Set.of("a", "b", "c"), redis.smembers("s"));
        assertEquals(3, redis.scard("s"));
        assertTrue(redis.sismember("s", "a"));
        assertFalse(redis.sismember("s", "z"));
        assertEquals(List.of(true, false), redis.smismember("s", "c", "z"));
        assertEquals(2, redis.srem("s", "a", "b", "z"));
        assertEquals(Set.of("c"), redis.smembers("s"));
        assertEquals(1, redis.srem("s", "c"));
        assertEquals(0, redis.exists("s"));
        assertEquals(Set.of(), redis.smembers("s"));
    }

    @Test
    void algebra() {
        redis.sadd("a", "1", "2", "3", "x");
        redis.sadd("b", "2", "3", "4", "y");
        assertEquals(Set.of("2", "3"), redis.sinter("a", "b"));
        assertEquals(2, redis.sintercard("a", "b"));
        assertEquals(1, redis.sintercard(1, "a", "b"));
        assertEquals(Set.of("1", "2", "3", "4", "x", "y"), redis.sunion("a", "b"));
        assertEquals(Set.of("1", "x"), redis.sdiff("a", "b"));
        assertEquals(2, redis.sinterstore("i", "a", "b"));
        assertEquals(6, redis.sunionstore("u", "a", "b"));
        assertEquals(2, redis.sdiffstore("d", "a", "b"));
        assertEquals(Set.of("1", "x"), redis.smembers("d"));
        assertEquals(0, redis.sinterstore("d", "a", "missing"));
        assertEquals(0, redis.exists("d"));
    }

    @Test
    void smove() {
        redis.sadd("src", "a", "b");
        assertTrue(redis.smove("src", "dst", "a"));
        assertFalse(redis.smove("src", "dst", "z"));
        assertTrue(redis.smove("src", "dst", "b"));
        assertEquals(0, redis.exists("src"));
        assertEquals(Set.of("a", "b"), redis.smembers("dst"));
    }

    @Test
    void randomMembers() {
        redis.sadd("s", "a", "b", "c", "d");
        assertTrue(Set.of("a", "b", "c", "d").contains(redis.srandmember("s")));
        List<String> two = redis.srandmember("s", 2);
        assertEquals(2, new HashSet<>(two).size());
        assertEquals(7, redis.srandmember("s", -7).size());
        Set<String> popped = redis.spop("s", 3);
        assertEquals(3, popped.size());
        assertEquals(1, redis.scard("s"));
        String last = redis.spop("s");
        assertFalse(popped.contains(last));
        assertNull(redis.spop("s"));
        assertEquals(Set.of(), redis.spop("s", 2));
        assertEquals(List.of(), redis.srandmember("s", 2));
        assertNull(redis.srandmember("s"));
    }

    @Test
    void sscan() {
        for (int i = 0; i < 300; i++) redis.sadd("s", "m" + i);
        Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            ValueScanCursor<String> step = redis.sscan("s", cursor, ScanArgs.Builder.limit(20).match("m1*"));
            seen.addAll(step.getValues());
            cursor = step;
        } while (!cursor.isFinished());
        assertEquals(111, seen.size());
    }

    @Test
    void errors() {
        redis.set("str", "x");
        assertEquals(WRONGTYPE, lettuceError(() -> redis.sadd("str", "a")));
        assertEquals(WRONGTYPE, lettuceError(() -> redis.sunion("missing", "str")));
        assertEquals("ERR value is out of range, must be positive", lettuceError(() -> redis.spop("s", -1)));
        assertEquals("ERR numkeys should be greater than 0",
                lettuceError(() -> redis.dispatch(CommandType.SINTERCARD, new IntegerOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add(0).add("s"))));
    }
}
