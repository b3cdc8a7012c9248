package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The multi-part AOF of Redis 7.0: the files created at start, BGREWRITEAOF (new base,
 * new incremental file, sequence numbers, old files deleted), loading at restart, and
 * turning the AOF on at run time without losing a key.
 */
class AofRewriteTest {
    @TempDir
    Path dir;

    private TestServer start(String... more) {
        List<String> options = new java.util.ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes", "--save", "", "--aof-use-rdb-preamble", "no"));
        options.addAll(List.of(more));
        return TestServer.start(options.toArray(new String[0]));
    }

    @Test
    void seedSessionRewriteMovesTheDataIntoANewBase() throws Exception {
        AofDirectory aof = AofDirectory.in(dir);
        try (TestServer server = start();
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals(List.of("file appendonly.aof.1.base.aof seq 1 type b",
                    "file appendonly.aof.1.incr.aof seq 1 type i"), aof.manifest());
            for (int i = 0; i < 5; i++) jedis.set("k1", "v" + i);
            jedis.ping();
            assertEquals(List.of("SELECT 0", "SET k1 v0", "SET k1 v1", "SET k1 v2", "SET k1 v3", "SET k1 v4"),
                    aof.incrCommands());
            long baseBefore = Files.size(aof.base());
            assertEquals("Background append only file rewriting started", jedis.bgrewriteaof());
            awaitRewrite(jedis);
            assertEquals(List.of("file appendonly.aof.2.base.aof seq 2 type b",
                    "file appendonly.aof.2.incr.aof seq 2 type i"), aof.manifest());
            assertTrue(Files.size(aof.base()) > baseBefore);
            assertEquals(0, Files.size(aof.incr()));
            assertEquals(List.of("SELECT 0", "SET k1 v4"), AofDirectory.commands(Files.readAllBytes(aof.base())));
            // The replaced files are gone.
            assertFalse(Files.exists(aof.dir().resolve("appendonly.aof.1.incr.aof")));
            assertFalse(Files.exists(aof.dir().resolve("appendonly.aof.1.base.aof")));
            String info = jedis.info("persistence");
            assertTrue(info.contains("aof_enabled:1\r\n"), info);
            assertTrue(info.contains("aof_rewrites:1\r\n"), info);
        }
    }

    /**
     * The seed session (issue 5): with the defaults (RDB preamble) the directory holds an
     * RDB base, an incremental file of the commands and the manifest; after several
     * overwrites of k1, BGREWRITEAOF leaves a bigger base, an empty incremental file, and
     * sequence number 2.
     */
    @Test
    void seedSessionWithTheDefaultRdbPreamble() throws Exception {
        AofDirectory aof = AofDirectory.in(dir);
        try (TestServer server = start("--aof-use-rdb-preamble", "yes");
                RawConnection raw = new RawConnection(server.port())) {
            assertEquals(List.of("file appendonly.aof.1.base.rdb seq 1 type b",
                    "file appendonly.aof.1.incr.aof seq 1 type i"), aof.manifest());
            assertEquals(88, Files.size(aof.manifestFile()));
            assertEquals(0, Files.size(aof.incr()));
            raw.call("set", "k1", "abc");
            assertEquals("*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$2\r\nk1\r\n$3\r\nabc\r\n",
                    Files.readString(aof.incr()));
            for (String v : new String[] {"b", "c", "b", "c"}) raw.call("set", "k1", v);
            assertEquals(165, Files.size(aof.incr()));
            long baseBefore = Files.size(aof.base());
            assertTrue(new String(Files.readAllBytes(aof.base()), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .startsWith("REDIS0010"));
            assertEquals("+Background append only file rewriting started\r\n", raw.call("BGREWRITEAOF"));
            Eventually.until("the rewrite ends", () -> {
                try {
                    return raw.call("INFO", "persistence").contains("aof_rewrite_in_progress:0");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals(List.of("file appendonly.aof.2.base.rdb seq 2 type b",
                    "file appendonly.aof.2.incr.aof seq 2 type i"), aof.manifest());
            assertEquals(88, Files.size(aof.manifestFile()));
            assertTrue(Files.size(aof.base()) > baseBefore);
            assertEquals(0, Files.size(aof.incr()));
            assertEquals(List.of("appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"),
                    Files.list(aof.dir()).map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("c", jedis.get("k1"));
        }
    }

    /** A dataset of every type in two databases, with TTLs; the digest of it. */
    static String fill(Jedis jedis, int port) throws Exception {
        jedis.set("s", "1");
        jedis.rpush("l", "a", "b", "c");
        jedis.sadd("set", "x", "y", "1", "2");
        jedis.sadd("ints", "1", "2", "3");
        jedis.zadd("z", 1.5, "m");
        jedis.zadd("z", Double.POSITIVE_INFINITY, "n");
        jedis.hset("h", "f", "v");
        for (int i = 0; i < 200; i++) jedis.rpush("long", "item" + i);
        jedis.set("ttl", "v", redis.clients.jedis.params.SetParams.setParams().ex(1000));
        jedis.select(3);
        jedis.set("db3", "x");
        jedis.select(0);
        return digest(port);
    }

    static void awaitRewrite(Jedis jedis) {
        Eventually.until("the AOF rewrite ends", () -> jedis.info("persistence").contains("aof_rewrite_in_progress:0"));
    }

    static String digest(int port) throws Exception {
        try (RawConnection raw = new RawConnection(port)) {
            return raw.call("DEBUG", "DIGEST");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yes", "no"})
    void restartLoadsBaseAndIncrementalFiles(String preamble) throws Exception {
        String digest;
        try (TestServer server = start("--aof-use-rdb-preamble", preamble);
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            fill(jedis, server.port());
            jedis.functionLoad("#!lua name=lib\nredis.register_function('answer', function() return 42 end)");
            jedis.bgrewriteaof();
            jedis.incr("counter");
            awaitRewrite(jedis);
            jedis.lpush("l", "first");
            jedis.expire("s", 5000);
            digest = digest(server.port());
        }
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals(digest, digest(server.port()));
            assertTrue(jedis.ttl("s") > 4000);
            assertEquals(42L, jedis.fcall("answer", List.of(), List.of()));
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yes", "no"})
    void writesDuringARewriteAndAShutdownThatStopsItAreKept(String preamble) throws Exception {
        String digest;
        try (TestServer server = start("--aof-use-rdb-preamble", preamble);
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 20_000; i++) jedis.set("k" + i, "v" + i);
            assertEquals("Background append only file rewriting started", jedis.bgrewriteaof());
            // While the snapshot is written, and before it ends (the shutdown stops it).
            for (int i = 0; i < 100; i++) jedis.set("k" + i, "changed");
            jedis.incr("during");
            digest = digest(server.port());
        }
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals(digest, digest(server.port()));
            assertEquals("1", jedis.get("during"));
            assertTrue(jedis.info("persistence").contains("aof_last_bgrewrite_status:ok"));
        }
    }

    /** As redis-server: with the AOF off a rewrite writes a base alone; turning it on adds incremental file 1. */
    @Test
    void rewritesWhileTheAofIsOff() throws Exception {
        AofDirectory aof = AofDirectory.in(dir);
        try (TestServer server = TestServer.start("--dir", dir.toString(), "--save", "");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("a", "1");
            assertEquals("Background append only file rewriting started", jedis.bgrewriteaof());
            awaitRewrite(jedis);
            assertEquals(List.of("file appendonly.aof.1.base.rdb seq 1 type b"), aof.manifest());
            jedis.bgrewriteaof();
            awaitRewrite(jedis);
            assertEquals(List.of("file appendonly.aof.2.base.rdb seq 2 type b"), aof.manifest());
            jedis.configSet("appendonly", "yes");
            awaitRewrite(jedis);
            assertEquals(List.of("file appendonly.aof.3.base.rdb seq 3 type b",
                    "file appendonly.aof.1.incr.aof seq 1 type i"), aof.manifest());
            assertEquals(List.of("appendonly.aof.1.incr.aof", "appendonly.aof.3.base.rdb", "appendonly.aof.manifest"),
                    Files.list(aof.dir()).map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    /** In a transaction the rewrite waits for the EXEC to end, so no write is in the base and the new file both. */
    @Test
    void rewriteInATransactionIsScheduled() throws Exception {
        try (TestServer server = start(); RawConnection raw = new RawConnection(server.port())) {
            raw.call("MULTI");
            raw.call("INCR", "n");
            raw.call("BGREWRITEAOF");
            raw.call("INCR", "n");
            assertEquals("*3\r\n:1\r\n+Background append only file rewriting scheduled\r\n:2\r\n", raw.call("EXEC"));
            Eventually.until("the scheduled rewrite ran", () -> {
                try {
                    return raw.call("INFO", "persistence").contains("aof_rewrites:1\r\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("2", jedis.get("n"));
        }
    }

    /** With no-appendfsync-on-rewrite, appendfsync always does not hold replies while a rewrite runs. */
    @Test
    void noAppendfsyncOnRewrite() throws Exception {
        try (TestServer server = start("--appendfsync", "always", "--no-appendfsync-on-rewrite", "yes",
                "--enable-debug-command", "yes");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.sendCommand(() -> redis.clients.jedis.util.SafeEncoder.encode("DEBUG"),
                    redis.clients.jedis.util.SafeEncoder.encode("POPULATE"),
                    redis.clients.jedis.util.SafeEncoder.encode("200000"));
            jedis.bgrewriteaof();
            for (int i = 0; i < 100; i++) assertEquals("OK", jedis.set("during" + i, "v"));
            awaitRewrite(jedis);
            assertEquals("OK", jedis.set("after", "v"));
        }
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("v", jedis.get("during99"));
            assertEquals(200_101, jedis.dbSize());
        }
    }

    @Test
    void automaticRewriteAfterGrowth() throws Exception {
        try (TestServer server = start("--auto-aof-rewrite-min-size", "4096", "--auto-aof-rewrite-percentage", "100");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 200; i++) jedis.set("key" + i, "value" + i);
            Eventually.until("an automatic rewrite", () -> jedis.info("persistence").contains("aof_rewrites:1\r\n"));
            awaitRewrite(jedis);
            assertEquals(List.of("file appendonly.aof.2.base.aof seq 2 type b",
                    "file appendonly.aof.2.incr.aof seq 2 type i"), AofDirectory.in(dir).manifest());
            // The base is now the reference: no new rewrite until the AOF doubles again.
            jedis.set("one", "more");
            assertTrue(jedis.info("persistence").contains("aof_rewrites:1\r\n"));
        }
    }

    @Test
    void turningTheAofOnAtRunTimeKeepsEveryKey() throws Exception {
        String digest;
        try (TestServer server = TestServer.start("--dir", dir.toString(), "--enable-debug-command", "yes", "--save",
                "", "--aof-use-rdb-preamble", "no");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            fill(jedis, server.port());
            assertFalse(Files.exists(AofDirectory.in(dir).dir()));
            assertEquals("OK", jedis.configSet("appendonly", "yes"));
            jedis.set("after", "1");
            awaitRewrite(jedis);
            jedis.set("after2", "1");
            digest = digest(server.port());
            assertEquals(List.of("file appendonly.aof.1.base.aof seq 1 type b",
                    "file appendonly.aof.1.incr.aof seq 1 type i"), AofDirectory.in(dir).manifest());
        }
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals(digest, digest(server.port()));
            assertEquals("1", jedis.get("after"));
        }
    }
}
