package dev.cairn.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * The listpack and skiplist encodings: where a set converts (as ZADD adds, under both the
 * listpack and the old ziplist names of the thresholds), the encodings the store commands
 * give their destinations, that both encodings answer alike, MEMORY USAGE and DEBUG
 * DIGEST-VALUE, and ZSCAN's guarantee over a skiplist that changes during the scan.
 */
class ZSetEncodingTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    private String encoding(String key) {
        return jedis.objectEncoding(key);
    }

    @Test
    void zaddConvertsPastTheEntryLimit() {
        jedis.configSet("zset-max-listpack-entries", "3");
        jedis.zadd("z", 1, "a");
        assertEquals("listpack", encoding("z"));
        jedis.zadd("z", 2, "b");
        jedis.zadd("z", 3, "c");
        assertEquals("listpack", encoding("z"));
        // Updating or failing to add does not convert; the fourth member does.
        jedis.zadd("z", 9, "a");
        jedis.sendCommand(() -> "ZADD".getBytes(), "z", "XX", "1", "d");
        assertEquals("listpack", encoding("z"));
        jedis.zadd("z", 4, "d");
        assertEquals("skiplist", encoding("z"));
        // Nothing converts back, however small the set gets.
        jedis.zrem("z", "a", "b", "c");
        assertEquals("skiplist", encoding("z"));
        assertEquals(List.of("d"), jedis.zrange("z", 0, -1));
    }

    @Test
    void zaddConvertsForALongMember() {
        jedis.configSet("zset-max-ziplist-value", "4");
        assertEquals("4", jedis.configGet("zset-max-listpack-value").get("zset-max-listpack-value"));
        jedis.zadd("z", 1, "abcd");
        assertEquals("listpack", encoding("z"));
        jedis.zadd("z", 1, "abcde");
        assertEquals("skiplist", encoding("z"));
        // A new key whose first member is too long starts as a skiplist.
        jedis.zadd("y", 1, "abcdefgh");
        assertEquals("skiplist", encoding("y"));
        jedis.configSet("zset-max-ziplist-entries", "0");
        jedis.zadd("x", 1, "a");
        assertEquals("skiplist", encoding("x"));
    }

    @Test
    void storeCommandsPickTheDestinationEncoding() {
        jedis.configSet("zset-max-listpack-entries", "2");
        jedis.zadd("big", 1, "a");
        jedis.zadd("big", 2, "b");
        jedis.zadd("big", 3, "c");
        assertEquals("skiplist", encoding("big"));
        // A small enough result is a listpack again, even from skiplist inputs.
        jedis.sendCommand(() -> "ZRANGESTORE".getBytes(), "r", "big", "0", "1");
        assertEquals("listpack", encoding("r"));
        jedis.sendCommand(() -> "ZRANGESTORE".getBytes(), "r", "big", "0", "-1");
        assertEquals("skiplist", encoding("r"));
        jedis.sendCommand(() -> "ZUNIONSTORE".getBytes(), "u", "1", "big");
        assertEquals("skiplist", encoding("u"));
        jedis.sendCommand(() -> "ZINTERSTORE".getBytes(), "i", "2", "big", "r");
        assertEquals("skiplist", encoding("i"));
        jedis.sendCommand(() -> "ZDIFFSTORE".getBytes(), "d", "2", "big", "r");
        assertEquals(0L, jedis.exists("d") ? 1L : 0L);
        jedis.zrem("big", "c");
        jedis.sendCommand(() -> "ZUNIONSTORE".getBytes(), "u", "1", "big");
        assertEquals("listpack", encoding("u"));
        jedis.configSet("zset-max-listpack-value", "1");
        jedis.zadd("long", 1, "xyz");
        jedis.sendCommand(() -> "ZUNIONSTORE".getBytes(), "u", "1", "long");
        assertEquals("skiplist", encoding("u"));
        // COPY keeps the encoding.
        jedis.copy("big", "c1", false);
        assertEquals("skiplist", encoding("c1"));
        jedis.copy("r", "c2", false);
        assertEquals(encoding("r"), encoding("c2"));
    }

    /** The same commands answer the same on both encodings (the same set held both ways). */
    @Test
    void bothEncodingsAnswerAlike() throws IOException {
        jedis.configSet("zset-max-listpack-entries", "1000");
        List<String> members = new ArrayList<>();
        for (int i = 0; i < 200; i++) members.add(Integer.toString(i * 7 % 200));
        for (String m : members) {
            jedis.zadd("lp", Integer.parseInt(m) % 13 + 0.5, "m" + m);
            jedis.zadd("lex", 0, "m" + m);
        }
        jedis.configSet("zset-max-listpack-entries", "0");
        jedis.sendCommand(() -> "ZUNIONSTORE".getBytes(), "sl", "1", "lp");
        jedis.sendCommand(() -> "ZUNIONSTORE".getBytes(), "lexsl", "1", "lex");
        assertEquals("listpack", encoding("lp"));
        assertEquals("skiplist", encoding("sl"));
        String[][] queries = {
            {"ZRANGE", "0", "-1", "WITHSCORES"}, {"ZRANGE", "5", "17", "REV", "WITHSCORES"}, {"ZRANGE", "(3.5", "9", "BYSCORE", "LIMIT", "3", "20"},
            {"ZRANGE", "12", "(2.5", "BYSCORE", "REV", "WITHSCORES"}, {"ZCOUNT", "2.5", "(7.5"}, {"ZRANK", "m77"}, {"ZREVRANK", "m77"},
            {"ZSCORE", "m150"}, {"ZMSCORE", "m1", "nope", "m2"}, {"ZRANGEBYSCORE", "-inf", "+inf", "LIMIT", "190", "50"},
            {"ZREVRANGEBYSCORE", "+inf", "-inf", "LIMIT", "0", "3"}, {"DEBUG", "DIGEST-VALUE"}, {"ZCARD"}
        };
        String[][] lexQueries = {
            {"ZRANGEBYLEX", "[m10", "(m2"}, {"ZREVRANGEBYLEX", "+", "(m50", "LIMIT", "2", "4"}, {"ZLEXCOUNT", "(m1", "[m9"},
            {"ZRANGE", "[m3", "+", "BYLEX", "LIMIT", "0", "5"}
        };
        try (RawConnection c = new RawConnection(server.port())) {
            for (String[] q : queries) assertEquals(ask(c, q, "lp"), ask(c, q, "sl"), String.join(" ", q));
            for (String[] q : lexQueries) assertEquals(ask(c, q, "lex"), ask(c, q, "lexsl"), String.join(" ", q));
            // Removing ranges and popping change both alike.
            String[][] changes = {
                {"ZREMRANGEBYSCORE", "(10.5", "11.5"}, {"ZREMRANGEBYRANK", "3", "9"}, {"ZPOPMAX", "3"}, {"ZPOPMIN"},
                {"ZINCRBY", "100", "m99"}, {"ZADD", "GT", "CH", "1", "m98", "20", "m97"}, {"ZREM", "m0", "m1", "nope"}
            };
            for (String[] q : changes) {
                assertEquals(ask(c, q, "lp"), ask(c, q, "sl"), String.join(" ", q));
                assertEquals(ask(c, new String[] {"ZRANGE", "0", "-1", "WITHSCORES"}, "lp"),
                        ask(c, new String[] {"ZRANGE", "0", "-1", "WITHSCORES"}, "sl"));
            }
            assertEquals(ask(c, new String[] {"ZREMRANGEBYLEX", "[m3", "(m6"}, "lex"),
                    ask(c, new String[] {"ZREMRANGEBYLEX", "[m3", "(m6"}, "lexsl"));
            assertEquals(ask(c, new String[] {"ZRANGE", "0", "-1"}, "lex"), ask(c, new String[] {"ZRANGE", "0", "-1"}, "lexsl"));
        }
    }

    private static String ask(RawConnection c, String[] query, String key) throws IOException {
        List<String> args = new ArrayList<>();
        args.add(query[0]);
        if (query[0].equals("DEBUG")) args.add(query[1]);
        args.add(key);
        for (int i = query[0].equals("DEBUG") ? 2 : 1; i < query.length; i++) args.add(query[i]);
        return c.call(args.toArray(new String[0]));
    }

    /** MEMORY USAGE of a listpack is exactly Redis's; DIGEST-VALUE of both encodings too. */
    @Test
    void memoryUsageAndDigestAsRedis() throws IOException {
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            String[][] setup = {
                {"ZADD", "small", "1e17", "a", "-0", "b", "1.1", "c", "0x10", "d", "-5000", "e", "70000", "f", "3e9", "g",
                    "12345678901", "h", "2.5", "x".repeat(64)},
                {"ZADD", "ints", "1", "100", "2", "-3", "3", "65536"},
                {"CONFIG", "SET", "zset-max-listpack-entries", "2"},
                {"ZADD", "big", "1", "a", "2", "b", "3", "c", "inf", "d", "-0", "e"},
            };
            for (String[] s : setup) assertEquals(expected.call(s), actual.call(s));
            for (String key : new String[] {"small", "ints"}) {
                assertEquals(expected.call("MEMORY", "USAGE", key), actual.call("MEMORY", "USAGE", key), key);
            }
            for (String key : new String[] {"small", "ints", "big", "missing"}) {
                assertEquals(expected.call("DEBUG", "DIGEST-VALUE", key), actual.call("DEBUG", "DIGEST-VALUE", key), key);
            }
            assertEquals(expected.call("DEBUG", "DIGEST"), actual.call("DEBUG", "DIGEST"));
            // A skiplist's figure samples nodes of random height in Redis (Cairn counts the
            // lowest, one level): at most Redis's, and close to it.
            long want = Long.parseLong(expected.call("MEMORY", "USAGE", "big").substring(1).strip());
            long got = Long.parseLong(actual.call("MEMORY", "USAGE", "big").substring(1).strip());
            assertTrue(got <= want && want - got < want / 4, want + " vs " + got);
        }
    }

    /**
     * Every member present for a whole ZSCAN over a skiplist is returned, while members
     * are added and removed (the table grows and shrinks) between the calls.
     */
    @Test
    void scanGuaranteeWhileTheSetChanges() {
        jedis.configSet("zset-max-listpack-entries", "16");
        for (int i = 0; i < 1000; i++) jedis.zadd("z", i, "stay" + i);
        Set<String> seen = new HashSet<>();
        String cursor = "0";
        int round = 0;
        do {
            ScanResult<Tuple> page = jedis.zscan("z", cursor, new ScanParams().count(20));
            for (Tuple t : page.getResult()) {
                seen.add(t.getElement());
                if (t.getElement().startsWith("stay")) {
                    assertEquals(Double.parseDouble(t.getElement().substring(4)), t.getScore());
                }
            }
            cursor = page.getCursor();
            // Grow a lot, then shrink back, between calls.
            if (round < 20) {
                for (int k = 0; k < 200; k++) jedis.zadd("z", -1, "tmp" + round + "_" + k);
            } else if (round < 40) {
                for (int k = 0; k < 200; k++) jedis.zrem("z", "tmp" + (round - 20) + "_" + k);
            }
            round++;
        } while (!cursor.equals("0"));
        for (int i = 0; i < 1000; i++) assertTrue(seen.contains("stay" + i), "stay" + i);
        // MATCH filters the members; COUNT is a hint for the skiplist only.
        ScanResult<Tuple> matched = jedis.zscan("z", "0", new ScanParams().match("stay99*").count(10_000));
        assertEquals("0", matched.getCursor());
        assertEquals(11, matched.getResult().size());
    }
}
