package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The AOF's directives (CONFIG GET/SET as redis-server), INFO persistence's aof_* fields,
 * BGREWRITEAOF's replies (already in progress, scheduled behind a BGSAVE) and DEBUG
 * LOADAOF.
 */
class AofCommandsTest {
    @TempDir
    Path cairnDir;
    @TempDir
    Path redisDir;

    private static final List<String> DIRECTIVES = List.of("appendonly", "appendfilename", "appenddirname",
            "appendfsync", "no-appendfsync-on-rewrite", "aof-load-truncated", "aof-use-rdb-preamble",
            "aof-timestamp-enabled", "auto-aof-rewrite-percentage", "auto-aof-rewrite-min-size",
            "aof-rewrite-incremental-fsync");

    @Test
    void directivesAsRedis() throws Exception {
        try (TestServer server = TestServer.start("--dir", cairnDir.toString());
                RealRedis real = RealRedis.start("--dir", redisDir.toString());
                RawConnection c = new RawConnection(server.port());
                RawConnection r = new RawConnection(real.port())) {
            for (String d : DIRECTIVES) assertEquals(r.call("CONFIG", "GET", d), c.call("CONFIG", "GET", d), d);
            String[][] sets = {{"appendfsync", "always"}, {"appendfsync", "sometimes"}, {"appendfilename", "x.aof"},
                {"appenddirname", "d"}, {"auto-aof-rewrite-min-size", "1mb"}, {"auto-aof-rewrite-percentage", "-1"},
                {"aof-timestamp-enabled", "yes"}, {"no-appendfsync-on-rewrite", "maybe"}};
            for (String[] s : sets) {
                assertEquals(r.call("CONFIG", "SET", s[0], s[1]), c.call("CONFIG", "SET", s[0], s[1]), s[0]);
                assertEquals(r.call("CONFIG", "GET", s[0]), c.call("CONFIG", "GET", s[0]), s[0]);
            }
        }
    }

    @Test
    void infoBgrewriteaofAndLoadaof() throws Exception {
        try (TestServer server = TestServer.start("--dir", cairnDir.toString(), "--save", "",
                "--enable-debug-command", "yes", "--aof-use-rdb-preamble", "no");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            String info = jedis.info("persistence");
            assertTrue(info.contains("aof_enabled:0\r\naof_rewrite_in_progress:0\r\naof_rewrite_scheduled:0\r\n"
                    + "aof_last_rewrite_time_sec:-1\r\naof_current_rewrite_time_sec:-1\r\naof_last_bgrewrite_status:ok\r\n"
                    + "aof_rewrites:0\r\naof_rewrites_consecutive_failures:0\r\naof_last_write_status:ok\r\n"
                    + "aof_last_cow_size:0\r\nmodule_fork_in_progress:0\r\nmodule_fork_last_cow_size:0\r\n"), info);
            jedis.configSet("appendonly", "yes");
            AofRewriteTest.awaitRewrite(jedis);
            for (int i = 0; i < 100; i++) jedis.set("key" + i, "value" + i);
            info = jedis.info("persistence");
            assertTrue(info.contains("aof_enabled:1\r\n"), info);
            assertTrue(info.contains("aof_rewrites:1\r\n"), info);
            assertTrue(info.matches("(?s).*aof_current_size:\\d+\r\naof_base_size:\\d+\r\naof_pending_rewrite:0\r\n"
                    + "aof_buffer_length:0\r\naof_pending_bio_fsync:\\d\r\naof_delayed_fsync:0\r\n.*"), info);
            // A rewrite waits for a BGSAVE to end.
            for (int i = 0; i < 20_000; i++) jedis.set("bulk" + i, "v");
            jedis.bgsave();
            String reply = jedis.bgrewriteaof();
            if (reply.endsWith("scheduled")) {
                assertEquals("Background append only file rewriting scheduled", reply);
            }
            Eventually.until("the rewrite ran", () -> jedis.info("persistence").contains("aof_rewrites:2\r\n"));
            // DEBUG LOADAOF: the dataset as the files hold it.
            jedis.set("key0", "changed");
            String digest = AofRewriteTest.digest(server.port());
            jedis.configSet("appendonly", "no");
            jedis.set("key0", "not in the AOF");
            jedis.set("extra", "x");
            try (RawConnection raw = new RawConnection(server.port())) {
                assertEquals("+OK\r\n", raw.call("DEBUG", "LOADAOF"));
            }
            assertEquals("changed", jedis.get("key0"));
            assertEquals(null, jedis.get("extra"));
            assertEquals(digest, AofRewriteTest.digest(server.port()));
            // With the AOF on, DEBUG LOADAOF writes nothing to it.
            jedis.configSet("appendonly", "yes");
            AofRewriteTest.awaitRewrite(jedis);
            jedis.set("last", "1");
            try (RawConnection raw = new RawConnection(server.port())) {
                assertEquals("+OK\r\n", raw.call("DEBUG", "LOADAOF"));
            }
            assertEquals("1", jedis.get("last"));
            assertEquals(List.of("SELECT 0", "SET last 1"), AofDirectory.in(cairnDir).incrCommands());
        }
    }

    @Test
    void shutdownIsRefusedWhileTheFirstAofIsWritten() throws Exception {
        try (TestServer server = TestServer.start("--dir", cairnDir.toString(), "--save", "",
                "--enable-debug-command", "yes", "--logfile", cairnDir.resolve("log").toString());
                RawConnection raw = new RawConnection(server.port())) {
            assertEquals("+OK\r\n", raw.call("DEBUG", "POPULATE", "300000"));
            raw.send(RawConnection.request("CONFIG", "SET", "appendonly", "yes") + RawConnection.request("SHUTDOWN"));
            assertEquals("+OK\r\n", raw.readReply());
            assertEquals("-ERR Errors trying to SHUTDOWN. Check logs.\r\n", raw.readReply());
            String log = java.nio.file.Files.readString(cairnDir.resolve("log"));
            assertTrue(log.contains("# Writing initial AOF, can't exit."), log);
            Eventually.until("the first AOF is written", () -> {
                try {
                    return raw.call("INFO", "persistence").contains("aof_rewrite_in_progress:0");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void evictedKeysArePropagatedAsDeletions() throws Exception {
        try (TestServer server = TestServer.start("--dir", cairnDir.toString(), "--save", "", "--appendonly", "yes",
                "--aof-use-rdb-preamble", "no", "--maxmemory-policy", "allkeys-random");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            String value = "x".repeat(1000);
            for (int i = 0; i < 2000; i++) jedis.set("key" + i, value);
            long used = Long.parseLong(jedis.info("memory").replaceAll("(?s).*used_memory:(\\d+).*", "$1"));
            jedis.configSet("maxmemory", Long.toString(used - 500_000));
            jedis.set("trigger", "1");
            Eventually.until("keys evicted", () -> !jedis.info("stats").contains("evicted_keys:0\r\n"));
            jedis.configSet("maxmemory", "0");
            jedis.ping();
            long evicted = Long.parseLong(jedis.info("stats").replaceAll("(?s).*evicted_keys:(\\d+).*", "$1"));
            List<String> commands = AofDirectory.in(cairnDir).incrCommands();
            assertEquals(evicted, commands.stream().filter(c -> c.startsWith("DEL key")).count());
            assertEquals(2000 - evicted, jedis.dbSize() - 1);
        }
    }
}
