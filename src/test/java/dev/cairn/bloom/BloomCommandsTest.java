package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.bloom.BFInsertParams;
import redis.clients.jedis.bloom.BFReserveParams;

/** The BF.* commands through Jedis (RESP2) and raw bytes: replies, errors, scaling, defaults. */
class BloomCommandsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    private final Jedis jedis = server.jedis();
    /** Jedis's RedisBloom API, which parses the replies as it does RedisBloom's. */
    private final UnifiedJedis bloom = new UnifiedJedis("redis://127.0.0.1:" + server.port());

    @AfterEach
    void close() {
        bloom.close();
    }

    private Object call(String... args) {
        return JedisCommands.call(jedis, args);
    }

    private String error(String... args) {
        return JedisCommands.error(jedis, args);
    }

    @Test
    void reserveAddExists() {
        assertEquals("OK", bloom.bfReserve("bf", 0.01, 1000));
        assertEquals("ERR item exists", error("bf.reserve", "bf", "0.01", "1000"));
        assertTrue(bloom.bfAdd("bf", "a"));
        assertFalse(bloom.bfAdd("bf", "a"));
        assertTrue(bloom.bfExists("bf", "a"));
        assertFalse(bloom.bfExists("bf", "b"));
        assertFalse(bloom.bfExists("missing", "a"));
        assertEquals(List.of(true, true, false), bloom.bfMAdd("bf", "b", "c", "a"));
        assertEquals(List.of(true, false, true), bloom.bfMExists("bf", "a", "zz", "c"));
        assertEquals(List.of(false, false), bloom.bfMExists("missing", "a", "b"));
        assertEquals(3, bloom.bfCard("bf"));
        assertEquals(0, bloom.bfCard("missing"));
    }

    @Test
    void addCreatesADefaultFilter() {
        assertEquals(1L, call("bf.add", "bf", "x"));
        Map<String, Object> info = bloom.bfInfo("bf");
        assertEquals(100L, info.get("Capacity"));
        assertEquals(1L, info.get("Number of filters"));
        assertEquals(1L, info.get("Number of items inserted"));
        assertEquals(2L, info.get("Expansion rate"));
        assertEquals("MBbloom--", jedis.type("bf"));
        assertEquals(List.of(1L, 0L), call("bf.madd", "other", "y", "y"));
        assertEquals(1L, call("bf.card", "other"));
    }

    @Test
    void reserveErrors() {
        assertEquals("ERR bad error rate", error("bf.reserve", "k", "abc", "10"));
        assertEquals("ERR (0 < error rate range < 1)", error("bf.reserve", "k", "0", "10"));
        assertEquals("ERR (0 < error rate range < 1)", error("bf.reserve", "k", "1", "10"));
        assertEquals("ERR (0 < error rate range < 1)", error("bf.reserve", "k", "-0.5", "10"));
        assertEquals("ERR bad capacity", error("bf.reserve", "k", "0.1", "ten"));
        assertEquals("ERR (capacity should be larger than 0)", error("bf.reserve", "k", "0.1", "0"));
        assertEquals("ERR bad expansion", error("bf.reserve", "k", "0.1", "10", "EXPANSION", "0"));
        assertEquals("ERR bad expansion", error("bf.reserve", "k", "0.1", "10", "EXPANSION", "x"));
        assertEquals("ERR syntax error", error("bf.reserve", "k", "0.1", "10", "EXPANSION"));
        assertEquals("ERR syntax error", error("bf.reserve", "k", "0.1", "10", "FOO"));
        assertEquals("ERR could not create filter", error("bf.reserve", "k", "0.000001", "9223372036854775807"));
        assertEquals("ERR wrong number of arguments for 'bf.reserve' command", error("bf.reserve", "k", "0.1"));
        assertEquals(0L, call("exists", "k"));
        jedis.set("s", "v");
        assertEquals("ERR item exists", error("bf.reserve", "s", "0.1", "10"));
    }

    @Test
    void wrongTypeEverywhere() {
        jedis.set("s", "v");
        for (String[] cmd : new String[][] {{"bf.add", "s", "a"}, {"bf.madd", "s", "a"}, {"bf.exists", "s", "a"},
                {"bf.mexists", "s", "a"}, {"bf.insert", "s", "ITEMS", "a"}, {"bf.info", "s"}, {"bf.card", "s"},
                {"bf.scandump", "s", "0"}, {"bf.loadchunk", "s", "5", "abcd"}, {"bf.loadchunk", "s", "1", "abcd"}}) {
            assertEquals(WRONGTYPE, error(cmd), Arrays.toString(cmd));
        }
        jedis.del("s");
        assertEquals("OK", call("cf.reserve", "cf", "100"));
        assertEquals(WRONGTYPE, error("bf.add", "cf", "a"));
    }

    @Test
    void scalingAddsTighterSubFilters() {
        bloom.bfReserve("bf", 0.01, 10, new BFReserveParams().expansion(3));
        for (int i = 0; i < 10; i++) assertTrue(bloom.bfAdd("bf", "item" + i));
        assertEquals(1L, bloom.bfInfo("bf").get("Number of filters"));
        assertTrue(bloom.bfAdd("bf", "item10"));
        Map<String, Object> info = bloom.bfInfo("bf");
        assertEquals(2L, info.get("Number of filters"));
        assertEquals(40L, info.get("Capacity"));
        assertEquals(11L, info.get("Number of items inserted"));
        assertEquals(3L, info.get("Expansion rate"));
        for (int i = 0; i <= 10; i++) assertTrue(bloom.bfExists("bf", "item" + i));
    }

    @Test
    void nonScalingFilterRefusesItemsPastItsCapacity() {
        assertEquals("OK", call("bf.reserve", "bf", "0.01", "2", "NONSCALING"));
        assertEquals(List.of(1L, 1L), call("bf.madd", "bf", "a", "b"));
        assertEquals("ERR non scaling filter is full", error("bf.add", "bf", "c"));
        // An item already there is still answered without an error.
        assertEquals(0L, call("bf.add", "bf", "a"));
        assertEquals(2L, call("bf.card", "bf"));
    }

    @Test
    void maddReportsAFullFilterPerItem() throws Exception {
        call("bf.reserve", "bf", "0.0001", "1000", "NONSCALING");
        String[] fill = new String[1001];
        fill[0] = "bf";
        for (int i = 1; i <= 1000; i++) fill[i] = "item" + i;
        assertEquals(1000L, JedisCommands.call(jedis, prepend("bf.madd", fill)) instanceof List<?> l
                ? l.stream().filter(r -> r.equals(1L)).count() : -1L);
        try (RawConnection raw = new RawConnection(server.port())) {
            assertEquals("*3\r\n:0\r\n-ERR non scaling filter is full\r\n:0\r\n",
                    raw.call("BF.MADD", "bf", "item1", "absent", "item2"));
            assertEquals("*2\r\n-ERR non scaling filter is full\r\n:0\r\n", raw.call("BF.INSERT", "bf", "ITEMS", "other", "item3"));
        }
    }

    private static String[] prepend(String first, String[] rest) {
        String[] all = new String[rest.length + 1];
        all[0] = first;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    @Test
    void insertOptions() {
        assertEquals(List.of(true, true, false),
                bloom.bfInsert("bf", new BFInsertParams().capacity(1000).error(0.001), "a", "b", "a"));
        Map<String, Object> info = bloom.bfInfo("bf");
        assertEquals(1000L, info.get("Capacity"));
        // Options are ignored for an existing filter.
        assertEquals(List.of(1L), call("bf.insert", "bf", "CAPACITY", "5", "ITEMS", "c"));
        assertEquals(1000L, bloom.bfInfo("bf").get("Capacity"));
        assertEquals(List.of(0L, 1L), call("bf.insert", "bf", "NOCREATE", "ITEMS", "c", "d"));
        assertEquals("ERR not found", error("bf.insert", "missing", "NOCREATE", "ITEMS", "a"));
        assertEquals(List.of(1L), call("bf.insert", "ns", "CAPACITY", "1", "NONSCALING", "ITEMS", "a"));
        assertEquals("ERR non scaling filter is full", error("bf.add", "ns", "b"));
        assertEquals(List.of(1L), call("bf.insert", "ex", "EXPANSION", "4", "ITEMS", "a"));
        assertEquals(4L, bloom.bfInfo("ex").get("Expansion rate"));
        assertEquals("ERR NOCREATE cannot be used with CAPACITY or ERROR",
                error("bf.insert", "bf", "NOCREATE", "CAPACITY", "5", "ITEMS", "a"));
        assertEquals("ERR wrong number of arguments for 'bf.insert' command", error("bf.insert", "bf", "CAPACITY", "5", "ITEMS"));
        assertEquals("ERR syntax error", error("bf.insert", "bf", "NOCREATE", "a"));
        assertEquals("ERR syntax error", error("bf.insert", "bf", "BOGUS", "ITEMS", "a"));
        assertEquals("ERR bad capacity", error("bf.insert", "x", "CAPACITY", "abc", "ITEMS", "a"));
        assertEquals("ERR (0 < error rate range < 1)", error("bf.insert", "x", "ERROR", "2", "ITEMS", "a"));
        assertEquals("ERR bad expansion", error("bf.insert", "x", "EXPANSION", "-1", "ITEMS", "a"));
        assertEquals(0L, call("exists", "x", "missing"));
    }

    @Test
    void infoReplies() throws Exception {
        call("bf.reserve", "bf", "0.01", "100");
        call("bf.add", "bf", "a");
        call("bf.reserve", "ns", "0.01", "100", "NONSCALING");
        try (RawConnection raw = new RawConnection(server.port())) {
            String size = raw.call("BF.INFO", "bf", "SIZE");
            assertTrue(size.matches("\\*1\r\n:\\d+\r\n"), size);
            String n = size.substring(5, size.length() - 2);
            assertEquals("*10\r\n+Capacity\r\n:100\r\n+Size\r\n:" + n + "\r\n+Number of filters\r\n:1\r\n"
                    + "+Number of items inserted\r\n:1\r\n+Expansion rate\r\n:2\r\n", raw.call("BF.INFO", "bf"));
            assertEquals("*1\r\n:100\r\n", raw.call("BF.INFO", "bf", "capacity"));
            assertEquals("*1\r\n:1\r\n", raw.call("BF.INFO", "bf", "FILTERS"));
            assertEquals("*1\r\n:1\r\n", raw.call("BF.INFO", "bf", "ITEMS"));
            assertEquals("*1\r\n:2\r\n", raw.call("BF.INFO", "bf", "EXPANSION"));
            // A non-scaling filter has no expansion rate.
            assertEquals("*1\r\n$-1\r\n", raw.call("BF.INFO", "ns", "EXPANSION"));
            assertEquals("-ERR Invalid information value\r\n", raw.call("BF.INFO", "bf", "BOGUS"));
            assertEquals("-ERR syntax error\r\n", raw.call("BF.INFO", "bf", "SIZE", "ITEMS"));
            assertEquals("-ERR not found\r\n", raw.call("BF.INFO", "missing"));
            raw.call("HELLO", "3");
            assertEquals("%5\r\n+Capacity\r\n:100\r\n+Size\r\n:" + n + "\r\n+Number of filters\r\n:1\r\n"
                    + "+Number of items inserted\r\n:1\r\n+Expansion rate\r\n:2\r\n", raw.call("BF.INFO", "bf"));
            assertEquals("%1\r\n+Capacity\r\n:100\r\n", raw.call("BF.INFO", "bf", "CAPACITY"));
            assertEquals("#t\r\n", raw.call("BF.ADD", "bf", "b"));
            assertEquals("#f\r\n", raw.call("BF.ADD", "bf", "b"));
            assertEquals("*2\r\n#t\r\n#f\r\n", raw.call("BF.MEXISTS", "bf", "b", "zz"));
            assertEquals(":2\r\n", raw.call("BF.CARD", "bf"));
        }
    }

    @Test
    void arityErrors() {
        assertEquals("ERR wrong number of arguments for 'bf.add' command", error("bf.add", "bf"));
        assertEquals("ERR wrong number of arguments for 'bf.add' command", error("bf.add", "bf", "a", "b"));
        assertEquals("ERR wrong number of arguments for 'bf.madd' command", error("bf.madd", "bf"));
        assertEquals("ERR wrong number of arguments for 'bf.exists' command", error("bf.exists", "bf"));
        assertEquals("ERR wrong number of arguments for 'bf.mexists' command", error("bf.mexists", "bf"));
        assertEquals("ERR wrong number of arguments for 'bf.insert' command", error("bf.insert", "bf", "ITEMS"));
        assertEquals("ERR wrong number of arguments for 'bf.info' command", error("bf.info"));
        assertEquals("ERR wrong number of arguments for 'bf.card' command", error("bf.card"));
        assertEquals("ERR wrong number of arguments for 'bf.scandump' command", error("bf.scandump", "bf"));
        assertEquals("ERR wrong number of arguments for 'bf.loadchunk' command", error("bf.loadchunk", "bf", "1"));
    }
}
