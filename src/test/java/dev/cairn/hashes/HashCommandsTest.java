package dev.cairn.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** The hash commands through Jedis (RESP2): replies, errors, key lifecycle and change counts. */
class HashCommandsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }


    private String error(String... args) {
        return JedisCommands.error(jedis, args);
    }

    private long dirty() {
        String info = jedis.info("persistence");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) return Long.parseLong(line.substring(28));
        }
        throw new AssertionError("no rdb_changes_since_last_save in " + info);
    }

    // ---- HSET / HMSET / HSETNX -----------------------------------------------------------

    @Test
    void hsetCountsNewFieldsOnly() {
        assertEquals(2, jedis.hset("h", Map.of("a", "1", "b", "2")));
        assertEquals(1L, call("HSET", "h", "a", "10", "c", "3"));
        assertEquals("10", jedis.hget("h", "a"));
        assertEquals(0L, call("HSET", "h", "a", "11"));
        assertEquals(3, jedis.hlen("h"));
        assertEquals("hash", jedis.type("h"));
    }

    @Test
    void hmsetRepliesOk() {
        assertEquals("OK", jedis.hmset("h", Map.of("a", "1", "b", "2")));
        assertEquals(Arrays.asList("1", "2", null), jedis.hmget("h", "a", "b", "c"));
    }

    @Test
    void repeatedFieldInOneCommandKeepsTheLastValue() {
        assertEquals(1L, call("HSET", "h", "f", "1", "f", "2"));
        assertEquals("2", jedis.hget("h", "f"));
    }

    @Test
    void hsetnx() {
        assertEquals(1, jedis.hsetnx("h", "f", "v"));
        assertEquals(0, jedis.hsetnx("h", "f", "w"));
        assertEquals("v", jedis.hget("h", "f"));
        assertEquals(1, jedis.hsetnx("h", "g", "w"));
    }

    @Test
    void oddArgumentCountsAreArityErrors() {
        assertEquals("ERR wrong number of arguments for 'hset' command", error("HSET", "h", "f"));
        assertEquals("ERR wrong number of arguments for 'hset' command", error("HSET", "h", "f", "v", "g"));
        assertEquals("ERR wrong number of arguments for 'hmset' command", error("HMSET", "h", "f", "v", "g"));
        assertEquals("ERR wrong number of arguments for 'hsetnx' command", error("HSETNX", "h", "f"));
        assertFalse(jedis.exists("h"));
    }

    @Test
    void emptyFieldsAndValuesAreAllowed() {
        assertEquals(1L, call("HSET", "h", "", ""));
        assertEquals("", jedis.hget("h", ""));
        assertEquals(0, jedis.hstrlen("h", ""));
        assertTrue(jedis.hexists("h", ""));
    }

    @Test
    void binaryFieldsAndValues() {
        byte[] field = {0, (byte) 0xff, '\r', '\n'};
        byte[] value = {(byte) 0x80, 0, 1};
        assertEquals(1, jedis.hset("h".getBytes(), field, value));
        assertTrue(Arrays.equals(value, jedis.hget("h".getBytes(), field)));
        assertEquals(3, jedis.hstrlen("h".getBytes(), field));
    }

    // ---- reads -----------------------------------------------------------------------------

    @Test
    void readsOfMissingKeys() {
        assertNull(jedis.hget("none", "f"));
        assertEquals(Arrays.asList(null, null), jedis.hmget("none", "a", "b"));
        assertEquals(Map.of(), jedis.hgetAll("none"));
        assertEquals(List.of(), call("HKEYS", "none"));
        assertEquals(List.of(), call("HVALS", "none"));
        assertEquals(0, jedis.hlen("none"));
        assertEquals(0, jedis.hstrlen("none", "f"));
        assertFalse(jedis.hexists("none", "f"));
        assertEquals(0, jedis.hdel("none", "f"));
    }

    @Test
    void hgetallKeysAndValsFollowInsertionOrderWhileCompact() {
        call("HSET", "h", "z", "1", "a", "2", "m", "3");
        assertEquals(List.of("z", "1", "a", "2", "m", "3"), call("HGETALL", "h"));
        assertEquals(List.of("z", "a", "m"), call("HKEYS", "h"));
        assertEquals(List.of("1", "2", "3"), call("HVALS", "h"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("z", "1");
        expected.put("a", "2");
        expected.put("m", "3");
        assertEquals(expected, jedis.hgetAll("h"));
    }

    @Test
    void hstrlenAndHexists() {
        jedis.hset("h", "f", "hello");
        jedis.hset("h", "n", "-12345");
        assertEquals(5, jedis.hstrlen("h", "f"));
        assertEquals(6, jedis.hstrlen("h", "n"));
        assertEquals(0, jedis.hstrlen("h", "missing"));
        assertTrue(jedis.hexists("h", "f"));
        assertFalse(jedis.hexists("h", "missing"));
    }

    // ---- HDEL --------------------------------------------------------------------------------

    @Test
    void hdelRemovesTheKeyWithItsLastField() {
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertEquals(2L, call("HDEL", "h", "a", "x", "b", "a"));
        assertEquals(List.of("c"), call("HKEYS", "h"));
        assertEquals(1, jedis.hdel("h", "c", "d"));
        assertFalse(jedis.exists("h"));
        assertEquals("none", jedis.type("h"));
    }

    // ---- counters -----------------------------------------------------------------------------

    @Test
    void hincrby() {
        assertEquals(5, jedis.hincrBy("h", "n", 5));
        assertEquals(-5, jedis.hincrBy("h", "n", -10));
        assertEquals("-5", jedis.hget("h", "n"));
        jedis.hset("h", "big", "9223372036854775806");
        assertEquals(Long.MAX_VALUE, jedis.hincrBy("h", "big", 1));
        assertEquals("ERR increment or decrement would overflow", error("HINCRBY", "h", "big", "1"));
        jedis.hset("h", "small", "-9223372036854775807");
        assertEquals(Long.MIN_VALUE, jedis.hincrBy("h", "small", -1));
        assertEquals("ERR increment or decrement would overflow", error("HINCRBY", "h", "small", "-1"));
        assertEquals(Long.MIN_VALUE, jedis.hincrBy("h", "small", 0));
    }

    @Test
    void hincrbyErrors() {
        jedis.hset("h", "s", "abc");
        jedis.hset("h", "f", "1.5");
        jedis.hset("h", "sp", " 1");
        jedis.hset("h", "z", "01");
        assertEquals("ERR hash value is not an integer", error("HINCRBY", "h", "s", "1"));
        assertEquals("ERR hash value is not an integer", error("HINCRBY", "h", "f", "1"));
        assertEquals("ERR hash value is not an integer", error("HINCRBY", "h", "sp", "1"));
        assertEquals("ERR hash value is not an integer", error("HINCRBY", "h", "z", "1"));
        assertEquals("ERR value is not an integer or out of range", error("HINCRBY", "h", "n", "1.5"));
        assertEquals("ERR value is not an integer or out of range", error("HINCRBY", "h", "n", "9223372036854775808"));
        // The increment is checked before the key: nothing is created.
        assertEquals("ERR value is not an integer or out of range", error("HINCRBY", "new", "n", "x"));
        assertFalse(jedis.exists("new"));
    }

    @Test
    void hincrbyfloat() {
        assertEquals(10.5, jedis.hincrByFloat("h", "x", 10.5));
        assertEquals("10.5", jedis.hget("h", "x"));
        assertEquals("10.6", call("HINCRBYFLOAT", "h", "x", "0.1"));
        jedis.hset("h", "i", "3");
        assertEquals("5.5", call("HINCRBYFLOAT", "h", "i", "2.5"));
        assertEquals("5", call("HINCRBYFLOAT", "h", "i", "-0.5"));
        assertEquals("5", jedis.hget("h", "i"));
        assertEquals("10000000000.09999999962747097", call("HINCRBYFLOAT", "h", "big", "10000000000.1"));
        assertEquals("3.5", call("HINCRBYFLOAT", "h", "hex", "0x1.cp1"));
    }

    @Test
    void hincrbyfloatErrors() {
        jedis.hset("h", "s", "abc");
        jedis.hset("h", "inf", "inf");
        assertEquals("ERR hash value is not a float", error("HINCRBYFLOAT", "h", "s", "1"));
        assertEquals("ERR value is not a valid float", error("HINCRBYFLOAT", "h", "n", "abc"));
        assertEquals("ERR value is not a valid float", error("HINCRBYFLOAT", "h", "n", "nan"));
        assertEquals("ERR value is NaN or Infinity", error("HINCRBYFLOAT", "h", "n", "inf"));
        assertEquals("ERR value is NaN or Infinity", error("HINCRBYFLOAT", "new", "n", "-inf"));
        assertFalse(jedis.exists("new"));
        assertEquals("ERR increment would produce NaN or Infinity", error("HINCRBYFLOAT", "h", "inf", "1"));
        jedis.hset("h", "huge", "1e4932");
        assertEquals("ERR increment would produce NaN or Infinity", error("HINCRBYFLOAT", "h", "huge", "1e4932"));
    }

    @Test
    void hincrbyfloatResultFeedsHincrbyOnlyWhenIntegral() {
        call("HINCRBYFLOAT", "h", "age", "18");
        assertEquals(19, jedis.hincrBy("h", "age", 1));
        call("HINCRBYFLOAT", "h", "age", "0.5");
        assertEquals("ERR hash value is not an integer", error("HINCRBY", "h", "age", "-1"));
    }

    // ---- types ----------------------------------------------------------------------------------

    @Test
    void everyCommandRefusesOtherTypes() {
        jedis.set("s", "x");
        String[][] commands = {
            {"HSET", "s", "f", "v"}, {"HMSET", "s", "f", "v"}, {"HSETNX", "s", "f", "v"}, {"HGET", "s", "f"},
            {"HMGET", "s", "f"}, {"HGETALL", "s"}, {"HKEYS", "s"}, {"HVALS", "s"}, {"HDEL", "s", "f"},
            {"HEXISTS", "s", "f"}, {"HLEN", "s"}, {"HSTRLEN", "s", "f"}, {"HINCRBY", "s", "f", "1"},
            {"HINCRBYFLOAT", "s", "f", "1"}, {"HSCAN", "s", "0"}, {"HRANDFIELD", "s"}, {"HRANDFIELD", "s", "0"},
            {"HRANDFIELD", "s", "-3", "WITHVALUES"}
        };
        for (String[] command : commands) assertEquals(WRONGTYPE, error(command), String.join(" ", command));
        jedis.hset("h", "f", "v");
        assertEquals(WRONGTYPE, error("GET", "h"));
        assertEquals(WRONGTYPE, error("APPEND", "h", "x"));
        assertEquals("x", jedis.get("s"));
    }

    // ---- key lifecycle -----------------------------------------------------------------------------

    @Test
    void hashesKeepTheirTtlAcrossWritesAndCopy() {
        jedis.hset("h", "f", "v");
        jedis.expire("h", 100);
        jedis.hset("h", "g", "w");
        jedis.hincrBy("h", "n", 1);
        jedis.hdel("h", "f");
        assertTrue(jedis.ttl("h") > 0);
        assertTrue(jedis.copy("h", "c", false));
        jedis.hset("c", "g", "changed");
        assertEquals("w", jedis.hget("h", "g"));
        assertEquals("changed", jedis.hget("c", "g"));
        assertEquals(2, jedis.hlen("c"));
    }

    @Test
    void copyOfATableHashIsIndependent() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 600; i++) fields.put("f" + i, "v" + i);
        jedis.hset("h", fields);
        assertEquals("hashtable", jedis.objectEncoding("h"));
        assertTrue(jedis.copy("h", "c", false));
        assertEquals("hashtable", jedis.objectEncoding("c"));
        jedis.hdel("c", "f1");
        jedis.hset("h", "f2", "x");
        assertEquals(599, jedis.hlen("c"));
        assertEquals("v2", jedis.hget("c", "f2"));
        assertEquals(fields.size(), jedis.hlen("h"));
    }

    /** Redis counts one change per field set or deleted (rdb_changes_since_last_save). */
    @Test
    void changesAreCountedPerField() {
        long before = dirty();
        call("HSET", "h", "a", "1", "b", "2", "c", "3");
        assertEquals(before + 3, dirty());
        call("HMSET", "h", "a", "1", "d", "4");
        assertEquals(before + 5, dirty());
        call("HSETNX", "h", "a", "x");
        assertEquals(before + 5, dirty());
        call("HDEL", "h", "a", "b", "zz");
        assertEquals(before + 7, dirty());
        call("HDEL", "h", "zz");
        assertEquals(before + 7, dirty());
        call("HINCRBY", "h", "n", "1");
        call("HINCRBYFLOAT", "h", "n", "1");
        assertEquals(before + 9, dirty());
        error("HINCRBY", "h", "n", "x");
        assertEquals(before + 9, dirty());
    }
}
