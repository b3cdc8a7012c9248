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
import redis.clients.jedis.bloom.CFInsertParams;
import redis.clients.jedis.bloom.CFReserveParams;

/** The CF.* commands through Jedis (RESP2) and raw bytes: replies, errors, growth, deletion. */
class CuckooCommandsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();
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
    void reserveAddExistsCountDelete() {
        assertEquals("OK", bloom.cfReserve("cf", 1000));
        assertEquals("ERR item exists", error("cf.reserve", "cf", "1000"));
        assertTrue(bloom.cfAdd("cf", "a"));
        assertTrue(bloom.cfAdd("cf", "a"));
        assertFalse(bloom.cfAddNx("cf", "a"));
        assertTrue(bloom.cfAddNx("cf", "b"));
        assertEquals(2, bloom.cfCount("cf", "a"));
        assertEquals(0, bloom.cfCount("cf", "zz"));
        assertEquals(0, bloom.cfCount("missing", "a"));
        assertTrue(bloom.cfExists("cf", "a"));
        assertFalse(bloom.cfExists("cf", "zz"));
        assertFalse(bloom.cfExists("missing", "a"));
        assertEquals(List.of(true, false, true), bloom.cfMExists("cf", "a", "zz", "b"));
        assertTrue(bloom.cfDel("cf", "a"));
        assertTrue(bloom.cfExists("cf", "a"));
        assertTrue(bloom.cfDel("cf", "a"));
        assertFalse(bloom.cfExists("cf", "a"));
        assertFalse(bloom.cfDel("cf", "a"));
        assertEquals("ERR not found", error("cf.del", "missing", "a"));
        Map<String, Object> info = bloom.cfInfo("cf");
        assertEquals(1L, info.get("Number of items inserted"));
        assertEquals(2L, info.get("Number of items deleted"));
    }

    @Test
    void docsExampleOfDeletion() {
        assertEquals(List.of(1L, 1L, 1L), call("cf.insert", "cf", "ITEMS", "item1", "item2", "item2"));
        assertEquals(1L, call("cf.del", "cf", "item1"));
        assertEquals(0L, call("cf.del", "cf", "item1"));
        assertEquals(1L, call("cf.del", "cf", "item2"));
        assertEquals(1L, call("cf.del", "cf", "item2"));
        assertEquals(0L, call("cf.del", "cf", "item2"));
    }

    @Test
    void addCreatesADefaultFilter() {
        assertEquals(1L, call("cf.add", "cf", "x"));
        assertEquals("MBbloomCF", jedis.type("cf"));
        assertEquals(List.of("Size", 1080L, "Number of buckets", 512L, "Number of filters", 1L,
                "Number of items inserted", 1L, "Number of items deleted", 0L, "Bucket size", 2L,
                "Expansion rate", 1L, "Max iterations", 20L), call("cf.info", "cf"));
        assertEquals(1L, call("cf.addnx", "other", "x"));
    }

    @Test
    void reserveOptionsAndErrors() {
        assertEquals("OK", bloom.cfReserve("cf", 1000, new CFReserveParams().bucketSize(4).maxIterations(50).expansion(3)));
        Map<String, Object> info = bloom.cfInfo("cf");
        assertEquals(256L, info.get("Number of buckets"));
        assertEquals(4L, info.get("Bucket size"));
        assertEquals(50L, info.get("Max iterations"));
        // Expansion is rounded up to a power of two.
        assertEquals(4L, info.get("Expansion rate"));
        assertEquals("ERR Bad capacity", error("cf.reserve", "k", "abc"));
        assertEquals("ERR Bad capacity", error("cf.reserve", "k", "0"));
        assertEquals("ERR Bad bucket size", error("cf.reserve", "k", "100", "BUCKETSIZE", "0"));
        assertEquals("ERR Bad bucket size", error("cf.reserve", "k", "100", "BUCKETSIZE", "256"));
        assertEquals("ERR Bad max iterations", error("cf.reserve", "k", "100", "MAXITERATIONS", "0"));
        assertEquals("ERR Bad max iterations", error("cf.reserve", "k", "100", "MAXITERATIONS", "65536"));
        assertEquals("ERR Bad expansion", error("cf.reserve", "k", "100", "EXPANSION", "-1"));
        assertEquals("ERR Bad expansion", error("cf.reserve", "k", "100", "EXPANSION", "32769"));
        assertEquals("ERR syntax error", error("cf.reserve", "k", "100", "BUCKETSIZE"));
        assertEquals("ERR syntax error", error("cf.reserve", "k", "100", "FOO", "1"));
        assertEquals("ERR could not create filter", error("cf.reserve", "k", "9223372036854775807"));
        assertEquals("ERR wrong number of arguments for 'cf.reserve' command", error("cf.reserve", "k"));
        assertEquals(0L, call("exists", "k"));
        assertEquals("OK", call("cf.reserve", "e0", "100", "EXPANSION", "0"));
        assertEquals(0L, ((List<?>) call("cf.info", "e0")).get(13));
    }

    @Test
    void docsExampleOfAFullFilter() throws Exception {
        assertEquals("OK", call("cf.reserve", "cf2", "2", "BUCKETSIZE", "1", "EXPANSION", "0"));
        assertEquals(List.of(1L, 1L, -1L, -1L), call("cf.insert", "cf2", "ITEMS", "1", "1", "1", "1"));
        try (RawConnection raw = new RawConnection(server.port())) {
            assertEquals("-Filter is full\r\n", raw.call("CF.ADD", "cf2", "1"));
            assertEquals("*2\r\n:0\r\n:-1\r\n", raw.call("CF.INSERTNX", "cf2", "ITEMS", "1", "2"));
        }
    }

    @Test
    void growsBySubFiltersUpToTheLimit() {
        call("cf.reserve", "cf", "2", "BUCKETSIZE", "1");
        for (int i = 0; i < 40; i++) call("cf.add", "cf", "item" + i);
        List<?> info = (List<?>) call("cf.info", "cf");
        assertTrue((Long) info.get(5) > 1, info.toString());
        for (int i = 0; i < 40; i++) assertEquals(1L, call("cf.exists", "cf", "item" + i));
        // Expansion 1 and one-slot buckets: 32 sub-filters of 2 slots, then no more.
        String last = null;
        for (int i = 40; i < 200 && last == null; i++) {
            try {
                call("cf.add", "cf", "item" + i);
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                last = e.getMessage();
            }
        }
        assertEquals("Maximum expansions reached", last);
        assertEquals(32L, ((List<?>) call("cf.info", "cf")).get(5));
    }

    @Test
    void insertOptions() {
        assertEquals(List.of(true, true), bloom.cfInsert("cf", new CFInsertParams().capacity(5000), "a", "b"));
        assertEquals(4096L, bloom.cfInfo("cf").get("Number of buckets"));
        assertEquals(List.of(0L, 1L), call("cf.insertnx", "cf", "ITEMS", "a", "c"));
        assertEquals(List.of(1L), call("cf.insert", "cf", "NOCREATE", "ITEMS", "a"));
        assertEquals("ERR not found", error("cf.insert", "missing", "NOCREATE", "ITEMS", "a"));
        assertEquals("ERR not found", error("cf.insertnx", "missing", "CAPACITY", "1000", "NOCREATE", "ITEMS", "a"));
        assertEquals("ERR Bad capacity", error("cf.insert", "x", "CAPACITY", "0", "ITEMS", "a"));
        assertEquals("ERR syntax error", error("cf.insert", "x", "BOGUS", "ITEMS", "a"));
        assertEquals("ERR wrong number of arguments for 'cf.insert' command", error("cf.insert", "x", "NOCREATE", "ITEMS"));
        assertEquals("ERR wrong number of arguments for 'cf.insertnx' command", error("cf.insertnx", "x", "CAPACITY", "5", "ITEMS"));
        assertEquals(0L, call("exists", "x", "missing"));
    }

    @Test
    void wrongType() {
        jedis.set("s", "v");
        for (String[] cmd : new String[][] {{"cf.add", "s", "a"}, {"cf.addnx", "s", "a"}, {"cf.insert", "s", "ITEMS", "a"},
                {"cf.insertnx", "s", "ITEMS", "a"}, {"cf.exists", "s", "a"}, {"cf.mexists", "s", "a"}, {"cf.del", "s", "a"},
                {"cf.count", "s", "a"}, {"cf.info", "s"}, {"cf.scandump", "s", "0"}, {"cf.loadchunk", "s", "9", "abc"}}) {
            assertEquals(BloomCommandsTest.WRONGTYPE, error(cmd), Arrays.toString(cmd));
        }
        assertEquals("ERR item exists", error("cf.reserve", "s", "100"));
        call("bf.add", "bf", "a");
        assertEquals(BloomCommandsTest.WRONGTYPE, error("cf.add", "bf", "a"));
        assertEquals("ERR not found", error("cf.info", "missing"));
    }

    @Test
    void resp3Shapes() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.call("HELLO", "3");
            assertEquals("#t\r\n", raw.call("CF.ADD", "cf", "a"));
            assertEquals("#f\r\n", raw.call("CF.ADDNX", "cf", "a"));
            assertEquals("#t\r\n", raw.call("CF.EXISTS", "cf", "a"));
            assertEquals("*2\r\n#t\r\n#f\r\n", raw.call("CF.MEXISTS", "cf", "a", "b"));
            assertEquals("*1\r\n#t\r\n", raw.call("CF.INSERT", "cf", "ITEMS", "b"));
            assertEquals("*2\r\n:0\r\n:1\r\n", raw.call("CF.INSERTNX", "cf", "ITEMS", "b", "c"));
            assertEquals(":1\r\n", raw.call("CF.COUNT", "cf", "a"));
            assertEquals("#t\r\n", raw.call("CF.DEL", "cf", "a"));
            assertEquals("%8\r\n+Size\r\n:1080\r\n+Number of buckets\r\n:512\r\n+Number of filters\r\n:1\r\n"
                    + "+Number of items inserted\r\n:2\r\n+Number of items deleted\r\n:1\r\n+Bucket size\r\n:2\r\n"
                    + "+Expansion rate\r\n:1\r\n+Max iterations\r\n:20\r\n", raw.call("CF.INFO", "cf"));
        }
    }

    @Test
    void arityErrors() {
        assertEquals("ERR wrong number of arguments for 'cf.add' command", error("cf.add", "cf"));
        assertEquals("ERR wrong number of arguments for 'cf.addnx' command", error("cf.addnx", "cf", "a", "b"));
        assertEquals("ERR wrong number of arguments for 'cf.exists' command", error("cf.exists", "cf"));
        assertEquals("ERR wrong number of arguments for 'cf.mexists' command", error("cf.mexists", "cf"));
        assertEquals("ERR wrong number of arguments for 'cf.del' command", error("cf.del", "cf"));
        assertEquals("ERR wrong number of arguments for 'cf.count' command", error("cf.count", "cf"));
        assertEquals("ERR wrong number of arguments for 'cf.info' command", error("cf.info", "cf", "x"));
        assertEquals("ERR wrong number of arguments for 'cf.insert' command", error("cf.insert", "cf", "ITEMS"));
        assertEquals("ERR wrong number of arguments for 'cf.scandump' command", error("cf.scandump", "cf"));
        assertEquals("ERR wrong number of arguments for 'cf.loadchunk' command", error("cf.loadchunk", "cf", "1"));
    }
}
