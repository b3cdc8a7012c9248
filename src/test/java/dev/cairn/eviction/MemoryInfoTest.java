package dev.cairn.eviction;

import static dev.cairn.eviction.EvictionPolicyTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/** INFO memory and MEMORY STATS: Redis 7.0's fields, and figures that follow the data. */
class MemoryInfoTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static List<String> infoFields(Jedis j) {
        List<String> names = new ArrayList<>();
        for (String line : j.info("memory").split("\r\n")) {
            if (!line.startsWith("#") && line.contains(":")) names.add(line.substring(0, line.indexOf(':')));
        }
        return names;
    }

    /** MEMORY STATS' field names in order, with the per-database entries named db.N. */
    @SuppressWarnings("unchecked")
    private static List<String> statsFields(Jedis j) {
        List<String> names = new ArrayList<>();
        List<Object> reply = (List<Object>) j.sendCommand(() -> "MEMORY".getBytes(), "STATS");
        for (int i = 0; i < reply.size(); i += 2) names.add(new String((byte[]) reply.get(i)));
        return names;
    }

    @Test
    void sameFieldsAsRedis() {
        try (RealRedis real = RealRedis.start(); Jedis redis = new Jedis("127.0.0.1", real.port())) {
            Jedis j = cairn.jedis();
            assertEquals(infoFields(redis), infoFields(j));
            redis.set("k", "v");
            j.set("k", "v");
            assertEquals(statsFields(redis), statsFields(j));
        }
    }

    @Test
    void usedMemoryFollowsTheDataset() {
        Jedis j = cairn.jedis();
        long startup = info(j, "memory", "used_memory_startup");
        long empty = info(j, "memory", "used_memory");
        assertTrue(empty >= startup);
        String value = "x".repeat(1000);
        for (int i = 0; i < 1000; i++) j.set("key:" + i, value);
        long full = info(j, "memory", "used_memory");
        // 1000 values of 1000 bytes, plus keys and entries: between 1.0 and 1.3 MB.
        assertTrue(full - empty >= 1_000_000 && full - empty <= 1_300_000, "grew by " + (full - empty));
        assertTrue(info(j, "memory", "used_memory_dataset") >= 1_000_000);
        for (int i = 0; i < 100; i++) j.rpush("list", value);
        long withList = info(j, "memory", "used_memory");
        assertTrue(withList - full >= 100_000);
        // A filter of a million items at 1% takes over a megabyte of bit array.
        j.sendCommand(() -> "BF.RESERVE".getBytes(), "bloom", "0.01", "1000000");
        assertTrue(info(j, "memory", "used_memory") - withList >= 1_000_000);
        j.flushAll();
        assertTrue(info(j, "memory", "used_memory") - empty < 50_000);
        assertTrue(info(j, "memory", "used_memory_peak") >= full);
    }

    @Test
    void limitAndPolicyShown() {
        Jedis j = cairn.jedis();
        j.configSet("maxmemory", "100mb");
        j.configSet("maxmemory-policy", "allkeys-lfu");
        try {
            String text = j.info("memory");
            assertTrue(text.contains("\r\nmaxmemory:104857600\r\n"));
            assertTrue(text.contains("\r\nmaxmemory_human:100.00M\r\n"));
            assertTrue(text.contains("\r\nmaxmemory_policy:allkeys-lfu\r\n"));
            assertTrue(j.memoryDoctor().length() > 0);
        } finally {
            j.configSet("maxmemory", "0");
            j.configSet("maxmemory-policy", "noeviction");
        }
    }
}
