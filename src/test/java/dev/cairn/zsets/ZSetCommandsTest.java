package dev.cairn.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.ServerFixture;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ZAddParams;
import redis.clients.jedis.resps.Tuple;

/** The sorted set commands through Jedis (RESP2): replies, errors and edge cases. */
class ZSetCommandsTest {
    private static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }


    private String error(String... args) {
        return JedisCommands.error(jedis, args);
    }

    private long dirty() {
        return server.server().dirty();
    }

    // ---- ZADD --------------------------------------------------------------------------------

    @Test
    void zaddAddsAndUpdates() {
        assertEquals(3L, jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0)));
        assertEquals(0L, jedis.zadd("z", 5, "a"));
        assertEquals(5.0, jedis.zscore("z", "a"));
        assertEquals(1L, call("ZADD", "z", "CH", "6", "a", "3", "c"));
        assertEquals(2L, call("ZADD", "z", "ch", "7", "a", "9", "d"));
        assertEquals(4L, jedis.zcard("z"));
        assertEquals(List.of("b", "2", "c", "3", "a", "7", "d", "9"), call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
        assertEquals(1L, call("ZADD", "dup", "1", "m", "2", "m"));
        assertEquals("2", call("ZSCORE", "dup", "m"));
    }

    @Test
    void zaddConditions() {
        jedis.zadd("z", 5, "a");
        assertEquals(0L, jedis.zadd("z", 1, "a", ZAddParams.zAddParams().nx()));
        assertEquals(1L, jedis.zadd("z", 1, "b", ZAddParams.zAddParams().nx()));
        assertEquals(0L, call("ZADD", "z", "XX", "3", "nope"));
        assertNull(jedis.zscore("z", "nope"));
        assertEquals(1L, call("ZADD", "z", "XX", "CH", "3", "a"));
        assertEquals(0L, call("ZADD", "z", "GT", "CH", "2", "a"));
        assertEquals(1L, call("ZADD", "z", "GT", "CH", "4", "a"));
        assertEquals(0L, call("ZADD", "z", "LT", "CH", "9", "a"));
        assertEquals(1L, call("ZADD", "z", "LT", "CH", "0", "a"));
        // GT and LT never stop a new member.
        assertEquals(1L, call("ZADD", "z", "GT", "100", "c"));
        assertEquals(1L, call("ZADD", "z", "XX", "LT", "CH", "-1", "c"));
        assertEquals(0L, call("ZADD", "missing", "XX", "1", "a"));
        assertEquals(0L, jedis.exists("missing") ? 1L : 0L);
    }

    @Test
    void zaddIncr() {
        assertEquals("1.5", call("ZADD", "z", "INCR", "1.5", "a"));
        assertEquals("3", call("ZADD", "z", "INCR", "1.5", "a"));
        assertEquals(3.0, jedis.zaddIncr("z", 0, "a", ZAddParams.zAddParams().xx()));
        // NX on an existing member, XX on a missing one: nothing done, a nil reply.
        assertNull(call("ZADD", "z", "NX", "INCR", "1", "a"));
        assertNull(call("ZADD", "z", "XX", "INCR", "1", "b"));
        assertNull(call("ZADD", "missing", "XX", "INCR", "1", "b"));
        assertNull(call("ZADD", "z", "GT", "INCR", "-1", "a"));
        assertEquals("4", call("ZADD", "z", "GT", "INCR", "1", "a"));
        assertEquals("inf", call("ZADD", "z", "INCR", "+inf", "a"));
        assertEquals("ERR resulting score is not a number (NaN)", error("ZADD", "z", "INCR", "-inf", "a"));
        assertEquals("inf", call("ZSCORE", "z", "a"));
    }

    @Test
    void zaddErrors() {
        assertEquals("ERR syntax error", error("ZADD", "z", "1", "a", "2"));
        assertEquals("ERR syntax error", error("ZADD", "z", "NX", "XX"));
        assertEquals("ERR XX and NX options at the same time are not compatible", error("ZADD", "z", "NX", "XX", "1", "a"));
        String conflict = "ERR GT, LT, and/or NX options at the same time are not compatible";
        assertEquals(conflict, error("ZADD", "z", "GT", "LT", "1", "a"));
        assertEquals(conflict, error("ZADD", "z", "GT", "NX", "1", "a"));
        assertEquals(conflict, error("ZADD", "z", "NX", "LT", "1", "a"));
        assertEquals("ERR INCR option supports a single increment-element pair", error("ZADD", "z", "INCR", "1", "a", "2", "b"));
        for (String bad : new String[] {"nan", "abc", "", " 1", "1 ", "1e400", "--1", "1e"}) {
            assertEquals("ERR value is not a valid float", error("ZADD", "z", bad, "a"), bad);
        }
        // Scores are all checked before anything is added.
        assertEquals("ERR value is not a valid float", error("ZADD", "z", "1", "a", "x", "b"));
        assertEquals(0L, call("EXISTS", "z"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("ZADD", "s", "1", "a"));
        assertEquals("ERR wrong number of arguments for 'zadd' command", error("ZADD", "z", "1"));
    }

    @Test
    void scoresAcceptWhatStrtodAccepts() {
        call("ZADD", "z", "0x10", "hex", "1e3", "e", "-0", "negzero", ".5", "half", "5.", "five", "-inf", "low", "1e-320", "tiny");
        assertEquals(List.of("low", "-inf", "negzero", "0", "tiny", "9.9998886718268301e-321", "half", "0.5", "five", "5",
                "hex", "16", "e", "1000"), call("ZRANGE", "z", "0", "-1", "WITHSCORES"));
    }

    @Test
    void zincrby() {
        assertEquals(2.5, jedis.zincrby("z", 2.5, "a"));
        assertEquals("1.1000000000000001", call("ZINCRBY", "z", "-1.4", "a"));
        assertEquals("ERR value is not a valid float", error("ZINCRBY", "z", "x", "a"));
        call("ZADD", "z", "inf", "b");
        assertEquals("ERR resulting score is not a number (NaN)", error("ZINCRBY", "z", "-inf", "b"));
        // The options of ZADD are read from the same place.
        assertEquals("ERR syntax error", error("ZINCRBY", "z", "nx", "a"));
    }

    // ---- ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK -----------------------------------------------

    @Test
    void zremDeletesTheEmptiedKey() {
        jedis.zadd("z", Map.of("a", 1.0, "b", 2.0));
        long before = dirty();
        assertEquals(1L, jedis.zrem("z", "a", "nope"));
        assertEquals(before + 1, dirty());
        assertEquals(1L, jedis.zrem("z", "b", "b"));
        assertTrue(!jedis.exists("z"));
        assertEquals(0L, jedis.zrem("z", "b"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("ZREM", "s", "a"));
    }

    @Test
    void readingMembers() {
        jedis.zadd("z", Map.of("a", 1.0, "b", 2.0, "c", 3.0));
        assertEquals(3L, jedis.zcard("z"));
        assertEquals(0L, jedis.zcard("missing"));
        assertEquals(2.0, jedis.zscore("z", "b"));
        assertNull(jedis.zscore("z", "x"));
        assertNull(jedis.zscore("missing", "x"));
        assertEquals(Arrays.asList("1", null, "3"), call("ZMSCORE", "z", "a", "x", "c"));
        assertEquals(Arrays.asList(null, null), call("ZMSCORE", "missing", "a", "b"));
        assertEquals(0L, jedis.zrank("z", "a"));
        assertEquals(2L, jedis.zrevrank("z", "a"));
        assertNull(jedis.zrank("z", "x"));
        assertNull(jedis.zrevrank("missing", "x"));
        jedis.set("s", "v");
        for (String cmd : new String[] {"ZCARD", "ZSCORE", "ZMSCORE", "ZRANK", "ZREVRANK"}) {
            String[] args = cmd.equals("ZCARD") ? new String[] {cmd, "s"} : new String[] {cmd, "s", "a"};
            assertEquals(WRONGTYPE, error(args), cmd);
        }
    }

    // ---- ranges ------------------------------------------------------------------------------

    private void fruits() {
        call("ZADD", "k1", "6", "apple", "4", "banana", "8", "tomato", "1", "potato");
    }

    @Test
    void rangesByRank() {
        fruits();
        assertEquals(List.of("potato", "banana", "apple", "tomato"), jedis.zrange("k1", 0, -1));
        assertEquals(List.of("apple", "tomato"), jedis.zrange("k1", -2, -1));
        assertEquals(List.of("tomato", "apple"), jedis.zrevrange("k1", 0, 1));
        assertEquals(List.of("tomato", "8", "apple", "6"), call("ZRANGE", "k1", "0", "1", "REV", "WITHSCORES"));
        assertEquals(List.of(), jedis.zrange("k1", 3, 1));
        assertEquals(List.of(), jedis.zrange("k1", 10, 20));
        assertEquals(List.of("potato"), jedis.zrange("k1", -100, 0));
        assertEquals(List.of(), jedis.zrange("missing", 0, -1));
        List<Tuple> tuples = jedis.zrangeWithScores("k1", 0, 0);
        assertEquals(new Tuple("potato", 1.0), tuples.getFirst());
        assertEquals("ERR value is not an integer or out of range", error("ZRANGE", "k1", "a", "1"));
        assertEquals("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
                error("ZRANGE", "k1", "0", "1", "LIMIT", "0", "1"));
        // A LIMIT count of -1 is "no limit", which Redis does not count as a LIMIT here.
        assertEquals(List.of("potato"), call("ZRANGE", "k1", "0", "0", "LIMIT", "0", "-1"));
        assertEquals("ERR syntax error", error("ZRANGE", "k1", "0", "1", "REV", "REV"));
        assertEquals("ERR syntax error", error("ZRANGE", "k1", "0", "1", "BYSCORE", "BYLEX"));
        assertEquals("ERR syntax error", error("ZREVRANGE", "k1", "0", "1", "REV"));
    }

    @Test
    void rangesByScore() {
        fruits();
        assertEquals(List.of("banana", "apple"), jedis.zrangeByScore("k1", "2", "7"));
        assertEquals(List.of("apple"), call("ZRANGEBYSCORE", "k1", "(4", "(8"));
        assertEquals(List.of("tomato", "apple", "banana", "potato"), call("ZREVRANGEBYSCORE", "k1", "+inf", "-inf"));
        assertEquals(List.of("banana", "4", "apple", "6"),
                call("ZRANGE", "k1", "-inf", "+inf", "BYSCORE", "LIMIT", "1", "2", "WITHSCORES"));
        assertEquals(List.of("apple", "banana"), call("ZRANGE", "k1", "7", "2", "BYSCORE", "REV"));
        // A negative offset finds nothing; a negative count means all the rest.
        assertEquals(List.of(), call("ZRANGEBYSCORE", "k1", "-inf", "+inf", "LIMIT", "-1", "2"));
        assertEquals(List.of("banana", "apple", "tomato"), call("ZRANGEBYSCORE", "k1", "-inf", "+inf", "LIMIT", "1", "-5"));
        assertEquals(List.of(), call("ZRANGEBYSCORE", "k1", "-inf", "+inf", "LIMIT", "10", "1"));
        // strtod reads the bounds: spaces before, an empty text is 0, hex, infinity spelled out.
        assertEquals(List.of("potato"), call("ZRANGEBYSCORE", "k1", " 1", "(0x2"));
        assertEquals(List.of("potato"), call("ZRANGEBYSCORE", "k1", "", "1"));
        assertEquals(List.of("potato", "banana", "apple", "tomato"), call("ZRANGEBYSCORE", "k1", "(", "infinity"));
        for (String[] bounds : new String[][] {{"nan", "1"}, {"1", "x"}, {"(x", "1"}, {"1", "1 "}, {"(", "(nan"}}) {
            assertEquals("ERR min or max is not a float", error("ZRANGEBYSCORE", "k1", bounds[0], bounds[1]));
            assertEquals("ERR min or max is not a float", error("ZCOUNT", "k1", bounds[0], bounds[1]));
        }
        assertEquals("ERR value is not an integer or out of range",
                error("ZRANGEBYSCORE", "k1", "0", "1", "LIMIT", "x", "1"));
        assertEquals("ERR syntax error", error("ZRANGEBYSCORE", "k1", "0", "1", "LIMIT", "1"));
        assertEquals(3L, jedis.zcount("k1", "-inf", "(8"));
        assertEquals(0L, jedis.zcount("k1", "(8", "8"));
        assertEquals(0L, jedis.zcount("missing", "-inf", "+inf"));
    }

    @Test
    void rangesByLex() {
        call("ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e");
        assertEquals(List.of("b", "c", "d"), call("ZRANGEBYLEX", "l", "[b", "(e"));
        assertEquals(List.of("d", "c"), call("ZREVRANGEBYLEX", "l", "(e", "(b"));
        assertEquals(List.of("b", "c"), call("ZRANGE", "l", "-", "+", "BYLEX", "LIMIT", "1", "2"));
        assertEquals(List.of("e", "d"), call("ZRANGE", "l", "+", "-", "BYLEX", "REV", "LIMIT", "0", "2"));
        assertEquals(List.of(), call("ZRANGEBYLEX", "l", "+", "-"));
        assertEquals(List.of(), call("ZRANGEBYLEX", "l", "-", "-"));
        assertEquals(List.of("a", "b", "c", "d", "e"), call("ZRANGEBYLEX", "l", "[", "+"));
        assertEquals(5L, jedis.zlexcount("l", "-", "+"));
        assertEquals(3L, jedis.zlexcount("l", "(a", "(e"));
        String notValid = "ERR min or max not valid string range item";
        for (String[] bounds : new String[][] {{"a", "+"}, {"", "+"}, {"-", "+x"}, {"[a", "b"}}) {
            assertEquals(notValid, error("ZRANGEBYLEX", "l", bounds[0], bounds[1]));
            assertEquals(notValid, error("ZLEXCOUNT", "l", bounds[0], bounds[1]));
            assertEquals(notValid, error("ZREMRANGEBYLEX", "l", bounds[0], bounds[1]));
        }
        assertEquals("ERR syntax error, WITHSCORES not supported in combination with BYLEX",
                error("ZRANGE", "l", "-", "+", "BYLEX", "WITHSCORES"));
        assertEquals("ERR syntax error, WITHSCORES not supported in combination with BYLEX",
                error("ZRANGEBYLEX", "l", "-", "+", "WITHSCORES"));
    }

    @Test
    void zrangestore() {
        fruits();
        assertEquals(2L, call("ZRANGESTORE", "dst", "k1", "0", "1"));
        assertEquals(List.of("potato", "1", "banana", "4"), call("ZRANGE", "dst", "0", "-1", "WITHSCORES"));
        assertEquals(2L, call("ZRANGESTORE", "dst", "k1", "7", "2", "BYSCORE", "REV"));
        assertEquals(List.of("banana", "apple"), jedis.zrange("dst", 0, -1));
        assertEquals(1L, call("ZRANGESTORE", "dst", "k1", "(1", "+inf", "BYSCORE", "LIMIT", "2", "5"));
        // An empty result deletes the destination.
        assertEquals(0L, call("ZRANGESTORE", "dst", "k1", "5", "9"));
        assertTrue(!jedis.exists("dst"));
        jedis.set("dst", "v");
        jedis.expire("dst", 100);
        assertEquals(1L, call("ZRANGESTORE", "dst", "k1", "0", "0"));
        assertEquals(-1L, jedis.ttl("dst"));
        assertEquals(0L, call("ZRANGESTORE", "dst", "missing", "0", "-1"));
        assertEquals(0L, call("EXISTS", "dst"));
        assertEquals("ERR syntax error", error("ZRANGESTORE", "dst", "k1", "0", "1", "WITHSCORES"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("ZRANGESTORE", "dst", "s", "0", "1"));
    }

    @Test
    void removingRanges() {
        fruits();
        assertEquals(1L, call("ZREMRANGEBYRANK", "k1", "0", "0"));
        assertEquals(List.of("banana", "apple", "tomato"), jedis.zrange("k1", 0, -1));
        assertEquals(0L, call("ZREMRANGEBYRANK", "k1", "5", "9"));
        assertEquals(1L, call("ZREMRANGEBYSCORE", "k1", "(4", "7"));
        assertEquals(0L, call("ZREMRANGEBYSCORE", "k1", "100", "200"));
        assertEquals(2L, call("ZREMRANGEBYRANK", "k1", "-100", "100"));
        assertTrue(!jedis.exists("k1"));
        call("ZADD", "l", "0", "a", "0", "b", "0", "c");
        assertEquals(2L, call("ZREMRANGEBYLEX", "l", "(a", "+"));
        assertEquals(List.of("a"), jedis.zrange("l", 0, -1));
        assertEquals(0L, call("ZREMRANGEBYRANK", "missing", "0", "-1"));
        assertEquals("ERR value is not an integer or out of range", error("ZREMRANGEBYRANK", "l", "x", "1"));
        assertEquals("ERR min or max is not a float", error("ZREMRANGEBYSCORE", "l", "x", "1"));
    }

    // ---- union, intersection, difference ----------------------------------------------------

    @Test
    void weightedUnionsAndIntersections() {
        call("ZADD", "exam1", "80", "tim", "60", "tom", "30", "james");
        call("ZADD", "exam2", "100", "tim", "90", "tom", "40", "alex");
        assertEquals(List.of("james", "30", "alex", "40", "tom", "150", "tim", "180"),
                call("ZUNION", "2", "exam1", "exam2", "WITHSCORES"));
        assertEquals(4L, call("ZUNIONSTORE", "res3", "2", "exam1", "exam2", "WEIGHTS", "1", "0.5", "AGGREGATE", "MIN"));
        assertEquals(List.of("alex", "20", "james", "30", "tom", "45", "tim", "50"),
                call("ZRANGE", "res3", "0", "-1", "WITHSCORES"));
        assertEquals(List.of("tom", "90", "tim", "100"), call("ZINTER", "2", "exam1", "exam2", "AGGREGATE", "max", "withscores"));
        assertEquals(List.of("tom", "tim"), call("ZINTER", "2", "exam1", "exam2"));
        assertEquals(2L, call("ZINTERSTORE", "i", "2", "exam1", "exam2", "WEIGHTS", "2", "1"));
        assertEquals(List.of("tom", "210", "tim", "260"), call("ZRANGE", "i", "0", "-1", "WITHSCORES"));
        assertEquals(List.of("james", "30"), call("ZDIFF", "2", "exam1", "exam2", "WITHSCORES"));
        assertEquals(1L, call("ZDIFFSTORE", "d", "2", "exam1", "exam2"));
        assertEquals(List.of(), call("ZDIFF", "2", "exam1", "exam1"));
        assertEquals(2L, call("ZINTERCARD", "2", "exam1", "exam2"));
        assertEquals(1L, call("ZINTERCARD", "2", "exam1", "exam2", "LIMIT", "1"));
        assertEquals(2L, call("ZINTERCARD", "2", "exam1", "exam2", "LIMIT", "0"));
        assertEquals(0L, call("ZINTERCARD", "2", "exam1", "missing"));
        // Missing keys are empty inputs; an empty result deletes the destination.
        assertEquals(List.of("alex", "tom", "tim"), call("ZUNION", "2", "exam2", "missing"));
        assertEquals(0L, call("ZINTERSTORE", "i", "2", "exam1", "missing"));
        assertEquals(0L, call("EXISTS", "i"));
    }

    @Test
    void infinitiesCombineAsInRedis() {
        call("ZADD", "a", "inf", "x", "-inf", "y");
        call("ZADD", "b", "-inf", "x", "inf", "y");
        // inf + -inf is taken as 0; inf times weight 0 as 0.
        assertEquals(List.of("x", "0", "y", "0"), call("ZUNION", "2", "a", "b", "WITHSCORES"));
        assertEquals(List.of("x", "0", "y", "0"), call("ZUNION", "1", "a", "WEIGHTS", "0", "WITHSCORES"));
        assertEquals(List.of("y", "-inf", "x", "inf"), call("ZINTER", "2", "a", "b", "WEIGHTS", "1", "0", "AGGREGATE", "MIN", "WITHSCORES"));
    }

    @Test
    void algebraErrors() {
        call("ZADD", "a", "1", "x");
        assertEquals("ERR at least 1 input key is needed for 'zunionstore' command", error("ZUNIONSTORE", "d", "0", "a"));
        assertEquals("ERR at least 1 input key is needed for 'zinter' command", error("ZINTER", "0", "a"));
        assertEquals("ERR value is not an integer or out of range", error("ZUNION", "x", "a"));
        assertEquals("ERR syntax error", error("ZUNION", "3", "a", "b"));
        assertEquals("ERR weight value is not a float", error("ZUNION", "1", "a", "WEIGHTS", "nan"));
        assertEquals("ERR syntax error", error("ZUNION", "2", "a", "a", "WEIGHTS", "1"));
        assertEquals("ERR syntax error", error("ZUNION", "1", "a", "AGGREGATE", "avg"));
        assertEquals("ERR syntax error", error("ZDIFF", "1", "a", "WEIGHTS", "1"));
        assertEquals("ERR syntax error", error("ZUNIONSTORE", "d", "1", "a", "WITHSCORES"));
        assertEquals("ERR syntax error", error("ZINTERCARD", "1", "a", "WITHSCORES"));
        assertEquals("ERR LIMIT can't be negative", error("ZINTERCARD", "1", "a", "LIMIT", "-1"));
        assertEquals("ERR LIMIT can't be negative", error("ZINTERCARD", "1", "a", "LIMIT", "x"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("ZUNION", "2", "a", "s"));
        // The type is checked while reading the keys, before the options.
        assertEquals(WRONGTYPE, error("ZUNION", "2", "a", "s", "AGGREGATE", "avg"));
    }

    // ---- pops ----------------------------------------------------------------------------------

    @Test
    void pops() {
        fruits();
        assertEquals(List.of("potato", "1"), call("ZPOPMIN", "k1"));
        assertEquals(List.of("tomato", "8", "apple", "6"), call("ZPOPMAX", "k1", "2"));
        assertEquals(List.of(), call("ZPOPMIN", "k1", "0"));
        long before = dirty();
        assertEquals(List.of("banana", "4"), call("ZPOPMIN", "k1", "10"));
        assertEquals(before + 1, dirty());
        assertTrue(!jedis.exists("k1"));
        assertEquals(List.of(), call("ZPOPMIN", "k1"));
        assertEquals("ERR value is out of range, must be positive", error("ZPOPMIN", "k1", "-1"));
        assertEquals("ERR value is out of range, must be positive", error("ZPOPMIN", "k1", "x"));
        assertEquals("ERR syntax error", error("ZPOPMIN", "k1", "1", "2"));
        jedis.set("s", "v");
        assertEquals(WRONGTYPE, error("ZPOPMAX", "s"));
    }

    @Test
    void zmpop() {
        call("ZADD", "b", "1", "x", "2", "y", "3", "z");
        assertNull(call("ZMPOP", "1", "a", "MIN"));
        assertEquals(List.of("b", List.of(List.of("x", "1"))), call("ZMPOP", "2", "a", "b", "MIN"));
        assertEquals(List.of("b", List.of(List.of("z", "3"), List.of("y", "2"))), call("ZMPOP", "2", "a", "b", "max", "COUNT", "5"));
        assertTrue(!jedis.exists("b"));
        assertEquals("ERR numkeys should be greater than 0", error("ZMPOP", "0", "a", "MIN"));
        assertEquals("ERR numkeys should be greater than 0", error("ZMPOP", "x", "a", "MIN"));
        assertEquals("ERR syntax error", error("ZMPOP", "2", "a", "MIN"));
        assertEquals("ERR syntax error", error("ZMPOP", "1", "a", "MID"));
        assertEquals("ERR count should be greater than 0", error("ZMPOP", "1", "a", "MIN", "COUNT", "0"));
        assertEquals("ERR syntax error", error("ZMPOP", "1", "a", "MIN", "COUNT", "1", "COUNT", "1"));
    }

    // ---- ZRANDMEMBER -------------------------------------------------------------------------

    @Test
    void zrandmember() {
        call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertTrue(List.of("a", "b", "c").contains((String) call("ZRANDMEMBER", "z")));
        assertNull(call("ZRANDMEMBER", "missing"));
        assertEquals(List.of(), call("ZRANDMEMBER", "missing", "5"));
        assertEquals(List.of(), call("ZRANDMEMBER", "z", "0"));
        // More than the set holds: the whole set, highest score first.
        assertEquals(List.of("c", "3", "b", "2", "a", "1"), call("ZRANDMEMBER", "z", "10", "WITHSCORES"));
        List<?> distinct = (List<?>) call("ZRANDMEMBER", "z", "2");
        assertEquals(2, distinct.size());
        assertTrue(!distinct.get(0).equals(distinct.get(1)));
        List<?> repeated = (List<?>) call("ZRANDMEMBER", "z", "-7", "WITHSCORES");
        assertEquals(14, repeated.size());
        assertEquals("ERR syntax error", error("ZRANDMEMBER", "z", "1", "x"));
        assertEquals("ERR value is not an integer or out of range", error("ZRANDMEMBER", "z", "x"));
        assertEquals("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807",
                error("ZRANDMEMBER", "z", "-9223372036854775808"));
        assertEquals("ERR value is out of range", error("ZRANDMEMBER", "z", "-4611686018427387904", "WITHSCORES"));
        assertEquals("ERR value is out of range", error("ZRANDMEMBER", "z", "4611686018427387904", "WITHSCORES"));
    }

    // ---- scores as Redis prints them ----------------------------------------------------------

    @Test
    void scoresPrintAsRedisPrintsThem() {
        call("ZADD", "z", "1.1", "a", "inf", "b", "-inf", "c", "1e17", "d", "0.1", "e", "123456789.125", "f");
        assertEquals("1.1000000000000001", call("ZSCORE", "z", "a"));
        assertEquals("inf", call("ZSCORE", "z", "b"));
        assertEquals("-inf", call("ZSCORE", "z", "c"));
        assertEquals("1e+17", call("ZSCORE", "z", "d"));
        assertEquals("0.10000000000000001", call("ZSCORE", "z", "e"));
        assertEquals("123456789.125", call("ZSCORE", "z", "f"));
        // A listpack stores 1e17 as an integer and -0 as 0, and ZSCAN shows what is stored.
        call("ZADD", "lp", "1e17", "a", "-0", "b", "1.5", "c");
        assertEquals(List.of("0", List.of("b", "0", "c", "1.5", "a", "100000000000000000")), call("ZSCAN", "lp", "0"));
        assertEquals("0", call("ZSCORE", "lp", "b"));
    }

    @Test
    void dirtyCountsEveryChangedMember() {
        long before = dirty();
        call("ZADD", "z", "1", "a", "2", "b", "3", "c");
        assertEquals(before + 3, dirty());
        call("ZADD", "z", "1", "a", "5", "b");
        assertEquals(before + 4, dirty());
        call("ZREMRANGEBYSCORE", "z", "-inf", "+inf");
        assertEquals(before + 7, dirty());
        call("ZUNIONSTORE", "d", "1", "nope");
        assertEquals(before + 7, dirty());
    }
}
