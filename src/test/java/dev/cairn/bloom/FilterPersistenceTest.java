package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.testing.JedisCommands;
import dev.cairn.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Filters are saved in RDB files (as module values, like RedisBloom's), survive a restart
 * and DEBUG RELOAD, and go through DUMP/RESTORE; a corrupt filter payload is refused.
 */
class FilterPersistenceTest {
    @TempDir
    Path dir;

    private static Object call(Jedis j, String... args) {
        return JedisCommands.call(j, args);
    }

    private static String digest(Jedis j) {
        return new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "DIGEST"));
    }

    private static void fill(Jedis j) {
        call(j, "bf.reserve", "bf", "0.001", "100", "EXPANSION", "2");
        for (int i = 0; i < 500; i++) call(j, "bf.add", "bf", "item" + i);
        call(j, "cf.reserve", "cf", "1000", "BUCKETSIZE", "4");
        for (int i = 0; i < 300; i++) call(j, "cf.add", "cf", "item" + i);
        call(j, "cf.del", "cf", "item7");
        j.pexpire("cf", 100_000_000L);
    }

    @Test
    void filtersSurviveARestartAndReload() {
        String digest;
        Object bfInfo;
        Object cfInfo;
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString());
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            fill(j);
            digest = digest(j);
            bfInfo = call(j, "bf.info", "bf");
            cfInfo = call(j, "cf.info", "cf");
            assertEquals("OK", j.save());
            assertEquals("OK", new String((byte[]) j.sendCommand(() -> "DEBUG".getBytes(), "RELOAD")));
            assertEquals(digest, digest(j));
        }
        try (TestServer s = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString());
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(digest, digest(j));
            assertEquals(bfInfo, call(j, "bf.info", "bf"));
            assertEquals(cfInfo, call(j, "cf.info", "cf"));
            assertEquals(List.of(1L, 1L, 0L), call(j, "bf.mexists", "bf", "item0", "item499", "absent-0"));
            assertEquals(0L, call(j, "cf.exists", "cf", "item7"));
            assertEquals("MBbloomCF", j.type("cf"));
        }
    }

    @Test
    void dumpAndRestoreCopyAFilter() {
        try (TestServer s = TestServer.start("--enable-debug-command", "yes");
                Jedis j = new Jedis("127.0.0.1", s.port())) {
            fill(j);
            byte[] bf = j.dump("bf");
            byte[] cf = j.dump("cf");
            assertEquals("OK", j.restore("bf-copy", 0, bf));
            assertEquals("OK", j.restore("cf-copy", 0, cf));
            assertEquals(call(j, "bf.info", "bf"), call(j, "bf.info", "bf-copy"));
            assertEquals(call(j, "cf.info", "cf"), call(j, "cf.info", "cf-copy"));
            assertArrayEquals(bf, j.dump("bf-copy"));
            byte[] corrupt = bf.clone();
            corrupt[20] ^= 0x55;
            assertEquals("ERR DUMP payload version or checksum are wrong",
                    assertThrows(JedisDataException.class, () -> j.restore("x", 0, corrupt)).getMessage());
        }
    }

    /** The AOF: with an RDB base (module values) and with a command base (LOADCHUNK commands). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"yes", "no"})
    void filtersSurviveAnAofRewriteAndRestart(String rdbPreamble) {
        String digest;
        String[] options = {"--enable-debug-command", "yes", "--dir", dir.toString(), "--appendonly", "yes",
                "--aof-use-rdb-preamble", rdbPreamble};
        try (TestServer s = TestServer.start(options); Jedis j = new Jedis("127.0.0.1", s.port())) {
            fill(j);
            j.bgrewriteaof();
            dev.cairn.testing.Eventually.until("the rewrite ends", () -> j.info("persistence")
                    .contains("aof_rewrite_in_progress:0") && !j.info("persistence").contains("aof_rewrite_scheduled:1"));
            call(j, "bf.add", "bf", "after-rewrite");
            digest = digest(j);
        }
        try (TestServer s = TestServer.start(options); Jedis j = new Jedis("127.0.0.1", s.port())) {
            assertEquals(digest, digest(j));
            assertEquals(1L, call(j, "bf.exists", "bf", "after-rewrite"));
        }
    }
}
