package dev.cairn.keys;

import static dev.cairn.testing.ClientErrors.jedisError;
import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.KeyScanArgs;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/** DEL, UNLINK, EXISTS, TYPE, KEYS, SCAN, RANDOMKEY, RENAME, RENAMENX, TOUCH and OBJECT through Jedis and Lettuce. */
class KeyCommandsTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();
    private final RedisCommands<String, String> lettuce = server.lettuce();

    // ---- DEL, UNLINK, EXISTS, TOUCH, TYPE -------------------------------------------------

    @Test
    void delAndUnlinkCountWhatExisted() {
        jedis.set("a", "1");
        jedis.set("b", "2");
        jedis.set("c", "3");
        assertEquals(2, jedis.del("a", "b", "a", "missing"));
        assertEquals(1, jedis.unlink("c", "c"));
        assertEquals(0, jedis.del("a"));
        assertEquals(0, jedis.dbSize());

        lettuce.set("x", "1");
        lettuce.set("y", "2");
        assertEquals(2L, lettuce.del("x", "y", "z"));
        lettuce.set("x", "1");
        assertEquals(1L, lettuce.unlink("x", "x"));
        assertEquals(0L, lettuce.unlink("x"));
        assertEquals("ERR wrong number of arguments for 'del' command",
                jedisError(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.DEL)));
    }

    @Test
    void existsCountsRepeatsAndTouchCountsLiveKeys() {
        jedis.set("a", "1");
        assertEquals(3, jedis.exists("a", "a", "missing", "a"));
        assertTrue(jedis.exists("a"));
        assertEquals(2, jedis.touch("a", "a", "missing"));
        assertEquals(2L, lettuce.exists("a", "a"));
        assertEquals(0L, lettuce.exists("missing"));
        assertEquals(1L, lettuce.touch("a", "missing"));
    }

    @Test
    void typeNamesTheValueOrNone() {
        jedis.set("s", "v");
        assertEquals("string", jedis.type("s"));
        assertEquals("none", jedis.type("missing"));
        assertEquals("string", lettuce.type("s"));
        assertEquals("none", lettuce.type("missing"));
    }

    @Test
    void typeIsAStatusReply() throws Exception {
        jedis.set("s", "v");
        try (RawConnection raw = new RawConnection(server.port())) {
            raw.command("type", "s");
            assertEquals("+string\r\n", raw.readLike("+string\r\n"));
            raw.command("type", "nope");
            assertEquals("+none\r\n", raw.readLike("+none\r\n"));
        }
    }

    // ---- KEYS, SCAN, RANDOMKEY ----------------------------------------------------------------

    @Test
    void keysMatchesGlobPatterns() {
        for (String k : List.of("hello", "hallo", "hxllo", "hllo", "heeeello", "a[b", "x*y")) jedis.set(k, "1");
        assertEquals(Set.of("hello", "hallo", "hxllo"), jedis.keys("h?llo"));
        assertEquals(Set.of("hello", "hallo", "hxllo", "hllo", "heeeello"), jedis.keys("h*llo"));
        assertEquals(Set.of("hello", "hallo"), jedis.keys("h[ae]llo"));
        assertEquals(Set.of("hallo", "hxllo"), jedis.keys("h[^e]llo"));
        assertEquals(Set.of("hallo"), jedis.keys("h[a-b]llo"));
        assertEquals(Set.of("a[b"), jedis.keys("a\\[b"));
        assertEquals(Set.of("x*y"), jedis.keys("x\\*y"));
        assertEquals(7, jedis.keys("*").size());
        assertEquals(Set.of("hello", "hallo", "hxllo"), new HashSet<>(lettuce.keys("h?llo")));
        assertEquals(List.of(), lettuce.keys("nothing*"));
    }

    @Test
    void scanWithJedisVisitsEveryKeyOnce() {
        for (int i = 0; i < 500; i++) jedis.set("key:" + i, "v");
        jedis.set("other", "v");
        Set<String> seen = new HashSet<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().match("key:*").count(20));
            seen.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(500, seen.size());

        Set<String> strings = new HashSet<>();
        cursor = "0";
        do {
            ScanResult<String> r = jedis.scan(cursor, new ScanParams().count(1000), "string");
            strings.addAll(r.getResult());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(501, strings.size());
        assertEquals(List.of(), jedis.scan("0", new ScanParams().count(1000), "list").getResult());
        assertEquals("ERR syntax error", jedisError(() -> jedis.scan("0", new ScanParams().count(0))));
        assertEquals("ERR invalid cursor", jedisError(() -> jedis.scan("abc")));
    }

    @Test
    void scanWithLettuceVisitsEveryKeyOnce() {
        for (int i = 0; i < 300; i++) lettuce.set("k" + i, "v");
        Set<String> seen = new HashSet<>();
        KeyScanCursor<String> c = lettuce.scan(ScanCursor.INITIAL, KeyScanArgs.Builder.limit(7).match("k1*"));
        seen.addAll(c.getKeys());
        while (!c.isFinished()) {
            c = lettuce.scan(c, KeyScanArgs.Builder.limit(7).match("k1*"));
            seen.addAll(c.getKeys());
        }
        assertEquals(111, seen.size()); // k1, k10-k19, k100-k199
        KeyScanCursor<String> typed = lettuce.scan(KeyScanArgs.Builder.limit(1000).type("STRING"));
        assertEquals(300, typed.getKeys().size());
        assertTrue(typed.isFinished());
        assertEquals("ERR syntax error", lettuceError(() -> lettuce.scan(KeyScanArgs.Builder.limit(-5))));
    }

    @Test
    void scanCursorIsABulkStringAndEmptyDatabaseEndsAtOnce() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            String expected = "*2\r\n$1\r\n0\r\n*0\r\n";
            raw.command("scan", "0");
            assertEquals(expected, raw.readLike(expected));
            raw.command("scan", "12345");
            assertEquals(expected, raw.readLike(expected));
        }
    }

    @Test
    void randomKeyReturnsALiveKeyOrNull() {
        assertNull(jedis.randomKey());
        assertNull(lettuce.randomkey());
        jedis.set("only", "1");
        assertEquals("only", jedis.randomKey());
        assertEquals("only", lettuce.randomkey());
        jedis.set("other", "1");
        assertTrue(Set.of("only", "other").contains(jedis.randomKey()));
    }

    // ---- RENAME, RENAMENX -------------------------------------------------------------------

    @Test
    void renameMovesValueAndTtl() {
        jedis.set("a", "va");
        jedis.expire("a", 100);
        assertEquals("OK", jedis.rename("a", "b"));
        assertEquals("va", jedis.get("b"));
        assertNull(jedis.get("a"));
        assertTrue(jedis.ttl("b") > 90);
        jedis.set("c", "vc");
        assertEquals("OK", jedis.rename("c", "b"));
        assertEquals("vc", jedis.get("b"));
        assertEquals(-1, jedis.ttl("b"), "the target's old TTL goes with its old value");
        assertEquals("OK", jedis.rename("b", "b"));
        assertEquals("ERR no such key", jedisError(() -> jedis.rename("missing", "x")));
        assertEquals("ERR no such key", jedisError(() -> jedis.rename("missing", "missing")));

        assertEquals("OK", lettuce.rename("b", "d"));
        assertEquals("vc", lettuce.get("d"));
        assertEquals("ERR no such key", lettuceError(() -> lettuce.rename("missing", "x")));
    }

    @Test
    void renamenxOnlyWhenTargetIsFree() {
        jedis.set("a", "1");
        jedis.set("b", "2");
        assertEquals(0, jedis.renamenx("a", "b"));
        assertEquals(0, jedis.renamenx("a", "a"));
        assertEquals(1, jedis.renamenx("a", "c"));
        assertEquals("1", jedis.get("c"));
        assertEquals("ERR no such key", jedisError(() -> jedis.renamenx("a", "z")));
        assertEquals(false, lettuce.renamenx("c", "b"));
        assertEquals(true, lettuce.renamenx("c", "e"));
        assertEquals("ERR no such key", lettuceError(() -> lettuce.renamenx("c", "z")));
    }

    // ---- OBJECT -----------------------------------------------------------------------------

    @Test
    void objectEncodingAndRefcount() {
        jedis.set("int", "42");
        jedis.set("bigint", "123456");
        jedis.set("emb", "hello");
        jedis.set("raw", "x".repeat(45));
        assertEquals("int", new String(jedis.objectEncoding("int".getBytes())));
        assertEquals("embstr", jedis.objectEncoding("emb"));
        assertEquals("raw", jedis.objectEncoding("raw"));
        assertNull(jedis.objectEncoding("missing"));
        assertEquals(Integer.MAX_VALUE, jedis.objectRefcount("int"));
        assertEquals(1, jedis.objectRefcount("bigint"));
        assertNull(jedis.objectRefcount("missing"));
        assertEquals("int", lettuce.objectEncoding("bigint"));
        assertNull(lettuce.objectEncoding("missing"));
        assertEquals(1L, lettuce.objectRefcount("emb"));
    }

    @Test
    void objectIdletimeFreqAndHelp() {
        jedis.set("k", "v");
        assertTrue(jedis.objectIdletime("k") <= 1);
        assertNull(jedis.objectIdletime("missing"));
        assertTrue(lettuce.objectIdletime("k") <= 1);
        String lfu = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
                + "when switching between policies at runtime LRU and LFU data will take some time to adjust.";
        assertEquals(lfu, jedisError(() -> jedis.objectFreq("k")));
        assertEquals(lfu, lettuceError(() -> lettuce.objectFreq("k")));
        assertNull(jedis.objectFreq("missing"));
        List<String> help = jedis.objectHelp();
        assertEquals("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.get(0));
        assertEquals("    Prints this help.", help.get(help.size() - 1));
        assertEquals(15, help.size());
        assertEquals("ERR unknown subcommand 'nope'. Try OBJECT HELP.",
                jedisError(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.OBJECT, "nope")));
    }

    @Test
    void objectDoesNotResetIdleTimeButReadsDo() throws Exception {
        jedis.set("k", "v");
        // Age the key's access clock by hand instead of waiting seconds.
        server.onCommandThread(() -> {
            var db = server.server().keyspace().db(0);
            var e = db.find("k".getBytes());
            java.lang.reflect.Field f = dev.cairn.keyspace.Entry.class.getDeclaredField("access");
            f.setAccessible(true);
            f.setInt(e, server.server().keyspace().clock().lruNow() - 100);
            return null;
        });
        assertTrue(jedis.objectIdletime("k") >= 100);
        jedis.exists("k");
        jedis.type("k");
        jedis.ttl("k");
        jedis.objectEncoding("k");
        assertTrue(jedis.objectIdletime("k") >= 100, "EXISTS, TYPE, TTL and OBJECT leave the access time");
        jedis.touch("k");
        assertTrue(jedis.objectIdletime("k") <= 1, "TOUCH updates it");
    }
}
