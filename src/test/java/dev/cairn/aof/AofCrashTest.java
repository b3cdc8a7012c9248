package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.TestServer;
import java.io.File;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * appendfsync always: a write is acknowledged only once it is on disk. A Cairn process
 * under write load from several clients is killed with SIGKILL; after a restart on the
 * same directory every acknowledged write is there.
 */
class AofCrashTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedWriteSurvivesKill9() throws Exception {
        int port = TestServer.freePort();
        Process cairn = startCairn(port);
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int id = t;
            writers.add(Thread.ofPlatform().start(() -> {
                try (Jedis jedis = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; ; i++) {
                        String key = "k" + id + ":" + (i % 500);
                        String value = Integer.toString(i);
                        jedis.set(key, value);
                        acknowledged.put(key, value);
                    }
                } catch (RuntimeException e) {
                    // The server was killed.
                }
            }));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (acknowledged.size() < 1500 && System.currentTimeMillis() < deadline) Thread.sleep(20);
        cairn.destroyForcibly(); // SIGKILL
        assertTrue(cairn.waitFor(30, TimeUnit.SECONDS));
        for (Thread w : writers) w.join(30_000);
        assertTrue(acknowledged.size() >= 1500, "writes before the kill: " + acknowledged.size());
        try (TestServer server = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--save", "");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (var e : acknowledged.entrySet()) {
                // A write sent after the last acknowledgement may have landed too: the value
                // is at least the acknowledged one.
                long found = Long.parseLong(jedis.get(e.getKey()));
                assertTrue(found >= Long.parseLong(e.getValue()), e.getKey() + " " + found + " < " + e.getValue());
            }
            assertEquals("PONG", jedis.ping());
        }
    }

    private Process startCairn(int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.cairn.server.Main", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always",
                "--save", "", "--loglevel", "warning")
                .redirectErrorStream(true).redirectOutput(dir.resolve("cairn.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return p;
            } catch (java.io.IOException e) {
                Thread.sleep(50);
            }
        }
        p.destroyForcibly();
        throw new AssertionError("Cairn did not start");
    }
}
