package dev.cairn.keys;

import static dev.cairn.testing.ClientErrors.jedisError;
import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.ExpireArgs;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.ExpiryOption;
import redis.clients.jedis.params.SetParams;

/** EXPIRE and friends, TTL and friends, PERSIST, and both halves of expiry (lazy and active). */
class ExpireCommandsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();
    private final RedisCommands<String, String> lettuce = server.lettuce();

    @AfterEach
    void restoreActiveExpiry() {
        setActiveExpiry(true);
    }

    private static void setActiveExpiry(boolean on) {
        server.onCommandThread(() -> {
            server.server().activeExpiry().enabled(on);
            return null;
        });
    }

    private static long expiredKeys() {
        return server.onCommandThread(() -> server.server().stats().expiredKeys);
    }

    // ---- setting TTLs ------------------------------------------------------------------------

    @Test
    void expireAndTtlInSecondsAndMilliseconds() {
        jedis.set("k", "v");
        assertEquals(-1, jedis.ttl("k"));
        assertEquals(-1, jedis.pttl("k"));
        assertEquals(-2, jedis.ttl("missing"));
        assertEquals(-2, jedis.pttl("missing"));
        assertEquals(1, jedis.expire("k", 100));
        long ttl = jedis.ttl("k");
        assertTrue(ttl == 100 || ttl == 99, "ttl " + ttl);
        long pttl = jedis.pttl("k");
        assertTrue(pttl > 98_000 && pttl <= 100_000, "pttl " + pttl);
        assertEquals(1, jedis.pexpire("k", 50_000));
        assertTrue(jedis.pttl("k") <= 50_000);
        assertEquals(0, jedis.expire("missing", 100));

        lettuce.set("l", "v");
        assertTrue(lettuce.expire("l", 100));
        assertTrue(lettuce.ttl("l") >= 99);
        assertTrue(lettuce.pexpire("l", 100_000));
        assertTrue(lettuce.pttl("l") > 98_000);
        assertFalse(lettuce.expire("missing", 10));
        assertEquals(-2L, lettuce.ttl("missing"));
    }

    @Test
    void expireAtAndExpireTime() {
        long at = System.currentTimeMillis() / 1000 + 1000;
        jedis.set("k", "v");
        assertEquals(-1, jedis.expireTime("k"));
        assertEquals(-2, jedis.expireTime("missing"));
        assertEquals(1, jedis.expireAt("k", at));
        assertEquals(at, jedis.expireTime("k"));
        assertEquals(at * 1000, jedis.pexpireTime("k"));
        assertEquals(1, jedis.pexpireAt("k", at * 1000 + 400));
        assertEquals(at, jedis.expireTime("k"), "rounded to the nearest second");
        assertEquals(1, jedis.pexpireAt("k", at * 1000 + 500));
        assertEquals(at + 1, jedis.expireTime("k"));

        lettuce.set("l", "v");
        assertTrue(lettuce.expireat("l", at));
        assertEquals(at, lettuce.expiretime("l"));
        assertTrue(lettuce.pexpireat("l", at * 1000 + 7));
        assertEquals(at * 1000 + 7, lettuce.pexpiretime("l"));
        assertEquals(-2L, lettuce.expiretime("missing"));
        assertEquals(-2L, lettuce.pexpiretime("missing"));
    }

    @Test
    void conditionsNxXxGtLt() {
        jedis.set("k", "v");
        assertEquals(0, jedis.expire("k", 100, ExpiryOption.XX), "XX needs a TTL");
        assertEquals(0, jedis.expire("k", 100, ExpiryOption.GT), "no TTL is an infinite one: never smaller");
        assertEquals(1, jedis.expire("k", 100, ExpiryOption.LT), "anything is less than infinite");
        assertEquals(0, jedis.expire("k", 200, ExpiryOption.NX));
        assertEquals(1, jedis.expire("k", 200, ExpiryOption.GT));
        assertEquals(0, jedis.expire("k", 150, ExpiryOption.GT));
        assertEquals(0, jedis.expire("k", 300, ExpiryOption.LT));
        assertEquals(1, jedis.expire("k", 50, ExpiryOption.LT));
        assertEquals(1, jedis.expire("k", 60, ExpiryOption.XX));
        jedis.persist("k");
        assertEquals(1, jedis.expire("k", 60, ExpiryOption.NX));

        lettuce.set("l", "v");
        assertFalse(lettuce.expire("l", 100, ExpireArgs.Builder.xx()));
        assertTrue(lettuce.expire("l", 100, ExpireArgs.Builder.nx()));
        assertFalse(lettuce.expire("l", 100, ExpireArgs.Builder.nx()));
        assertTrue(lettuce.pexpire("l", 200_000, ExpireArgs.Builder.gt()));
        assertTrue(lettuce.pexpire("l", 10_000, ExpireArgs.Builder.lt()));
    }

    @Test
    void optionAndRangeErrors() {
        jedis.set("k", "v");
        String nxConflict = "ERR NX and XX, GT or LT options at the same time are not compatible";
        String gtLt = "ERR GT and LT options at the same time are not compatible";
        assertEquals(nxConflict, jedisError(() -> jedis.sendCommand(Cmd.EXPIRE, "k", "10", "nx", "xx")));
        assertEquals(nxConflict, jedisError(() -> jedis.sendCommand(Cmd.EXPIRE, "k", "10", "NX", "GT")));
        assertEquals(gtLt, jedisError(() -> jedis.sendCommand(Cmd.PEXPIRE, "k", "10", "gt", "lt")));
        assertEquals("ERR Unsupported option foo", jedisError(() -> jedis.sendCommand(Cmd.EXPIRE, "k", "10", "foo")));
        assertEquals("ERR value is not an integer or out of range", jedisError(() -> jedis.sendCommand(Cmd.EXPIRE, "k", "ten")));
        assertEquals("ERR invalid expire time in 'expire' command",
                jedisError(() -> jedis.expire("k", Long.MAX_VALUE)));
        assertEquals("ERR invalid expire time in 'pexpire' command",
                jedisError(() -> jedis.pexpire("k", Long.MAX_VALUE)));
        assertEquals("ERR invalid expire time in 'expireat' command",
                jedisError(() -> jedis.expireAt("k", Long.MAX_VALUE)));
        assertEquals(1, jedis.pexpireAt("k", Long.MAX_VALUE), "the largest absolute time is fine");
        assertEquals(Long.MAX_VALUE, jedis.pexpireTime("k"));
        assertEquals(9223372036854776L, jedis.expireTime("k"));
        assertEquals("ERR invalid expire time in 'expire' command",
                lettuceError(() -> lettuce.expire("k", Long.MAX_VALUE)));
        assertEquals("ERR invalid expire time in 'pexpire' command",
                lettuceError(() -> lettuce.pexpire("k", Long.MAX_VALUE)));
    }

    @Test
    void aTimeInThePastDeletesTheKey() {
        jedis.set("a", "1");
        assertEquals(1, jedis.expire("a", -1));
        assertFalse(jedis.exists("a"));
        jedis.set("b", "1");
        assertEquals(1, jedis.expireAt("b", 1));
        assertFalse(jedis.exists("b"));
        jedis.set("c", "1");
        assertEquals(1, jedis.pexpire("c", 0));
        assertEquals(0, jedis.dbSize());
        lettuce.set("d", "1");
        assertTrue(lettuce.pexpireat("d", 1000));
        assertEquals(0L, lettuce.exists("d"));
    }

    @Test
    void persistRemovesTheTtl() {
        jedis.set("k", "v", SetParams.setParams().ex(100));
        assertEquals(1, jedis.persist("k"));
        assertEquals(-1, jedis.ttl("k"));
        assertEquals(0, jedis.persist("k"));
        assertEquals(0, jedis.persist("missing"));
        lettuce.set("l", "v", io.lettuce.core.SetArgs.Builder.ex(100));
        assertTrue(lettuce.persist("l"));
        assertFalse(lettuce.persist("l"));
        assertEquals(-1L, lettuce.pttl("l"));
    }

    @Test
    void setOverwritesTheTtlButExpireChangesOnlyIt() {
        jedis.set("k", "v");
        jedis.expire("k", 100);
        jedis.set("k", "w");
        assertEquals(-1, jedis.ttl("k"));
        jedis.expire("k", 100);
        assertEquals("w", jedis.get("k"));
    }

    // ---- expiry ----------------------------------------------------------------------------

    @Test
    void expiredKeysDisappearOnAccessEvenWithoutActiveExpiry() throws Exception {
        setActiveExpiry(false);
        long before = expiredKeys();
        jedis.set("k", "v", SetParams.setParams().px(30));
        jedis.set("stay", "v");
        Thread.sleep(60);
        assertEquals(2, jedis.dbSize(), "not yet reclaimed: DBSIZE counts it, as Redis does");
        assertEquals(java.util.Set.of("stay"), jedis.keys("*"), "but KEYS hides it");
        assertNull(jedis.get("k"));
        assertEquals(1, jedis.dbSize());
        assertEquals(before + 1, expiredKeys());
    }

    @Test
    void scanSkipsAndReclaimsExpiredKeys() throws Exception {
        setActiveExpiry(false);
        for (int i = 0; i < 20; i++) jedis.set("gone" + i, "v", SetParams.setParams().px(20));
        jedis.set("stay", "v");
        Thread.sleep(50);
        assertEquals(21, jedis.dbSize());
        assertEquals(java.util.List.of("stay"), jedis.scan("0", new redis.clients.jedis.params.ScanParams().count(1000)).getResult());
        assertEquals(1, jedis.dbSize(), "SCAN deleted the expired keys it met");
    }

    @Test
    void activeExpiryReclaimsKeysNobodyTouches() throws Exception {
        long before = expiredKeys();
        for (int i = 0; i < 2000; i++) jedis.set("short:" + i, "v", SetParams.setParams().px(50));
        for (int i = 0; i < 10; i++) jedis.set("long:" + i, "v", SetParams.setParams().ex(1000));
        jedis.set("forever", "v");
        // DBSIZE does not look keys up, so only the active cycle can bring it down.
        Eventually.until("active expiry", () -> jedis.dbSize() == 11);
        assertEquals(11, jedis.keys("*").size());
        assertEquals(before + 2000, expiredKeys());
    }

    @Test
    void activeExpiryWorksInEveryDatabase() throws Exception {
        for (int db = 0; db < 3; db++) {
            jedis.select(db);
            for (int i = 0; i < 100; i++) jedis.set("k" + i, "v", SetParams.setParams().px(20));
        }
        Eventually.until("every database emptied", () -> {
            for (int db = 0; db < 3; db++) {
                jedis.select(db);
                if (jedis.dbSize() != 0) return false;
            }
            return true;
        });
    }

    /** Commands Jedis has no typed method for, or typed methods that would reject the arguments. */
    private enum Cmd implements redis.clients.jedis.commands.ProtocolCommand {
        EXPIRE, PEXPIRE;

        @Override
        public byte[] getRaw() {
            return name().getBytes();
        }
    }
}
