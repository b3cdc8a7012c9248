package dev.cairn.hashes;

import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.KeyValue;
import io.lettuce.core.MapScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The hash commands through Lettuce, which speaks RESP3 (HELLO 3): maps, pairs, errors. */
class HashesLettuceTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final RedisCommands<String, String> redis = server.lettuce();

    @Test
    void setAndGet() {
        assertEquals(2, redis.hset("h", Map.of("a", "1", "b", "2")));
        assertTrue(redis.hset("h", "c", "3"));
        assertFalse(redis.hset("h", "c", "4"));
        assertEquals("OK", redis.hmset("h", Map.of("d", "5")));
        assertTrue(redis.hsetnx("h", "e", "6"));
        assertFalse(redis.hsetnx("h", "e", "7"));
        assertEquals("4", redis.hget("h", "c"));
        assertNull(redis.hget("h", "zz"));
        assertNull(redis.hget("none", "a"));
        List<KeyValue<String, String>> values = redis.hmget("h", "a", "zz", "e");
        assertEquals("1", values.get(0).getValue());
        assertFalse(values.get(1).hasValue());
        assertEquals("6", values.get(2).getValue());
        assertEquals(5, redis.hlen("h"));
        assertEquals(1, redis.hstrlen("h", "a"));
        assertTrue(redis.hexists("h", "a"));
        assertFalse(redis.hexists("h", "zz"));
    }

    @Test
    void hgetallIsAMapInResp3() {
        redis.hset("h", "x", "1");
        redis.hset("h", "y", "2");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("x", "1");
        expected.put("y", "2");
        assertEquals(expected, redis.hgetall("h"));
        assertEquals(Map.of(), redis.hgetall("none"));
        assertEquals(List.of("x", "y"), redis.hkeys("h"));
        assertEquals(List.of("1", "2"), redis.hvals("h"));
        assertEquals(List.of(), redis.hkeys("none"));
    }

    @Test
    void deleteAndCounters() {
        redis.hset("h", Map.of("a", "1", "b", "x"));
        assertEquals(11, redis.hincrby("h", "a", 10));
        assertEquals(12.5, redis.hincrbyfloat("h", "a", 1.5));
        assertEquals("ERR hash value is not an integer", lettuceError(() -> redis.hincrby("h", "b", 1)));
        assertEquals("ERR hash value is not a float", lettuceError(() -> redis.hincrbyfloat("h", "b", 1)));
        assertEquals(2, redis.hdel("h", "a", "b", "c"));
        assertEquals(0, redis.exists("h"));
        assertEquals(0, redis.hdel("h", "a"));
    }

    @Test
    void wrongType() {
        redis.set("s", "v");
        String wrongType = "WRONGTYPE Operation against a key holding the wrong kind of value";
        assertEquals(wrongType, lettuceError(() -> redis.hgetall("s")));
        assertEquals(wrongType, lettuceError(() -> redis.hset("s", "f", "v")));
        assertEquals(wrongType, lettuceError(() -> redis.hrandfieldWithvalues("s", 2)));
    }

    @Test
    void hrandfieldPairsInResp3() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 10; i++) fields.put("f" + i, "v" + i);
        redis.hset("h", fields);
        List<KeyValue<String, String>> pairs = redis.hrandfieldWithvalues("h", 4);
        assertEquals(4, pairs.size());
        for (KeyValue<String, String> p : pairs) assertEquals("v" + p.getKey().substring(1), p.getValue());
        assertEquals(20, redis.hrandfieldWithvalues("h", -20).size());
        assertEquals(10, redis.hrandfield("h", 100).size());
        assertTrue(fields.containsKey(redis.hrandfield("h")));
        KeyValue<String, String> one = redis.hrandfieldWithvalues("h");
        assertEquals(fields.get(one.getKey()), one.getValue());
        assertNull(redis.hrandfield("none"));
    }

    @Test
    void hscanCollectsEveryField() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 800; i++) fields.put("f" + i, "v" + i);
        redis.hset("h", fields);
        Map<String, String> seen = new HashMap<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            MapScanCursor<String, String> r = redis.hscan("h", cursor, ScanArgs.Builder.limit(30));
            seen.putAll(r.getMap());
            cursor = r;
        } while (!cursor.isFinished());
        assertEquals(fields, seen);
        assertTrue(redis.hscan("none").getMap().isEmpty());
    }
}
