package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The appendonly directory is the same format in both directions: one written by Cairn
 * (base as RDB or as commands, plus incremental files) starts redis-server 7.0 with the
 * same DEBUG DIGEST, and one written by redis-server loads in Cairn.
 */
class AofInteropTest {
    @TempDir
    Path dir;

    /** Until DBSIZE stops answering LOADING (each file of the AOF is loaded in turn). */
    static void awaitLoaded(Jedis jedis) {
        Eventually.until("redis-server loaded the AOF", () -> {
            try {
                jedis.dbSize();
                return true;
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                if (!e.getMessage().startsWith("LOADING")) throw e;
                return false;
            }
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void cairnAofLoadsInRedis(String preamble) throws Exception {
        String digest;
        try (TestServer server = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--save", "",
                "--aof-use-rdb-preamble", preamble, "--enable-debug-command", "yes");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            AofRewriteTest.fill(jedis, server.port());
            jedis.bgrewriteaof();
            AofRewriteTest.awaitRewrite(jedis);
            jedis.incr("after-rewrite");
            jedis.hset("h", "g", "w");
            digest = AofRewriteTest.digest(server.port());
        }
        assertTrue(Files.exists(AofDirectory.in(dir).dir().resolve("appendonly.aof.2.base." + (preamble.equals("yes")
                ? "rdb" : "aof"))));
        AofDirectory aof = AofDirectory.in(dir);
        String files = aof.manifest() + " " + aof.incrCommands();
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes",
                "--enable-debug-command", "yes");
                Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            // redis-server accepts connections while it loads (and DEBUG DIGEST runs then).
            awaitLoaded(jedis);
            assertEquals(digest, AofRewriteTest.digest(redis.port()), () -> files + " keys " + jedis.keys("*")
                    + " " + jedis.hgetAll("h") + " " + jedis.get("after-rewrite"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"yes", "no"})
    void redisAofLoadsInCairn(String preamble) throws Exception {
        String digest;
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes",
                "--aof-use-rdb-preamble", preamble, "--enable-debug-command", "yes");
                Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            AofRewriteTest.fill(jedis, redis.port());
            jedis.bgrewriteaof();
            Eventually.until("the rewrite ends", () -> jedis.info("persistence").contains("aof_rewrite_in_progress:0")
                    && jedis.info("persistence").contains("aof_rewrite_scheduled:0"));
            jedis.incr("after-rewrite");
            jedis.sadd("set", "z");
            digest = AofRewriteTest.digest(redis.port());
        }
        try (TestServer server = TestServer.start("--dir", dir.toString(), "--appendonly", "yes", "--save", "",
                "--enable-debug-command", "yes")) {
            assertEquals(digest, AofRewriteTest.digest(server.port()));
        }
    }
}
