package dev.cairn.scripting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.ServerFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.RLock;
import org.redisson.api.RRateLimiter;
import org.redisson.api.RateType;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import redis.clients.jedis.Jedis;

/**
 * Redisson against Cairn: its lock (Lua scripts on a hash, with waiters woken through
 * pub/sub) and its rate limiter (Lua scripts on strings and sorted sets), as an application
 * would use them.
 */
class RedissonTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static RedissonClient redisson;
    private final Jedis jedis = cairn.jedis();

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer()
                .setAddress("redis://127.0.0.1:" + cairn.port())
                .setConnectionMinimumIdleSize(2)
                .setConnectionPoolSize(8)
                .setSubscriptionConnectionMinimumIdleSize(1);
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void disconnect() {
        if (redisson != null) redisson.shutdown();
    }

    /**
     * Nothing Redisson sent was answered with an error (an unknown command, a script
     * error...), but NOSCRIPT: Redisson tries EVALSHA first and falls back to EVAL.
     */
    @AfterEach
    void noErrorRepliesButNoScript() {
        List<String> errors = jedis.info("errorstats").lines()
                .filter(line -> line.startsWith("errorstat_") && !line.startsWith("errorstat_NOSCRIPT:"))
                .toList();
        assertEquals(List.of(), errors);
    }

    @Test
    void lockAndUnlockKeepTheOwnerInAHash() {
        RLock lock = redisson.getLock("order:42");
        lock.lock();
        try {
            assertTrue(lock.isLocked());
            assertTrue(lock.isHeldByCurrentThread());
            assertEquals("hash", jedis.type("order:42"));
            Map<String, String> owners = jedis.hgetAll("order:42");
            assertEquals(1, owners.size());
            assertEquals("1", owners.values().iterator().next());
            // Without a lease time the watchdog keeps a 30 s expiry on the key.
            long ttl = jedis.pttl("order:42");
            assertTrue(ttl > 0 && ttl <= 30_000, "pttl " + ttl);
        } finally {
            lock.unlock();
        }
        assertFalse(lock.isLocked());
        assertEquals(0, jedis.exists("order:42") ? 1 : 0);
    }

    @Test
    void tryLockWithALeaseTimeSetsTheExpiry() throws InterruptedException {
        RLock lock = redisson.getLock("lease");
        assertTrue(lock.tryLock(0, 10, TimeUnit.SECONDS));
        long ttl = jedis.pttl("lease");
        assertTrue(ttl > 0 && ttl <= 10_000, "pttl " + ttl);
        assertTrue(lock.remainTimeToLive() > 0);
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void aLeaseRunsOutAndFreesTheLock() throws Exception {
        RLock lock = redisson.getLock("short-lease");
        assertTrue(lock.tryLock(0, 200, TimeUnit.MILLISECONDS));
        Eventually.until("the lease to run out", () -> !jedis.exists("short-lease"));
        AtomicBoolean acquired = new AtomicBoolean();
        Thread other = Thread.ofPlatform().start(() -> {
            RLock same = redisson.getLock("short-lease");
            acquired.set(same.tryLock());
            if (acquired.get()) same.unlock();
        });
        other.join(30_000);
        assertTrue(acquired.get());
    }

    @Test
    void theLockIsReentrant() {
        RLock lock = redisson.getLock("reentrant");
        lock.lock();
        lock.lock();
        assertEquals(2, lock.getHoldCount());
        assertEquals("2", jedis.hgetAll("reentrant").values().iterator().next());
        lock.unlock();
        assertTrue(lock.isLocked());
        assertEquals(1, lock.getHoldCount());
        lock.unlock();
        assertFalse(lock.isLocked());
    }

    @Test
    void anotherThreadCannotTakeAHeldLock() throws Exception {
        RLock lock = redisson.getLock("held");
        lock.lock();
        AtomicBoolean acquired = new AtomicBoolean(true);
        Thread other = Thread.ofPlatform().start(() -> acquired.set(redisson.getLock("held").tryLock()));
        other.join(30_000);
        assertFalse(acquired.get());
        lock.unlock();
    }

    @Test
    void aWaiterIsWokenThroughPubSubWhenTheLockIsReleased() throws Exception {
        RLock lock = redisson.getLock("contended");
        lock.lock();
        CountDownLatch acquired = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            RLock same = redisson.getLock("contended");
            try {
                same.lock();
                acquired.countDown();
                same.unlock();
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        // The waiter subscribes to the lock's channel before it waits.
        Eventually.until("the waiter to subscribe to the lock's channel",
                () -> !jedis.pubsubChannels("redisson_lock__channel*").isEmpty());
        assertEquals(1, acquired.getCount(), "the waiter took a held lock");
        assertTrue(lock.isLocked());
        // The key keeps its 30 s watchdog expiry, so only the release message can wake the
        // waiter before then.
        lock.unlock();
        assertTrue(acquired.await(20, TimeUnit.SECONDS), "the waiter was not woken");
        waiter.join(30_000);
        assertEquals(null, failure.get());
        Eventually.until("the lock to be free", () -> !jedis.exists("contended"));
    }

    @Test
    void aRateLimiterGivesOutItsPermitsPerInterval() {
        RRateLimiter limiter = redisson.getRateLimiter("api");
        assertTrue(limiter.trySetRate(RateType.OVERALL, 5, Duration.ofMinutes(10)));
        assertFalse(limiter.trySetRate(RateType.OVERALL, 7, Duration.ofMinutes(10)), "the rate is already set");
        assertEquals(5, limiter.getConfig().getRate());
        assertEquals(5, limiter.availablePermits());

        int granted = 0;
        for (int i = 0; i < 8; i++) {
            if (limiter.tryAcquire()) granted++;
        }
        assertEquals(5, granted);
        assertEquals(0, limiter.availablePermits());
        assertFalse(limiter.tryAcquire());
    }

    @Test
    void aRateLimiterCountsPermitsTakenSeveralAtATime() {
        RRateLimiter limiter = redisson.getRateLimiter("bulk");
        assertTrue(limiter.trySetRate(RateType.OVERALL, 10, Duration.ofMinutes(10)));
        assertTrue(limiter.tryAcquire(4));
        assertTrue(limiter.tryAcquire(4));
        assertEquals(2, limiter.availablePermits());
        assertFalse(limiter.tryAcquire(3));
        assertTrue(limiter.tryAcquire(2));
        assertFalse(limiter.tryAcquire(1));
    }

    @Test
    void aPerClientRateLimiterCountsEachClientApart() {
        RRateLimiter limiter = redisson.getRateLimiter("per-client");
        assertTrue(limiter.trySetRate(RateType.PER_CLIENT, 3, Duration.ofMinutes(10)));
        int granted = 0;
        for (int i = 0; i < 5; i++) {
            if (limiter.tryAcquire()) granted++;
        }
        assertEquals(3, granted);
    }
}
