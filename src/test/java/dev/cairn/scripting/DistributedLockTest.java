package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.params.SetParams;

/**
 * The classic single-instance lock of the seed notes: acquire with {@code SET lock token NX
 * EX 10}, release with a Lua compare-and-delete so that only the holder's token frees it.
 * Many threads contend for it and update a key with a non-atomic GET then SET inside the
 * critical section: no update may be lost.
 */
class DistributedLockTest {
    private static final String RELEASE =
            "if redis.call('get',KEYS[1]) == ARGV[1] then return redis.call('del',KEYS[1]) else return 0 end";
    private static final int THREADS = 16;
    private static final int ACQUISITIONS_PER_THREAD = 200;

    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = cairn.jedis();

    private static boolean acquire(Jedis jedis, String token) {
        return "OK".equals(jedis.set("lock", token, SetParams.setParams().nx().ex(10)));
    }

    private static Object release(Jedis jedis, String token) {
        return jedis.eval(RELEASE, List.of("lock"), List.of(token));
    }

    @Test
    void contendingThreadsNeverShareTheCriticalSection() throws Exception {
        JedisPoolConfig poolConfig = new JedisPoolConfig();
        poolConfig.setMaxTotal(THREADS);
        String releaseSha = jedis.scriptLoad(RELEASE);
        AtomicInteger inside = new AtomicInteger();
        AtomicLong acquisitions = new AtomicLong();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        try (JedisPool pool = new JedisPool(poolConfig, "127.0.0.1", cairn.port())) {
            for (int t = 0; t < THREADS; t++) {
                boolean bySha = t % 2 == 0;  // half release through EVALSHA, half through EVAL
                threads.add(Thread.ofPlatform().start(() -> {
                    try (Jedis client = pool.getResource()) {
                        start.await();
                        for (int i = 0; i < ACQUISITIONS_PER_THREAD; i++) {
                            String token = UUID.randomUUID().toString();
                            while (!acquire(client, token)) Thread.yield();
                            if (inside.incrementAndGet() != 1) problems.add("two holders at once");
                            acquisitions.incrementAndGet();
                            // The unprotected read-modify-write the lock must serialize.
                            String counter = client.get("counter");
                            client.set("counter", Long.toString(counter == null ? 1 : Long.parseLong(counter) + 1));
                            inside.decrementAndGet();
                            Object released = bySha
                                    ? client.evalsha(releaseSha, List.of("lock"), List.of(token))
                                    : release(client, token);
                            if (!Long.valueOf(1).equals(released)) problems.add("release replied " + released);
                        }
                    } catch (Exception e) {
                        problems.add(e.toString());
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) thread.join(120_000);
        }
        assertEquals(List.of(), List.copyOf(problems));
        assertEquals(THREADS * ACQUISITIONS_PER_THREAD, acquisitions.get());
        assertEquals(Long.toString(acquisitions.get()), jedis.get("counter"));
        assertTrue(!jedis.exists("lock"), "the lock is left free");
    }

    @Test
    void aHeldLockRefusesASecondAcquirerAndExpires() {
        assertTrue(acquire(jedis, "A"));
        long ttl = jedis.ttl("lock");
        assertTrue(ttl > 0 && ttl <= 10, "ttl " + ttl);
        assertNull(jedis.set("lock", "B", SetParams.setParams().nx().ex(10)));
        assertEquals("A", jedis.get("lock"));
    }

    @Test
    void aWrongTokenDoesNotReleaseTheLock() {
        assertTrue(acquire(jedis, "A"));
        assertEquals(0L, release(jedis, "B"));
        assertEquals("A", jedis.get("lock"));
        assertEquals(0L, release(jedis, ""));
        assertEquals("A", jedis.get("lock"));
        assertEquals(1L, release(jedis, "A"));
        assertTrue(!jedis.exists("lock"));
        assertEquals(0L, release(jedis, "A"), "releasing a free lock");
    }

    /** A holder whose lease ran out must not free the lock someone else took since. */
    @Test
    void aLateReleaseLeavesTheNextHoldersLock() {
        assertEquals("OK", jedis.set("lock", "old", SetParams.setParams().nx().px(50)));
        Eventually.until("the old lease to run out", () -> !jedis.exists("lock"));
        assertTrue(acquire(jedis, "new"));
        assertEquals(0L, release(jedis, "old"));
        assertEquals("new", jedis.get("lock"));
    }

    private static String sha1Hex(String script) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(script.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theLockProtocolRepliesAsRedisDoes() throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer server = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(server.port())) {
            String[][] session = {
                {"SET", "lock", "A", "NX", "EX", "10"},
                {"SET", "lock", "B", "NX", "EX", "10"},
                {"EVAL", RELEASE, "1", "lock", "B"},
                {"GET", "lock"},
                {"SCRIPT", "LOAD", RELEASE},
                {"EVALSHA", "0000000000000000000000000000000000000000", "1", "lock", "A"},
                {"EVALSHA", sha1Hex(RELEASE), "1", "lock", "C"},
                {"EVALSHA", sha1Hex(RELEASE), "1", "lock", "A"},
                {"EXISTS", "lock"},
                {"EVAL", RELEASE, "1", "lock", "A"},
                {"SET", "lock", "C", "NX", "EX", "0"},
                {"SET", "lock", "C", "NX", "EX", "-1"},
            };
            for (String[] command : session) {
                assertEquals(expected.call(command), actual.call(command), String.join(" ", command));
            }
        }
    }
}
