package dev.cairn.dump;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** DUMP and RESTORE as commands: what they do to the keyspace, waiting clients, watchers and subscribers. */
class DumpRestoreCommandsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void restoreWakesBlockedClients() throws Exception {
        Jedis j = cairn.jedis();
        j.rpush("src", "a", "b");
        byte[] payload = j.dump("src");
        try (Jedis waiter = new Jedis("127.0.0.1", cairn.port())) {
            CompletableFuture<List<String>> popped = CompletableFuture.supplyAsync(() -> waiter.blpop(10, "dst"));
            while (!j.clientList().contains("cmd=blpop")) Thread.sleep(10);
            assertEquals("OK", j.restore(b("dst"), 0, payload));
            assertEquals(List.of("dst", "a"), popped.get(10, TimeUnit.SECONDS));
        }
        assertEquals(List.of("b"), j.lrange("dst", 0, -1));
    }

    @Test
    void restoreRaisesItsEventAndTouchesWatchers() throws Exception {
        Jedis j = cairn.jedis();
        j.set("src", "v");
        byte[] payload = j.dump("src");
        try (RawConnection sub = new RawConnection(cairn.port()); Jedis watcher = new Jedis("127.0.0.1", cairn.port())) {
            j.configSet("notify-keyspace-events", "KEA");
            sub.call("SUBSCRIBE", "__keyevent@0__:restore", "__keyevent@0__:del");
            sub.readReply();
            watcher.watch("dst");
            j.restore(b("dst"), 0, payload);
            assertEquals("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:restore\r\n$3\r\ndst\r\n", sub.readReply());
            Transaction t = watcher.multi();
            t.get("dst");
            assertNull(t.exec());
            // REPLACE with a TTL already past: the old key goes ("del"), nothing is created.
            j.set("old", "x");
            assertEquals("OK", j.restore(b("old"), 1, payload, redis.clients.jedis.params.RestoreParams.restoreParams()
                    .replace().absTtl()));
            assertFalse(j.exists("old"));
            assertEquals("*3\r\n$7\r\nmessage\r\n$18\r\n__keyevent@0__:del\r\n$3\r\nold\r\n", sub.readReply());
        } finally {
            j.configSet("notify-keyspace-events", "");
        }
    }

    @Test
    void restoreOptionsSetTtlAndIdleTime() {
        Jedis j = cairn.jedis();
        j.hset("src", "f", "v");
        byte[] payload = j.dump("src");
        j.restore(b("ttl"), 5000, payload);
        long pttl = j.pttl("ttl");
        assertTrue(pttl > 0 && pttl <= 5000, Long.toString(pttl));
        long at = System.currentTimeMillis() + 100_000;
        j.restore(b("abs"), at, payload, redis.clients.jedis.params.RestoreParams.restoreParams().absTtl());
        assertEquals(at, j.pexpireTime("abs"));
        j.restore(b("idle"), 0, payload, redis.clients.jedis.params.RestoreParams.restoreParams().idleTime(1000));
        assertTrue(j.objectIdletime("idle") >= 1000);
        assertEquals("v", j.hget("idle", "f"));
        assertNull(j.dump("missing"));
    }

    /** A 7.0.15 payload taken from redis-server: restoring it needs nothing but the bytes. */
    @Test
    void payloadsMatchRedisByteForByte() {
        try (RealRedis real = RealRedis.start(); Jedis redis = new Jedis("127.0.0.1", real.port())) {
            Jedis j = cairn.jedis();
            for (String value : new String[] {"1", "-129", "70000", "hello", "x".repeat(100)}) {
                redis.set("k", value);
                j.set("k", value);
                assertEquals(java.util.HexFormat.of().formatHex(redis.dump("k")), java.util.HexFormat.of().formatHex(j.dump("k")));
            }
        }
    }
}
