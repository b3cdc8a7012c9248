package dev.cairn.eviction;

import static dev.cairn.eviction.EvictionPolicyTest.info;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;

/**
 * maxmemory below the JVM heap keeps the server alive: a Cairn process with a 128 MB heap
 * and a 64 MB limit takes several times that in writes from many clients at once, and
 * still serves, within its limit, without running out of heap.
 */
class HeapSafetyTest {
    @Test
    void aSmallHeapSurvivesAWriteFloodUnderMaxmemory() throws Exception {
        int port = TestServer.freePort();
        Path dir = Files.createTempDirectory("cairn-heap");
        Path log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process server = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "dev.cairn.server.Main", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--maxmemory", "64mb", "--maxmemory-policy", "allkeys-lru", "--save", "", "--dir", dir.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            waitForPing(port);
            String value = "v".repeat(500);
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try (Jedis j = new Jedis("127.0.0.1", port, 60_000)) {
                        for (int batch = 0; batch < 100; batch++) {
                            Pipeline p = j.pipelined();
                            for (int i = 0; i < 1000; i++) p.set("w" + writer + ":" + batch + ":" + i, value);
                            p.sync();
                        }
                    }
                });
                t.start();
                writers.add(t);
            }
            for (Thread t : writers) t.join();
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                assertEquals("PONG", j.ping());
                assertTrue(info(j, "stats", "evicted_keys") > 300_000);
                assertTrue(info(j, "memory", "used_memory") <= 64L * 1024 * 1024 + 1024 * 1024);
                assertTrue(j.dbSize() > 50_000);
            }
            assertTrue(server.isAlive());
            assertTrue(!Files.readString(log).contains("OutOfMemoryError"), Files.readString(log));
        } finally {
            server.destroy();
            server.waitFor();
            Files.deleteIfExists(log);
            Files.deleteIfExists(dir);
        }
    }

    private static void waitForPing(int port) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                if ("PONG".equals(j.ping())) return;
            } catch (RuntimeException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("the server did not start");
    }
}
