package dev.cairn.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * Each policy filled past maxmemory: which keys go and which stay. Limits are set relative
 * to the used_memory of the moment, values are 1 KB so that a handful of writes crosses
 * them.
 */
class EvictionPolicyTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static final String VALUE = "v".repeat(1000);
    private static final String OOM = "OOM command not allowed when used memory > 'maxmemory'.";

    @AfterEach
    void noLimit() {
        try (Jedis j = new Jedis("127.0.0.1", cairn.port())) {
            j.configSet("maxmemory", "0");
            j.configSet("maxmemory-policy", "noeviction");
            j.configSet("lfu-log-factor", "10");
            j.configSet("notify-keyspace-events", "");
            j.configResetStat();
        }
    }

    static long info(Jedis j, String section, String field) {
        for (String line : j.info(section).split("\r\n")) {
            if (line.startsWith(field + ":")) return Long.parseLong(line.substring(field.length() + 1));
        }
        throw new AssertionError("no " + field + " in INFO " + section);
    }

    private static void limit(Jedis j, long extra, String policy) {
        j.configSet("maxmemory-policy", policy);
        j.configSet("maxmemory", Long.toString(info(j, "memory", "used_memory") + extra));
    }

    private static int present(Jedis j, String prefix, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) if (j.exists(prefix + i)) n++;
        return n;
    }

    @Test
    void noevictionRefusesWritesButServesReadsAndDeletes() {
        Jedis j = cairn.jedis();
        for (int i = 0; i < 20; i++) j.set("k" + i, VALUE);
        limit(j, 30_000, "noeviction");
        String refused = null;
        for (int i = 20; i < 1000 && refused == null; i++) {
            try {
                j.set("k" + i, VALUE);
            } catch (JedisDataException e) {
                refused = e.getMessage();
            }
        }
        assertEquals(OOM, refused);
        assertEquals(VALUE, j.get("k0"));
        assertEquals(1, j.exists("k1") ? 1 : 0);
        assertEquals(0, info(j, "stats", "evicted_keys"));
        assertTrue(info(j, "stats", "total_eviction_exceeded_time") >= 0);
        for (int i = 0; i < 60; i++) j.del("k" + i);
        assertEquals("OK", j.set("again", VALUE));
        assertEquals(0, info(j, "stats", "current_eviction_exceeded_time"));
    }

    @Test
    void allkeysLruKeepsTheKeysReadMostRecently() throws InterruptedException {
        Jedis j = cairn.jedis();
        for (int i = 0; i < 1000; i++) j.set("old" + i, VALUE);
        // The LRU clock counts seconds: let a second pass so that the hot reads are newer.
        Thread.sleep(1100);
        for (int i = 0; i < 100; i++) j.get("old" + i);
        limit(j, 0, "allkeys-lru");
        for (int i = 0; i < 400; i++) j.set("new" + i, VALUE);
        assertTrue(info(j, "stats", "evicted_keys") >= 300);
        assertTrue(present(j, "old", 0, 100) >= 98, "hot keys kept: " + present(j, "old", 0, 100));
        assertTrue(present(j, "old", 100, 1000) <= 600, "cold keys left: " + present(j, "old", 100, 1000));
    }

    @Test
    void allkeysLfuKeepsTheKeysReadOften() {
        Jedis j = cairn.jedis();
        for (int i = 0; i < 1000; i++) j.set("k" + i, VALUE);
        j.configSet("maxmemory-policy", "allkeys-lfu");
        for (int round = 0; round < 20; round++) for (int i = 0; i < 100; i++) j.get("k" + i);
        limit(j, 0, "allkeys-lfu");
        for (int i = 0; i < 400; i++) j.set("new" + i, VALUE);
        assertTrue(info(j, "stats", "evicted_keys") >= 300);
        assertEquals(100, present(j, "k", 0, 100));
    }

    @Test
    void volatilePoliciesNeverEvictKeysWithoutTtl() {
        for (String policy : List.of("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl")) {
            Jedis j = cairn.jedis();
            j.flushAll();
            j.configSet("maxmemory", "0");
            for (int i = 0; i < 200; i++) j.set("keep" + i, VALUE);
            limit(j, 100_000, policy);
            long before = info(j, "stats", "evicted_keys");
            for (int i = 0; i < 400; i++) j.set("tmp" + i, VALUE, SetParams.setParams().ex(10_000));
            assertTrue(info(j, "stats", "evicted_keys") - before >= 200, policy);
            assertEquals(200, present(j, "keep", 0, 200), policy);
            // Once no key with a TTL is left, writes are refused.
            String refused = null;
            for (int i = 0; i < 1000 && refused == null; i++) {
                try {
                    j.set("more" + i, VALUE);
                } catch (JedisDataException e) {
                    refused = e.getMessage();
                }
            }
            assertEquals(OOM, refused, policy);
            assertEquals(200, present(j, "keep", 0, 200), policy);
            j.configSet("maxmemory", "0");
        }
    }

    @Test
    void volatileTtlEvictsTheSoonestToExpire() {
        Jedis j = cairn.jedis();
        for (int i = 0; i < 300; i++) j.set("t" + i, VALUE, SetParams.setParams().ex(1000 + i));
        limit(j, 0, "volatile-ttl");
        for (int i = 0; i < 100; i++) j.set("late" + i, VALUE, SetParams.setParams().ex(100_000));
        assertTrue(info(j, "stats", "evicted_keys") >= 90);
        assertEquals(100, present(j, "t", 200, 300));
        assertEquals(100, present(j, "late", 0, 100));
        assertTrue(present(j, "t", 0, 100) <= 30, "short TTLs left: " + present(j, "t", 0, 100));
    }

    @Test
    void allkeysRandomStaysWithinTheLimit() {
        Jedis j = cairn.jedis();
        limit(j, 200_000, "allkeys-random");
        long max = Long.parseLong(j.configGet("maxmemory").get("maxmemory"));
        for (int i = 0; i < 2000; i++) j.set("k" + i, VALUE);
        assertTrue(info(j, "stats", "evicted_keys") > 1000);
        assertTrue(info(j, "memory", "used_memory") <= max + 4096);
        assertTrue(j.dbSize() < 300);
    }

    @Test
    void evictionRaisesTheEvictedEventAndTouchesWatchers() throws Exception {
        Jedis j = cairn.jedis();
        j.configSet("notify-keyspace-events", "Ee");
        j.set("first", VALUE, SetParams.setParams().ex(5));
        // The only key with a TTL: the one volatile-ttl must take.
        for (int i = 0; i < 50; i++) j.set("k" + i, VALUE);
        try (RawConnection sub = new RawConnection(cairn.port()); Jedis watcher = new Jedis("127.0.0.1", cairn.port())) {
            sub.call("SUBSCRIBE", "__keyevent@0__:evicted");
            watcher.watch("first");
            Transaction tx = watcher.multi();
            tx.get("first");
            limit(j, 0, "volatile-ttl");
            for (int i = 0; i < 500 && j.exists("first"); i++) j.set("pad" + i, VALUE);
            assertEquals("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:evicted\r\n$5\r\nfirst\r\n", sub.readReply());
            assertNull(tx.exec());
        }
        assertTrue(info(j, "stats", "evicted_keys") >= 1);
    }

    @Test
    void loweringMaxmemoryAtRunTimeEvicts() {
        Jedis j = cairn.jedis();
        for (int i = 0; i < 3000; i++) j.set("k" + i, VALUE);
        long used = info(j, "memory", "used_memory");
        long startup = info(j, "memory", "used_memory_startup");
        long max = startup + (used - startup) / 2;
        j.configSet("maxmemory-policy", "allkeys-lru");
        j.configSet("maxmemory", Long.toString(max));
        Eventually.until("used_memory within the new limit", () -> info(j, "memory", "used_memory") <= max);
        assertTrue(j.dbSize() < 2000);
        assertTrue(info(j, "stats", "evicted_keys") > 1000);
    }

    @Test
    void objectFreqCountsReadsUnderLfu() {
        Jedis j = cairn.jedis();
        j.set("k", "v");
        assertEquals(0L, j.objectIdletime("k"));
        j.configSet("maxmemory-policy", "allkeys-lfu");
        j.configSet("lfu-log-factor", "0");
        j.set("f", "v");
        assertEquals(5L, j.objectFreq("f"));
        for (int i = 0; i < 3; i++) j.get("f");
        // Inspecting a key is not an access.
        j.type("f");
        j.exists("f");
        j.ttl("f");
        j.objectEncoding("f");
        assertEquals(8L, j.objectFreq("f"));
        j.touch("f");
        assertEquals(9L, j.objectFreq("f"));
        try {
            j.objectIdletime("f");
            fail("IDLETIME under LFU");
        } catch (JedisDataException e) {
            assertTrue(e.getMessage().startsWith("ERR An LFU maxmemory policy is selected"));
        }
    }

    @Test
    void lettuceSeesTheOomErrorAndReadsStillWork() {
        var lettuce = cairn.lettuce();
        lettuce.set("k", "v");
        lettuce.configSet("maxmemory", "1");
        try {
            lettuce.set("k2", "v");
            fail("SET over the limit");
        } catch (io.lettuce.core.RedisCommandExecutionException e) {
            assertEquals(OOM, e.getMessage());
        }
        assertEquals("v", lettuce.get("k"));
        assertEquals(1L, lettuce.del("k"));
    }

    @Test
    void writesInsideScriptsAreRefusedOnlyBeforeTheFirstWrite() {
        Jedis j = cairn.jedis();
        j.set("k", "v");
        j.configSet("maxmemory", "1");
        assertEquals("OK", j.eval("redis.call('del','k') return redis.call('set','k','w')"));
        try {
            j.eval("return redis.call('set','x','1')");
            fail("write refused");
        } catch (JedisDataException e) {
            assertTrue(e.getMessage().startsWith(OOM + " script: "), e.getMessage());
        }
        assertNotNull(j.get("k"));
    }
}
