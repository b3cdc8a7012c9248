package dev.cairn.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * HRANDFIELD: argument errors, the reply shapes in both protocols, distinct fields for a
 * positive count and independent picks for a negative one, in both encodings and in each
 * of Redis's size cases, and a rough check that picks are spread over all fields.
 */
class HashRandomFieldTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    @AfterEach
    void defaults() {
        jedis.configSet("hash-max-listpack-entries", "512");
    }

    /** A hash of n fields f0..f(n-1) with values v0..; a table when {@code table}. */
    private void fill(String key, int n, boolean table) {
        jedis.configSet("hash-max-listpack-entries", table ? "0" : "512");
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < n; i++) fields.put("f" + i, "v" + i);
        jedis.hset(key, fields);
        assertEquals(table ? "hashtable" : "listpack", jedis.objectEncoding(key));
    }

    @Test
    void argumentErrors() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.call("HSET", "h", "a", "1");
            assertEquals("-ERR value is not an integer or out of range\r\n", raw.call("HRANDFIELD", "h", "x"));
            assertEquals("-ERR value is not an integer or out of range\r\n", raw.call("HRANDFIELD", "none", "1.5"));
            assertEquals("-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n",
                    raw.call("HRANDFIELD", "h", "-9223372036854775808"));
            assertEquals("-ERR syntax error\r\n", raw.call("HRANDFIELD", "h", "1", "WITHVALUE"));
            assertEquals("-ERR syntax error\r\n", raw.call("HRANDFIELD", "none", "1", "WITHVALUES", "x"));
            assertEquals("-ERR value is out of range\r\n",
                    raw.call("HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"));
            assertEquals("-ERR value is out of range\r\n",
                    raw.call("HRANDFIELD", "h", "-4611686018427387904", "WITHVALUES"));
            assertEquals("*2\r\n$1\r\na\r\n$1\r\n1\r\n", raw.call("HRANDFIELD", "h", "4611686018427387903", "WITHVALUES"));
            // The count is checked before the key, the key before a zero count is served.
            raw.call("SET", "s", "x");
            assertEquals("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n",
                    raw.call("HRANDFIELD", "s", "0"));
        }
    }

    @Test
    void replyShapesInBothProtocols() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.call("HSET", "h", "a", "1");
            assertEquals("$1\r\na\r\n", raw.call("HRANDFIELD", "h"));
            assertEquals("$-1\r\n", raw.call("HRANDFIELD", "none"));
            assertEquals("*0\r\n", raw.call("HRANDFIELD", "none", "3"));
            assertEquals("*0\r\n", raw.call("HRANDFIELD", "h", "0"));
            assertEquals("*1\r\n$1\r\na\r\n", raw.call("HRANDFIELD", "h", "5"));
            assertEquals("*2\r\n$1\r\na\r\n$1\r\na\r\n", raw.call("HRANDFIELD", "h", "-2"));
            assertEquals("*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n", raw.call("HRANDFIELD", "h", "-2", "WITHVALUES"));
            raw.call("HELLO", "3");
            assertEquals("_\r\n", raw.call("HRANDFIELD", "none"));
            assertEquals("*0\r\n", raw.call("HRANDFIELD", "none", "-3", "WITHVALUES"));
            assertEquals("*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n", raw.call("HRANDFIELD", "h", "1", "WITHVALUES"));
            assertEquals("*2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n",
                    raw.call("HRANDFIELD", "h", "-2", "WITHVALUES"));
        }
    }

    /** Positive counts: distinct fields, min(count, size) of them, each with its own value. */
    @Test
    void positiveCountsGiveDistinctFields() {
        for (boolean table : new boolean[] {false, true}) {
            jedis.del("h");
            fill("h", 30, table);
            // count >= size (the whole hash), count*3 > size (a subset by removal), count*3 <= size.
            for (int count : new int[] {1, 5, 9, 10, 11, 29, 30, 31, 100}) {
                for (int round = 0; round < 20; round++) {
                    List<Map.Entry<String, String>> pairs = jedis.hrandfieldWithValues("h", count);
                    assertEquals(Math.min(count, 30), pairs.size(), table + " " + count);
                    Set<String> fields = new HashSet<>();
                    for (Map.Entry<String, String> p : pairs) {
                        assertTrue(fields.add(p.getKey()), "repeated field " + p.getKey());
                        assertEquals("v" + p.getKey().substring(1), p.getValue());
                    }
                    assertEquals(Math.min(count, 30), jedis.hrandfield("h", count).stream().distinct().count());
                }
            }
            assertEquals(30, Set.copyOf(jedis.hrandfield("h", Long.MAX_VALUE)).size());
        }
    }

    /** Negative counts: exactly -count picks, repeats allowed, values matching. */
    @Test
    void negativeCountsRepeat() {
        for (boolean table : new boolean[] {false, true}) {
            jedis.del("h");
            fill("h", 3, table);
            for (int count : new int[] {1, 2, 3, 50}) {
                List<Map.Entry<String, String>> pairs = jedis.hrandfieldWithValues("h", -count);
                assertEquals(count, pairs.size());
                for (Map.Entry<String, String> p : pairs) assertEquals("v" + p.getKey().substring(1), p.getValue());
            }
            List<String> many = jedis.hrandfield("h", -300);
            assertEquals(300, many.size());
            assertEquals(Set.of("f0", "f1", "f2"), Set.copyOf(many));
        }
    }

    @Test
    void withoutCountReturnsAField() {
        fill("h", 5, true);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 500; i++) seen.add(jedis.hrandfield("h"));
        assertEquals(Set.of("f0", "f1", "f2", "f3", "f4"), seen);
        assertNull(jedis.hrandfield("none"));
    }

    /**
     * Every field gets about its share of many independent picks: within a factor of two
     * of the mean, which a fair draw misses with negligible probability at these sizes.
     */
    @Test
    void picksAreSpreadOverAllFields() {
        for (boolean table : new boolean[] {false, true}) {
            jedis.del("h");
            fill("h", 50, table);
            Map<String, Integer> counts = new HashMap<>();
            for (String f : jedis.hrandfield("h", -50_000)) counts.merge(f, 1, Integer::sum);
            assertEquals(50, counts.size());
            for (Map.Entry<String, Integer> e : counts.entrySet()) {
                assertTrue(e.getValue() > 500 && e.getValue() < 2000, table + ": " + e);
            }
            // Distinct subsets too: every field shows up across repeated small draws.
            Map<String, Integer> subsetCounts = new HashMap<>();
            for (int i = 0; i < 2000; i++) {
                for (String f : jedis.hrandfield("h", 10)) subsetCounts.merge(f, 1, Integer::sum);
            }
            assertEquals(50, subsetCounts.size());
            for (Map.Entry<String, Integer> e : subsetCounts.entrySet()) {
                assertTrue(e.getValue() > 200 && e.getValue() < 800, table + " subset: " + e);
            }
        }
    }

    @Test
    void wrongTypeWithCount() {
        jedis.set("s", "x");
        assertEquals("WRONGTYPE Operation against a key holding the wrong kind of value",
                assertThrows(JedisDataException.class, () -> jedis.hrandfield("s", 2)).getMessage());
    }
}
