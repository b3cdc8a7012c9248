package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ListDirection;
import redis.clients.jedis.args.ListPosition;
import redis.clients.jedis.params.LPosParams;
import redis.clients.jedis.util.KeyValue;

/** The @list commands through Jedis (RESP2): replies, errors, and how keys appear and vanish. */
class ListCommandsTest {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    private static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    private static final String POSITIVE = "ERR value is out of range, must be positive";

    @RegisterExtension
    final ServerFixture server = ServerFixture.cairn();

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }


    private String error(String... args) {
        return JedisCommands.error(jedis, args);
    }

    private List<String> all(String key) {
        return jedis.lrange(key, 0, -1);
    }

    // ---- push and pop ----------------------------------------------------------------

    @Test
    void pushesAtBothEnds() {
        assertEquals(3, jedis.lpush("l", "a", "b", "c"));
        assertEquals(List.of("c", "b", "a"), all("l"));
        assertEquals(5, jedis.rpush("l", "d", "e"));
        assertEquals(List.of("c", "b", "a", "d", "e"), all("l"));
        assertEquals("list", jedis.type("l"));
        assertEquals("quicklist", jedis.objectEncoding("l"));
    }

    @Test
    void pushxOnlyOnExistingLists() {
        assertEquals(0, jedis.lpushx("l", "a"));
        assertEquals(0, jedis.rpushx("l", "a", "b"));
        assertFalse(jedis.exists("l"));
        jedis.rpush("l", "x");
        assertEquals(3, jedis.lpushx("l", "a", "b"));
        assertEquals(4, jedis.rpushx("l", "z"));
        assertEquals(List.of("b", "a", "x", "z"), all("l"));
    }

    @Test
    void popsOneOrMany() {
        jedis.rpush("l", "a", "b", "c", "d", "e");
        assertEquals("a", jedis.lpop("l"));
        assertEquals("e", jedis.rpop("l"));
        assertEquals(List.of("b", "c"), jedis.lpop("l", 2));
        assertEquals(List.of(), call("lpop", "l", "0"));
        assertEquals(List.of("d"), jedis.rpop("l", 10));
        assertFalse(jedis.exists("l"), "the last pop deletes the key");
        assertNull(jedis.lpop("l"));
        assertNull(jedis.rpop("l", 3));
        assertNull(call("lpop", "l", "0"), "a missing key is null even for count 0");
    }

    @Test
    void rpopWithCountRepliesTailFirst() {
        jedis.rpush("l", "a", "b", "c", "d");
        assertEquals(List.of("d", "c", "b"), jedis.rpop("l", 3));
        assertEquals(List.of("a"), all("l"));
    }

    @Test
    void popErrors() {
        jedis.rpush("l", "a");
        jedis.set("s", "v");
        assertEquals(POSITIVE, error("lpop", "l", "-1"));
        assertEquals(POSITIVE, error("rpop", "l", "abc"));
        assertEquals(POSITIVE, error("lpop", "missing", "x"));
        assertEquals(POSITIVE, error("lpop", "s", "x"), "the count is parsed before the type check");
        assertEquals(WRONGTYPE, error("lpop", "s"));
        assertEquals(WRONGTYPE, error("rpop", "s", "0"));
        assertEquals("ERR wrong number of arguments for 'lpop' command", error("lpop", "l", "1", "2"));
        assertEquals("ERR wrong number of arguments for 'rpush' command", error("rpush", "l"));
        assertEquals(WRONGTYPE, error("lpush", "s", "a"));
        assertEquals(WRONGTYPE, error("rpushx", "s", "a"));
    }

    // ---- reading ---------------------------------------------------------------------

    @Test
    void llenAndLindex() {
        assertEquals(0, jedis.llen("l"));
        jedis.rpush("l", "a", "b", "c");
        assertEquals(3, jedis.llen("l"));
        assertEquals("a", jedis.lindex("l", 0));
        assertEquals("c", jedis.lindex("l", -1));
        assertEquals("a", jedis.lindex("l", -3));
        assertNull(jedis.lindex("l", 3));
        assertNull(jedis.lindex("l", -4));
        assertNull(jedis.lindex("missing", 0));
        assertNull(call("lindex", "missing", "abc"), "a missing key is looked up before the index is parsed");
        assertEquals(NOT_INTEGER, error("lindex", "l", "abc"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("lindex", "s", "abc"));
        assertEquals(WRONGTYPE, error("llen", "s"));
    }

    @Test
    void lrangeIndexes() {
        jedis.rpush("l", "a", "b", "c", "d");
        assertEquals(List.of("b", "c"), jedis.lrange("l", 1, 2));
        assertEquals(List.of("c", "d"), jedis.lrange("l", -2, 100));
        assertEquals(List.of("a", "b", "c", "d"), jedis.lrange("l", -100, 100));
        assertEquals(List.of(), jedis.lrange("l", 3, 1));
        assertEquals(List.of(), jedis.lrange("l", 4, 10));
        assertEquals(List.of(), jedis.lrange("l", 0, -5));
        assertEquals(List.of("a"), jedis.lrange("l", Long.MIN_VALUE, 0));
        assertEquals(List.of(), jedis.lrange("missing", 0, -1));
        jedis.set("s", "v");
        assertEquals(NOT_INTEGER, error("lrange", "s", "a", "1"), "indexes are parsed before the type check");
        assertEquals(WRONGTYPE, error("lrange", "s", "0", "1"));
    }

    @Test
    void lposOptions() {
        jedis.rpush("l", "a", "b", "a", "c", "a");
        assertEquals(0, jedis.lpos("l", "a"));
        assertEquals(2, jedis.lpos("l", "a", LPosParams.lPosParams().rank(2)));
        assertEquals(4, jedis.lpos("l", "a", LPosParams.lPosParams().rank(-1)));
        assertNull(jedis.lpos("l", "a", LPosParams.lPosParams().rank(4)));
        assertNull(jedis.lpos("l", "z"));
        assertEquals(List.of(0L, 2L, 4L), jedis.lpos("l", "a", LPosParams.lPosParams(), 0));
        assertEquals(List.of(4L, 2L), jedis.lpos("l", "a", LPosParams.lPosParams().rank(-1), 2));
        assertEquals(List.of(0L, 2L), jedis.lpos("l", "a", LPosParams.lPosParams().maxlen(3), 0));
        assertEquals(List.of(), jedis.lpos("l", "z", LPosParams.lPosParams(), 1));
        assertEquals(List.of(), call("lpos", "missing", "a", "COUNT", "1"));
        assertNull(call("lpos", "missing", "a"));
        // Redis negates LONG_MIN to itself: every match from the tail counts, whatever COUNT says.
        assertEquals(List.of(4L, 2L, 0L), call("lpos", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"));
    }

    @Test
    void lposErrors() {
        jedis.rpush("l", "a");
        assertEquals("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
                + "negative to start from the end of the list", error("lpos", "l", "a", "RANK", "0"));
        assertEquals(NOT_INTEGER, error("lpos", "l", "a", "RANK", "x"));
        assertEquals("ERR COUNT can't be negative", error("lpos", "l", "a", "COUNT", "-1"));
        assertEquals("ERR COUNT can't be negative", error("lpos", "l", "a", "COUNT", "x"));
        assertEquals("ERR MAXLEN can't be negative", error("lpos", "l", "a", "MAXLEN", "-1"));
        assertEquals("ERR syntax error", error("lpos", "l", "a", "RANK"));
        assertEquals("ERR syntax error", error("lpos", "l", "a", "FOO", "1"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("lpos", "s", "a"));
    }

    // ---- changing the middle ---------------------------------------------------------

    @Test
    void lsetReplacesAnElement() {
        jedis.rpush("l", "a", "b", "c");
        assertEquals("OK", jedis.lset("l", 1, "B"));
        assertEquals("OK", jedis.lset("l", -1, "C"));
        assertEquals(List.of("a", "B", "C"), all("l"));
        assertEquals("ERR index out of range", error("lset", "l", "3", "x"));
        assertEquals("ERR index out of range", error("lset", "l", "-4", "x"));
        assertEquals("ERR no such key", error("lset", "missing", "0", "x"));
        assertEquals("ERR no such key", error("lset", "missing", "abc", "x"));
        assertEquals(NOT_INTEGER, error("lset", "l", "abc", "x"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("lset", "s", "0", "x"));
    }

    @Test
    void lremFromEitherEnd() {
        jedis.rpush("l", "a", "b", "a", "c", "a", "a");
        assertEquals(2, jedis.lrem("l", 2, "a"));
        assertEquals(List.of("b", "c", "a", "a"), all("l"));
        assertEquals(1, jedis.lrem("l", -1, "a"));
        assertEquals(List.of("b", "c", "a"), all("l"));
        assertEquals(0, jedis.lrem("l", 0, "z"));
        assertEquals(1, jedis.lrem("l", 0, "b"));
        assertEquals(2, jedis.lrem("l", Long.MIN_VALUE, "c") + jedis.lrem("l", 0, "a"));
        assertFalse(jedis.exists("l"), "removing every element deletes the key");
        assertEquals(0, jedis.lrem("missing", 1, "a"));
        jedis.set("s", "v");
        assertEquals(NOT_INTEGER, error("lrem", "s", "x", "a"));
        assertEquals(WRONGTYPE, error("lrem", "s", "1", "a"));
    }

    @Test
    void ltrimKeepsARange() {
        jedis.rpush("l", "a", "b", "c", "d", "e");
        assertEquals("OK", jedis.ltrim("l", 1, -2));
        assertEquals(List.of("b", "c", "d"), all("l"));
        assertEquals("OK", jedis.ltrim("l", 0, 100));
        assertEquals(List.of("b", "c", "d"), all("l"));
        assertEquals("OK", jedis.ltrim("l", 2, 1));
        assertFalse(jedis.exists("l"), "an empty range deletes the key");
        assertEquals("OK", jedis.ltrim("missing", 0, 1));
        jedis.set("s", "v");
        assertEquals(NOT_INTEGER, error("ltrim", "s", "0", "x"));
        assertEquals(WRONGTYPE, error("ltrim", "s", "0", "1"));
    }

    @Test
    void linsertAroundAPivot() {
        jedis.rpush("l", "a", "b", "a");
        assertEquals(4, jedis.linsert("l", ListPosition.BEFORE, "a", "x"));
        assertEquals(5, jedis.linsert("l", ListPosition.AFTER, "a", "y"));
        assertEquals(List.of("x", "a", "y", "b", "a"), all("l"));
        assertEquals(-1, jedis.linsert("l", ListPosition.AFTER, "zz", "y"));
        assertEquals(0, jedis.linsert("missing", ListPosition.AFTER, "a", "y"));
        assertFalse(jedis.exists("missing"));
        assertEquals("ERR syntax error", error("linsert", "l", "middle", "a", "b"));
        assertEquals("ERR syntax error", error("linsert", "missing", "middle", "a", "b"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("linsert", "s", "before", "a", "b"));
    }

    // ---- moving between lists --------------------------------------------------------

    @Test
    void lmoveAndRpoplpush() {
        jedis.rpush("src", "a", "b", "c");
        assertEquals("a", jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals("c", jedis.rpoplpush("src", "dst"));
        assertEquals(List.of("c", "a"), all("dst"));
        assertEquals("b", jedis.lmove("src", "dst", ListDirection.RIGHT, ListDirection.LEFT));
        assertFalse(jedis.exists("src"));
        assertEquals(List.of("b", "c", "a"), all("dst"));
        assertNull(jedis.lmove("src", "dst", ListDirection.LEFT, ListDirection.LEFT));
        assertNull(jedis.rpoplpush("src", "dst"));
    }

    @Test
    void lmoveOntoItselfRotates() {
        jedis.rpush("l", "a", "b", "c");
        assertEquals("a", jedis.lmove("l", "l", ListDirection.LEFT, ListDirection.RIGHT));
        assertEquals(List.of("b", "c", "a"), all("l"));
        assertEquals("a", jedis.rpoplpush("l", "l"));
        assertEquals(List.of("a", "b", "c"), all("l"));
        jedis.del("l");
        jedis.rpush("one", "x");
        assertEquals("x", jedis.rpoplpush("one", "one"), "a one-element list survives moving onto itself");
        assertEquals(List.of("x"), all("one"));
    }

    @Test
    void lmoveErrors() {
        jedis.rpush("l", "a");
        jedis.set("s", "v");
        assertEquals("ERR syntax error", error("lmove", "l", "d", "UP", "LEFT"));
        assertEquals("ERR syntax error", error("lmove", "l", "d", "LEFT", "DOWN"));
        assertEquals(WRONGTYPE, error("lmove", "s", "d", "LEFT", "LEFT"));
        assertEquals(WRONGTYPE, error("lmove", "l", "s", "LEFT", "LEFT"));
        assertEquals(List.of("a"), all("l"), "nothing moves when the destination has the wrong type");
        assertEquals(WRONGTYPE, error("rpoplpush", "l", "s"));
    }

    @Test
    void lmpopFromTheFirstNonEmptyList() {
        jedis.rpush("b", "1", "2", "3");
        jedis.rpush("c", "x");
        assertEquals(List.of("b", List.of("1")), call("lmpop", "3", "a", "b", "c", "LEFT"));
        assertEquals(List.of("b", List.of("3", "2")), call("lmpop", "2", "b", "c", "RIGHT", "COUNT", "5"));
        assertFalse(jedis.exists("b"));
        KeyValue<String, List<String>> fromC = jedis.lmpop(ListDirection.LEFT, 1, "c");
        assertEquals("c", fromC.getKey());
        assertEquals(List.of("x"), fromC.getValue());
        assertNull(call("lmpop", "2", "a", "b", "LEFT"));
    }

    @Test
    void lmpopErrors() {
        jedis.rpush("l", "a");
        jedis.set("s", "v");
        assertEquals("ERR numkeys should be greater than 0", error("lmpop", "0", "l", "LEFT"));
        assertEquals("ERR numkeys should be greater than 0", error("lmpop", "x", "l", "LEFT"));
        assertEquals("ERR syntax error", error("lmpop", "2", "l", "LEFT"));
        assertEquals("ERR syntax error", error("lmpop", "9223372036854775807", "l", "LEFT"));
        assertEquals("ERR syntax error", error("lmpop", "1", "l", "UP"));
        assertEquals("ERR count should be greater than 0", error("lmpop", "1", "l", "LEFT", "COUNT", "0"));
        assertEquals("ERR syntax error", error("lmpop", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"));
        assertEquals("ERR syntax error", error("lmpop", "1", "l", "LEFT", "COUNT"));
        assertEquals(WRONGTYPE, error("lmpop", "2", "s", "l", "LEFT"));
        assertEquals(List.of("l", List.of("a")), call("lmpop", "2", "l", "s", "LEFT"),
                "keys after the first list are not looked at");
    }

    // ---- the blocking commands when data is there ------------------------------------

    @Test
    void blockingCommandsServeAtOnceWhenAListExists() {
        jedis.rpush("b", "1", "2", "3", "4");
        assertEquals(List.of("b", "1"), jedis.blpop(0, "a", "b"));
        KeyValue<String, String> popped = jedis.brpop(0.5, "a", "b");
        assertEquals("b", popped.getKey());
        assertEquals("4", popped.getValue());
        assertEquals("3", jedis.brpoplpush("b", "d", 0));
        assertEquals("2", jedis.blmove("b", "d", ListDirection.LEFT, ListDirection.RIGHT, 1.5));
        assertEquals(List.of("3", "2"), all("d"));
        assertEquals(List.of("d", List.of("3", "2")), call("blmpop", "0", "2", "a", "d", "LEFT", "COUNT", "9"));
        assertFalse(jedis.exists("d"));
    }

    @Test
    void blockingCommandErrors() {
        jedis.set("s", "v");
        assertEquals("ERR timeout is not a float or out of range", error("blpop", "l", "abc"));
        assertEquals("ERR timeout is negative", error("brpop", "l", "-1"));
        assertEquals("ERR timeout is negative", error("blpop", "l", "inf"));
        assertEquals(WRONGTYPE, error("blpop", "missing", "s", "0"));
        assertEquals("ERR syntax error", error("blmove", "l", "d", "UP", "LEFT", "abc"));
        assertEquals("ERR timeout is not a float or out of range", error("blmove", "l", "d", "LEFT", "LEFT", "abc"));
        assertEquals("ERR timeout is not a float or out of range", error("blmpop", "x", "1", "l", "LEFT"));
        assertEquals("ERR numkeys should be greater than 0", error("blmpop", "0", "0", "l", "LEFT"));
        assertEquals(WRONGTYPE, error("brpoplpush", "s", "d", "0"));
        assertEquals(WRONGTYPE, error("blmpop", "0", "1", "s", "LEFT"));
    }

    @Test
    void elementsAreBinarySafe() {
        byte[] odd = {0, (byte) 0xff, '\r', '\n'};
        jedis.rpush("l".getBytes(), odd, "12345".getBytes(), new byte[0]);
        List<byte[]> back = jedis.lrange("l".getBytes(), 0, -1);
        assertEquals(3, back.size());
        assertEquals(Arrays.toString(odd), Arrays.toString(back.get(0)));
        assertEquals("12345", new String(back.get(1), StandardCharsets.US_ASCII));
        assertEquals(0, back.get(2).length);
        assertEquals(0, jedis.lpos("l".getBytes(), odd));
    }

    @Test
    void aLongListKeepsItsOrderThroughGrowthAndShrinking() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String v = Integer.toString(i);
            if (i % 3 == 0) {
                jedis.lpush("l", v);
                expected.addFirst(v);
            } else {
                jedis.rpush("l", v);
                expected.addLast(v);
            }
        }
        assertEquals(expected, all("l"));
        jedis.linsert("l", ListPosition.AFTER, "500", "x");
        expected.add(expected.indexOf("500") + 1, "x");
        jedis.linsert("l", ListPosition.BEFORE, "2", "y");
        expected.add(expected.indexOf("2"), "y");
        assertEquals(expected, all("l"));
        for (int i = 0; i < 900; i++) {
            if (i % 2 == 0) assertEquals(expected.removeFirst(), jedis.lpop("l"));
            else assertEquals(expected.removeLast(), jedis.rpop("l"));
        }
        assertEquals(expected, all("l"));
        assertEquals(expected.size(), jedis.llen("l"));
    }

    @Test
    void copyIsIndependent() {
        jedis.rpush("l", "a", "b");
        jedis.copy("l", "c", false);
        jedis.rpush("c", "z");
        jedis.lpop("l");
        assertEquals(List.of("b"), all("l"));
        assertEquals(List.of("a", "b", "z"), all("c"));
    }
}
