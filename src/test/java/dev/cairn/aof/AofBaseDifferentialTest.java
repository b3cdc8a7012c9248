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
 * the same ordered values (strings, lists, sorted sets, TTLs): the same commands, 64
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
