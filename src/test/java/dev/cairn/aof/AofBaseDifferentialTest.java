package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The base file written as commands (aof-use-rdb-preamble no) against redis-server's for
 * the same ordered values (strings, lists, sorted sets, streams, TTLs): the same commands, 64
 * elements per command, scores as %.17g. Keys come in hash table order, so the commands
 * are compared sorted.
 */
class AofBaseDifferentialTest {
    @TempDir
    Path cairnDir;
    @TempDir
    Path redisDir;

    private static void fill(Jedis jedis) {
        jedis.set("s", "text");
        jedis.set("n", "12345");
        for (int i = 0; i < 150; i++) jedis.rpush("list", "item" + i);
        jedis.zadd("z", 0.1, "a");
        jedis.zadd("z", 1.5, "b");
        jedis.zadd("z", 1e20, "c");
        jedis.zadd("z", Double.NEGATIVE_INFINITY, "d");
        for (int i = 0; i < 70; i++) jedis.zadd("big", i / 3.0, "m" + i);
        jedis.set("ttl", "v");
        jedis.pexpireAt("ttl", 2_000_000_000_000L);
        // Streams: entries, counters and groups; delivery times set with TIME to compare.
        for (int i = 1; i <= 5; i++) send(jedis, "XADD", "st", i + "-1", "f", "v" + i, "g", String.valueOf(i));
        send(jedis, "XDEL", "st", "3-1");
        send(jedis, "XGROUP", "CREATE", "st", "grp", "0", "ENTRIESREAD", "0");
        send(jedis, "XGROUP", "CREATE", "st", "other", "$");
        send(jedis, "XGROUP", "CREATECONSUMER", "st", "grp", "idle");
        send(jedis, "XCLAIM", "st", "grp", "alice", "0", "1-1", "2-1", "TIME", "1700000000000", "RETRYCOUNT", "3", "FORCE");
        send(jedis, "XCLAIM", "st", "grp", "bob", "0", "4-1", "TIME", "1700000000001", "FORCE", "LASTID", "4-1");
        send(jedis, "XGROUP", "CREATE", "empty", "grp", "$", "MKSTREAM");
    }

    private static void send(Jedis jedis, String... args) {
        byte[][] rest = new byte[args.length - 1][];
        for (int i = 1; i < args.length; i++) rest[i - 1] = args[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
        jedis.sendCommand(() -> args[0].getBytes(java.nio.charset.StandardCharsets.UTF_8), rest);
    }

    private static List<String> base(Jedis jedis, Path dir) throws Exception {
        jedis.bgrewriteaof();
        Eventually.until("the rewrite ends", () -> {
            String info = jedis.info("persistence");
            return info.contains("aof_rewrite_in_progress:0") && info.contains("aof_rewrite_scheduled:0")
                    && !info.contains("aof_rewrites:0");
        });
        return AofDirectory.commands(Files.readAllBytes(AofDirectory.in(dir).base())).stream().sorted().toList();
    }

    @Test
    void commandsBaseAsRedis() throws Exception {
        String[] options = {"--appendonly", "yes", "--aof-use-rdb-preamble", "no", "--save", ""};
        try (TestServer server = TestServer.start(concat(options, "--dir", cairnDir.toString()));
                RealRedis real = RealRedis.start(concat(options, "--dir", redisDir.toString()));
                Jedis cairn = new Jedis("127.0.0.1", server.port());
                Jedis redis = new Jedis("127.0.0.1", real.port())) {
            fill(cairn);
            fill(redis);
            assertEquals(base(redis, redisDir), base(cairn, cairnDir));
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
