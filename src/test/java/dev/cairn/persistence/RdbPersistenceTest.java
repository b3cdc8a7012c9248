package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * SAVE, BGSAVE, LASTSAVE, save points, loading at startup, DEBUG RELOAD, SHUTDOWN's save,
 * MISCONF, and dump files exchanged with a real redis-server in both directions.
 */
class RdbPersistenceTest {
    @TempDir
    Path dir;

    /** A dataset with every type and encoding of 7.0, TTLs, several databases and a function library. */
    static void populate(Jedis j) {
        j.functionLoad("#!lua name=persisted\nredis.register_function('hello', function() return 'hi' end)");
        j.set("string", "plain text");
        j.set("int", "12345");
        j.set("negative", "-9000000000");
        j.set("long", "x".repeat(5000));
        j.set("compressible", "ab".repeat(200));
        j.set("binary", new String(new char[] {0, 1, 2, 255}));
        j.setex("ttl", 5000, "expiring");
        for (int i = 0; i < 5; i++) j.rpush("list-small", "e" + i);
        for (int i = 0; i < 3000; i++) j.rpush("list-big", "element-" + i);
        j.rpush("list-huge-element", "y".repeat(20000), "small");
        j.hset("hash-small", Map.of("a", "1", "b", "2"));
        Map<String, String> big = new HashMap<>();
        for (int i = 0; i < 1000; i++) big.put("f" + i, "v" + i);
        j.hset("hash-big", big);
        j.sadd("set-int16", "1", "2", "300");
        j.sadd("set-int64", "1", "9000000000000");
        j.sadd("set-strings", "a", "b", "c");
        for (int i = 0; i < 1000; i++) j.sadd("set-big-int", Integer.toString(i));
        j.zadd("zset-small", Map.of("a", 1.5, "b", -2.0, "c", 3e10));
        Map<String, Double> members = new HashMap<>();
        for (int i = 0; i < 500; i++) members.put("m" + i, i / 7.0);
        j.zadd("zset-big", members);
        j.pexpire("zset-big", 100_000_000L);
        j.select(3);
        j.set("in-db-3", "three");
        j.hset("hash-db-3", "f", "v");
        j.select(0);
    }


    private static String digestText(Jedis j) {
        return new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "DIGEST"));
    }

    @Test
    void saveThenRestartLoadsTheSameData() throws Exception {
        String digest;
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            populate(j);
            digest = digestText(j);
            long before = j.lastsave();
            assertEquals("OK", j.save());
            assertTrue(j.lastsave() >= before);
            assertTrue(Files.size(dir.resolve("dump.rdb")) > 0);
            assertTrue(j.info("persistence").contains("rdb_changes_since_last_save:0"));
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(digest, digestText(j));
            assertEquals("quicklist", j.objectEncoding("list-big"));
            assertEquals("listpack", j.objectEncoding("hash-small"));
            assertEquals("hashtable", j.objectEncoding("hash-big"));
            assertEquals("intset", j.objectEncoding("set-int64"));
            assertEquals("skiplist", j.objectEncoding("zset-big"));
            assertTrue(j.ttl("ttl") > 4900);
            assertEquals("hi", j.fcall("hello", java.util.List.of(), java.util.List.of()));
            String info = j.info("persistence");
            assertTrue(info.contains("rdb_last_load_keys_loaded:"), info);
        }
    }

    @Test
    void bgsaveWritesTheFileAndReportsInInfo() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            populate(j);
            String digest = digestText(j);
            assertEquals("Background saving started", j.bgsave());
            Eventually.until("the BGSAVE ends", () -> j.info("persistence").contains("rdb_bgsave_in_progress:0"));
            String info = j.info("persistence");
            assertTrue(info.contains("rdb_last_bgsave_status:ok"), info);
            assertTrue(info.contains("rdb_saves:1"), info);
            assertTrue(info.contains("rdb_changes_since_last_save:0"), info);
            assertEquals("OK", j.sendCommand(() -> "DEBUG".getBytes(), "RELOAD") instanceof byte[] b
                    ? new String(b) : "?");
            assertEquals(digest, digestText(j));
            assertEquals("ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.",
                    assertThrows(JedisDataException.class,
                            () -> j.sendCommand(() -> "DEBUG".getBytes(), "RELOAD", "FAST")).getMessage());
            assertEquals("ERR syntax error", assertThrows(JedisDataException.class,
                    () -> j.sendCommand(() -> "BGSAVE".getBytes(), "NOW")).getMessage());
        }
    }

    @Test
    void savePointsStartABackgroundSave() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(), "--save", "1 1", "--hz", "50");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("1 1", j.configGet("save").get("save"));
            j.set("k", "v");
            Eventually.until("a save point fires", () -> j.info("persistence").contains("rdb_saves:1"));
            assertTrue(Files.exists(dir.resolve("dump.rdb")));
            assertEquals("OK", j.configSet("save", ""));
            assertEquals("", j.configGet("save").get("save"));
            assertEquals("OK", j.configSet("save", "900 1 300 10"));
            assertEquals("900 1 300 10", j.configGet("save").get("save"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.configSet("save", "900"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters",
                    e.getMessage());
        }
    }

    @Test
    void shutdownSavesWithSavePointsAndNotWithNosave() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(), "--save", "3600 1");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("kept", "yes");
            try {
                j.shutdown();
            } catch (Exception closed) {
                // the connection closes
            }
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("yes", j.get("kept"));
            j.set("lost", "yes");
            try {
                j.sendCommand(() -> "SHUTDOWN".getBytes(), "NOSAVE");
            } catch (Exception closed) {
                // the connection closes
            }
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals("yes", j.get("kept"));
            assertEquals(null, j.get("lost"));
        }
    }

    @Test
    void aFailedBackgroundSaveRefusesWritesWithMisconf() throws Exception {
        // The directory disappears after startup, so saving fails even for root.
        Path gone = Files.createDirectory(dir.resolve("gone"));
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", gone.toString(), "--save", "3600 1");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("k", "v");
            Files.delete(gone);
            assertEquals("Background saving started", j.bgsave());
            Eventually.until("the BGSAVE fails", () -> j.info("persistence").contains("rdb_last_bgsave_status:err"));
            String misconf = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
                    + "persist to disk. Commands that may modify the data set are disabled, because this instance "
                    + "is configured to report errors during writes if RDB snapshotting fails "
                    + "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the "
                    + "RDB error.";
            assertEquals(misconf, assertThrows(JedisDataException.class, () -> j.set("k", "w")).getMessage());
            assertEquals(misconf, assertThrows(JedisDataException.class, j::ping).getMessage());
            assertEquals("v", j.get("k"));
            assertEquals("ERR", assertThrows(JedisDataException.class, j::save).getMessage());
            assertEquals("OK", j.configSet("stop-writes-on-bgsave-error", "no"));
            assertEquals("OK", j.set("k", "w"));
            assertEquals("OK", j.configSet("stop-writes-on-bgsave-error", "yes"));
            Files.createDirectory(gone);
            assertEquals("OK", j.save());
            assertEquals("OK", j.set("k", "x"));
            assertTrue(Files.exists(gone.resolve("dump.rdb")));
            assertFalse(Files.list(gone).anyMatch(f -> f.getFileName().toString().startsWith("temp-")));
        }
    }

    @Test
    void flushallStopsABgsaveAndSavesTheEmptyDataset() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(), "--save", "3600 1");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.sendCommand(() -> "DEBUG".getBytes(), "POPULATE", "200000");
            j.bgsave();
            assertEquals("OK", j.flushAll());
            assertTrue(j.info("persistence").contains("rdb_bgsave_in_progress:0"));
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(0, j.dbSize());
        }
    }

    @Test
    void aCorruptFileIsRefusedAndLeftAlone() throws Exception {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            populate(j);
            j.save();
        }
        Path file = dir.resolve("dump.rdb");
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()));
        assertTrue(e.getCause().getMessage().startsWith("Fatal error loading the DB: "), e.getCause().getMessage());
        assertTrue(Arrays.equals(bytes, Files.readAllBytes(file)));
    }

    @Test
    void redisServerLoadsCairnsDumpWithTheSameDigest() throws Exception {
        String digest;
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            populate(j);
            digest = digestText(j);
            j.save();
        }
        try (RealRedis r = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", r.port())) {
            assertEquals(digest, digestText(j));
            assertEquals("hi", j.fcall("hello", java.util.List.of(), java.util.List.of()));
        }
    }

    @Test
    void cairnLoadsRedisServersDumpWithTheSameDigest() throws Exception {
        String digest;
        try (RealRedis r = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", r.port())) {
            populate(j);
            digest = digestText(j);
            assertEquals("OK", j.save());
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString()); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(digest, digestText(j));
            assertEquals("hashtable", j.objectEncoding("hash-big"));
            assertEquals("hi", j.fcall("hello", java.util.List.of(), java.util.List.of()));
        }
    }

    @Test
    void idleTimeAndFrequencySurviveARestartUnderTheirPolicies() throws Exception {
        long freq;
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--maxmemory-policy", "allkeys-lfu"); Jedis j = new Jedis("127.0.0.1", s.port())) {
            j.set("hot", "v");
            for (int i = 0; i < 200; i++) j.get("hot");
            freq = j.objectFreq("hot");
            assertTrue(freq > 5, "freq " + freq);
            j.save();
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--maxmemory-policy", "allkeys-lfu"); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(freq, j.objectFreq("hot"));
            j.configSet("maxmemory-policy", "allkeys-lru");
            j.set("idle", "v");
            Thread.sleep(2100);
            j.save();
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--maxmemory-policy", "allkeys-lru"); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertTrue(j.objectIdletime("idle") >= 2, "idle " + j.objectIdletime("idle"));
        }
    }
}
