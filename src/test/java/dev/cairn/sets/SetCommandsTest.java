package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** The @set commands through Jedis (RESP2): replies, errors, key creation and deletion, TTL effects. */
class SetCommandsTest {
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

    private String encoding(String key) {
        return jedis.objectEncoding(key);
    }

    // ---- SADD / SREM / SCARD / SISMEMBER / SMISMEMBER -------------------------------------

    @Test
    void saddCountsOnlyNewMembers() {
        assertEquals(4, jedis.sadd("s", "a", "b", "c", "d", "a"));
        assertEquals(1, jedis.sadd("s", "a", "e"));
        assertEquals(0, jedis.sadd("s", "a"));
        assertEquals(5, jedis.scard("s"));
        assertEquals(Set.of("a", "b", "c", "d", "e"), jedis.smembers("s"));
        assertEquals("set", jedis.type("s"));
    }

    @Test
    void binaryAndEmptyMembers() {
        byte[] binary = {0, (byte) 0xff, '\r', '\n'};
        assertEquals(2, jedis.sadd("s".getBytes(), binary, new byte[0]));
        assertTrue(jedis.sismember("s".getBytes(), binary));
        assertTrue(jedis.sismember("s".getBytes(), new byte[0]));
        assertFalse(jedis.sismember("s".getBytes(), new byte[] {0}));
    }

    @Test
    void sremDeletesTheKeyWhenEmpty() {
        jedis.sadd("s", "a", "b", "c", "d");
        assertEquals(2, jedis.srem("s", "c", "d", "x"));
        assertEquals(Set.of("a", "b"), jedis.smembers("s"));
        assertEquals(0, jedis.srem("s", "x"));
        assertEquals(0, jedis.srem("missing", "a"));
        assertEquals(2, jedis.srem("s", "a", "b", "a"));
        assertFalse(jedis.exists("s"));
    }

    @Test
    void sremOfIntegersAndNonIntegersInAnIntset() {
        jedis.sadd("s", "1", "2", "3");
        assertEquals(0, jedis.srem("s", "01", "+1", "1.0", "x", "99999999999999999999"));
        assertEquals(1, jedis.srem("s", "2"));
        assertEquals(Set.of("1", "3"), jedis.smembers("s"));
    }

    @Test
    void membershipQueries() {
        jedis.sadd("s", "a", "1", "-7");
        assertTrue(jedis.sismember("s", "a"));
        assertTrue(jedis.sismember("s", "-7"));
        assertFalse(jedis.sismember("s", "-07"));
        assertFalse(jedis.sismember("missing", "a"));
        assertEquals(List.of(true, false, true), jedis.smismember("s", "a", "b", "1"));
        assertEquals(List.of(0L, 0L), call("SMISMEMBER", "missing", "a", "b"));
        assertEquals(0, jedis.scard("missing"));
    }

    @Test
    void wrongTypeAndArity() {
        jedis.set("str", "x");
        for (String[] command : List.of(
                new String[] {"SADD", "str", "a"}, new String[] {"SREM", "str", "a"},
                new String[] {"SCARD", "str"}, new String[] {"SISMEMBER", "str", "a"},
                new String[] {"SMISMEMBER", "str", "a"}, new String[] {"SMEMBERS", "str"},
                new String[] {"SPOP", "str"}, new String[] {"SPOP", "str", "2"},
                new String[] {"SRANDMEMBER", "str"}, new String[] {"SRANDMEMBER", "str", "-2"},
                new String[] {"SINTER", "missing", "str"}, new String[] {"SUNION", "missing", "str"},
                new String[] {"SDIFF", "missing", "str"}, new String[] {"SINTERCARD", "2", "missing", "str"},
                new String[] {"SINTERSTORE", "d", "missing", "str"}, new String[] {"SSCAN", "str", "0"},
                new String[] {"SMOVE", "str", "d", "a"})) {
            assertEquals(WRONGTYPE, error(command), String.join(" ", command));
        }
        assertEquals("ERR wrong number of arguments for 'sadd' command", error("SADD", "s"));
        assertEquals("ERR wrong number of arguments for 'smove' command", error("SMOVE", "a", "b"));
        assertEquals("ERR wrong number of arguments for 'sintercard' command", error("SINTERCARD", "1"));
        assertEquals("x", jedis.get("str"));
    }

    // ---- SMEMBERS / SINTER / SINTERCARD / SINTERSTORE -----------------------------------

    @Test
    void intersection() {
        jedis.sadd("a", "x", "y", "z", "1");
        jedis.sadd("b", "y", "z", "w", "1");
        jedis.sadd("c", "z", "1");
        assertEquals(Set.of("y", "z", "1"), jedis.sinter("a", "b"));
        assertEquals(Set.of("z", "1"), jedis.sinter("a", "b", "c"));
        assertEquals(Set.of(), jedis.sinter("a", "missing"));
        assertEquals(Set.of("x", "y", "z", "1"), jedis.sinter("a"));
        assertEquals(Set.of("x", "y", "z", "1"), jedis.sinter("a", "a"));
        assertEquals(List.of(), call("SMEMBERS", "missing"));
    }

    @Test
    void intersectionOfIntsetsIsSortedByTheSmallestSet() {
        jedis.sadd("a", "5", "3", "1", "4", "2");
        jedis.sadd("b", "4", "2", "3", "9");
        assertEquals(List.of("2", "3", "4"), call("SINTER", "a", "b"));
        assertEquals(List.of("1", "2", "3", "4", "5"), call("SMEMBERS", "a"));
    }

    @Test
    void sintercard() {
        jedis.sadd("a", "1", "2", "3", "4", "x");
        jedis.sadd("b", "2", "3", "4", "x", "y");
        assertEquals(4L, call("SINTERCARD", "2", "a", "b"));
        assertEquals(2L, call("SINTERCARD", "2", "a", "b", "LIMIT", "2"));
        assertEquals(4L, call("SINTERCARD", "2", "a", "b", "limit", "0"));
        assertEquals(4L, call("SINTERCARD", "2", "a", "b", "LIMIT", "100"));
        assertEquals(4L, call("SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "0"));
        assertEquals(5L, call("SINTERCARD", "1", "a"));
        assertEquals(0L, call("SINTERCARD", "2", "a", "missing"));
        assertEquals("ERR numkeys should be greater than 0", error("SINTERCARD", "0", "a"));
        assertEquals("ERR numkeys should be greater than 0", error("SINTERCARD", "-1", "a"));
        assertEquals("ERR numkeys should be greater than 0", error("SINTERCARD", "x", "a"));
        assertEquals("ERR Number of keys can't be greater than number of args", error("SINTERCARD", "3", "a", "b"));
        assertEquals("ERR LIMIT can't be negative", error("SINTERCARD", "1", "a", "LIMIT", "-1"));
        assertEquals("ERR LIMIT can't be negative", error("SINTERCARD", "1", "a", "LIMIT", "x"));
        assertEquals("ERR syntax error", error("SINTERCARD", "1", "a", "LIMIT"));
        assertEquals("ERR syntax error", error("SINTERCARD", "1", "a", "b"));
    }

    @Test
    void sinterstoreReplacesTheDestinationAndItsTtl() {
        jedis.sadd("a", "x", "y", "z");
        jedis.sadd("b", "y", "z", "w");
        jedis.set("dst", "old");
        jedis.expire("dst", 100);
        assertEquals(2, jedis.sinterstore("dst", "a", "b"));
        assertEquals(Set.of("y", "z"), jedis.smembers("dst"));
        assertEquals(-1, jedis.ttl("dst"));
    }

    @Test
    void storeCommandsDeleteTheDestinationWhenTheResultIsEmpty() {
        jedis.sadd("a", "x");
        jedis.sadd("b", "y");
        for (String command : List.of("SINTERSTORE", "SDIFFSTORE")) {
            jedis.sadd("dst", "old");
            assertEquals(0L, call(command, "dst", "a", command.equals("SDIFFSTORE") ? "a" : "b"));
            assertFalse(jedis.exists("dst"), command);
        }
        jedis.set("dst", "string");
        assertEquals(0, jedis.sinterstore("dst", "a", "missing"));
        assertFalse(jedis.exists("dst"));
        assertEquals(0, jedis.sunionstore("dst", "missing", "missing2"));
        assertFalse(jedis.exists("dst"));
        assertEquals(0, jedis.sdiffstore("dst", "missing", "a"));
        assertFalse(jedis.exists("dst"));
    }

    @Test
    void storeCommandsAcceptTheDestinationAsASource() {
        jedis.sadd("a", "1", "2", "3");
        jedis.sadd("b", "3", "4");
        assertEquals(4, jedis.sunionstore("a", "a", "b"));
        assertEquals(Set.of("1", "2", "3", "4"), jedis.smembers("a"));
        assertEquals(2, jedis.sdiffstore("a", "a", "b"));
        assertEquals(Set.of("1", "2"), jedis.smembers("a"));
        assertEquals(0, jedis.sinterstore("a", "a", "b"));
        assertFalse(jedis.exists("a"));
    }

    // ---- SUNION / SDIFF ------------------------------------------------------------------

    @Test
    void unionAndDifference() {
        jedis.sadd("k1", "a", "b");
        jedis.sadd("k2", "b", "c", "d");
        assertEquals(Set.of("a", "b", "c", "d"), jedis.sunion("k1", "k2", "missing"));
        assertEquals(Set.of("a"), jedis.sdiff("k1", "k2"));
        assertEquals(Set.of("c", "d"), jedis.sdiff("k2", "k1"));
        assertEquals(Set.of("c", "d"), jedis.sdiff("k2", "missing", "k1"));
        assertEquals(Set.of(), jedis.sdiff("missing", "k1"));
        assertEquals(Set.of(), jedis.sdiff("k1", "k1"));
        assertEquals(Set.of(), jedis.sdiff("k1", "k2", "k1"));
        assertEquals(Set.of("a", "b"), jedis.sdiff("k1"));
        assertEquals(Set.of(), jedis.sunion("missing"));
        assertEquals(4, jedis.sunionstore("u", "k1", "k2"));
        assertEquals(1, jedis.sdiffstore("d", "k1", "k2"));
        assertEquals(Set.of("a"), jedis.smembers("d"));
    }

    @Test
    void differenceWithBothAlgorithms() {
        // A small first set is subtracted member by member; a big one from a copy.
        for (int i = 0; i < 300; i++) jedis.sadd("big", "m" + i);
        jedis.sadd("small", "m1", "m2", "x");
        assertEquals(Set.of("x"), jedis.sdiff("small", "big"));
        jedis.sadd("few", "m1", "m2");
        Set<String> rest = jedis.sdiff("big", "few", "small");
        assertEquals(298, rest.size());
        assertFalse(rest.contains("m1"));
        assertTrue(rest.contains("m0"));
    }

    @Test
    void unionOfIntsetsIsSorted() {
        jedis.sadd("a", "10", "-3");
        jedis.sadd("b", "7", "100000", "-3");
        assertEquals(List.of("-3", "7", "10", "100000"), call("SUNION", "b", "a"));
        assertEquals(List.of("10"), call("SDIFF", "a", "b"));
    }

    // ---- SMOVE ---------------------------------------------------------------------------

    @Test
    void smove() {
        jedis.sadd("src", "a", "b");
        jedis.sadd("dst", "c");
        assertEquals(1, jedis.smove("src", "dst", "a"));
        assertEquals(Set.of("b"), jedis.smembers("src"));
        assertEquals(Set.of("a", "c"), jedis.smembers("dst"));
        assertEquals(0, jedis.smove("src", "dst", "x"));
        assertEquals(0, jedis.smove("missing", "dst", "a"));
        jedis.sadd("dst", "b");
        assertEquals(1, jedis.smove("src", "dst", "b"));
        assertFalse(jedis.exists("src"));
        assertEquals(Set.of("a", "b", "c"), jedis.smembers("dst"));
        assertEquals(1, jedis.smove("dst", "new", "a"));
        assertEquals(Set.of("a"), jedis.smembers("new"));
    }

    @Test
    void smoveToItself() {
        jedis.sadd("s", "a", "b");
        assertEquals(1, jedis.smove("s", "s", "a"));
        assertEquals(0, jedis.smove("s", "s", "x"));
        assertEquals(Set.of("a", "b"), jedis.smembers("s"));
    }

    @Test
    void smoveChecksBothTypesFirst() {
        jedis.sadd("s", "a");
        jedis.set("str", "x");
        assertEquals(WRONGTYPE, error("SMOVE", "s", "str", "a"));
        assertEquals(WRONGTYPE, error("SMOVE", "str", "s", "a"));
        assertEquals(0L, call("SMOVE", "missing", "str", "a"));
        assertEquals(Set.of("a"), jedis.smembers("s"));
    }

    @Test
    void smoveCreatesTheDestinationInTheRightEncoding() {
        jedis.sadd("s", "1", "x");
        jedis.smove("s", "ints", "1");
        jedis.smove("s", "strings", "x");
        assertEquals("intset", encoding("ints"));
        assertEquals("hashtable", encoding("strings"));
    }

    // ---- SPOP / SRANDMEMBER errors and edges (randomness: SetRandomTest) -----------------

    @Test
    void spopErrorsAndEdges() {
        jedis.sadd("s", "a", "b", "c");
        assertEquals("ERR value is out of range, must be positive", error("SPOP", "s", "-1"));
        assertEquals("ERR value is out of range, must be positive", error("SPOP", "s", "x"));
        assertEquals("ERR syntax error", error("SPOP", "s", "1", "2"));
        assertEquals(List.of(), call("SPOP", "s", "0"));
        assertEquals(List.of(), call("SPOP", "missing", "3"));
        assertNull(jedis.spop("missing"));
        assertEquals(3, jedis.scard("s"));
        assertEquals(Set.of("a", "b", "c"), jedis.spop("s", 10));
        assertFalse(jedis.exists("s"));
    }

    @Test
    void spopKeepsTheTtlUnlessTheSetEmpties() {
        jedis.sadd("s", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        jedis.expire("s", 100);
        jedis.spop("s", 9);
        assertTrue(jedis.ttl("s") > 0);
        jedis.spop("s");
        assertFalse(jedis.exists("s"));
    }

    @Test
    void srandmemberErrorsAndEdges() {
        jedis.sadd("s", "a");
        assertEquals("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                error("SRANDMEMBER", "s", "-9223372036854775808"));
        assertEquals("ERR value is not an integer or out of range", error("SRANDMEMBER", "s", "x"));
        assertEquals("ERR syntax error", error("SRANDMEMBER", "s", "1", "2"));
        assertEquals(List.of(), call("SRANDMEMBER", "s", "0"));
        assertEquals(List.of(), call("SRANDMEMBER", "missing", "-3"));
        assertNull(jedis.srandmember("missing"));
        assertEquals("a", jedis.srandmember("s"));
        assertEquals(List.of("a"), call("SRANDMEMBER", "s", "9223372036854775807"));
        assertEquals(List.of("a", "a", "a"), call("SRANDMEMBER", "s", "-3"));
    }

    // ---- SSCAN (the guarantee while the set changes: SetScanTest) ------------------------

    @Test
    void sscan() {
        jedis.sadd("ints", "3", "1", "2");
        ScanResult<String> all = jedis.sscan("ints", "0");
        assertEquals("0", all.getCursor());
        assertEquals(List.of("1", "2", "3"), all.getResult());
        // An intset is returned whole whatever the cursor and COUNT.
        assertEquals(List.of("1", "2", "3"), jedis.sscan("ints", "77", new ScanParams().count(1)).getResult());
        assertEquals(List.of("2"), jedis.sscan("ints", "0", new ScanParams().match("2")).getResult());
        assertEquals(List.of("0", List.of()), call("SSCAN", "missing", "0"));
        assertEquals(List.of("0", List.of()), call("SSCAN", "missing", "0", "COUNT", "0"));
        assertEquals("ERR invalid cursor", error("SSCAN", "ints", "x"));
        assertEquals("ERR syntax error", error("SSCAN", "ints", "0", "COUNT", "0"));
        assertEquals("ERR syntax error", error("SSCAN", "ints", "0", "MATCH"));
        assertEquals("ERR syntax error", error("SSCAN", "ints", "0", "FOO", "1"));
        assertEquals("ERR value is not an integer or out of range", error("SSCAN", "ints", "0", "COUNT", "x"));
    }

    @Test
    void sscanOfATableCollectsEveryMember() {
        for (int i = 0; i < 1000; i++) jedis.sadd("s", "member:" + i);
        Set<String> seen = new java.util.HashSet<>();
        String cursor = "0";
        do {
            ScanResult<String> step = jedis.sscan("s", cursor, new ScanParams().count(7).match("member:*"));
            seen.addAll(step.getResult());
            cursor = step.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(1000, seen.size());
    }
}
