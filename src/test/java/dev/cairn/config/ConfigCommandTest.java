package dev.cairn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import dev.cairn.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** CONFIG GET, SET, RESETSTAT and HELP through real clients, compared with redis-server where it can be. */
class ConfigCommandTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis();

    @TempDir
    Path dir;

    private static String error(Jedis jedis, String... args) {
        return assertThrows(JedisDataException.class, () -> jedis.configSet(args)).getMessage();
    }

    @Test
    void getAndSetThroughJedis() {
        try (TestServer s = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", s.port())) {
            assertEquals(Map.of("timeout", "0"), jedis.configGet("timeout"));
            assertEquals("OK", jedis.configSet("timeout", "30", "maxclients", "500"));
            assertEquals(Map.of("timeout", "30", "maxclients", "500"), jedis.configGet("timeout", "maxclients"));
            // The name is echoed as typed; a directive named twice is listed once.
            assertEquals(Map.of("TimeOut", "30"), jedis.configGet("TimeOut", "timeout"));
            assertEquals(Map.of(), jedis.configGet("no-such-thing"));
            assertEquals(Map.of("lazyfree-lazy-eviction", "no", "lazyfree-lazy-expire", "no", "lazyfree-lazy-server-del", "no",
                    "lazyfree-lazy-user-del", "no", "lazyfree-lazy-user-flush", "no"), jedis.configGet("LAZYFREE-*"));
            assertEquals(Map.of("hz", "10"), jedis.configGet("h?"));
            assertEquals("OK", jedis.configSet("proto-max-bulk-len", "2mb"));
            assertEquals("2097152", jedis.configGet("proto-max-bulk-len").get("proto-max-bulk-len"));
        }
    }

    @Test
    void errorTextsThroughJedis() {
        try (TestServer s = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", s.port())) {
            assertEquals("ERR Unknown option or number of arguments for CONFIG SET - 'foo'", error(jedis, "foo", "1"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'hz') - argument couldn't be parsed "
                    + "into an integer", error(jedis, "HZ", "abc"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'hz') - duplicate parameter",
                    error(jedis, "hz", "20", "hz", "30"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'DAEMONIZE') - can't set immutable config",
                    error(jedis, "DAEMONIZE", "yes"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - can't set protected config",
                    error(jedis, "dir", "/tmp"));
            assertEquals("ERR syntax error", error(jedis, "hz", "1", "timeout"));
        }
    }

    @Test
    void setIsAllOrNothing() throws IOException {
        try (TestServer s = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", s.port());
                ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            error(jedis, "timeout", "5", "hz", "abc");
            assertEquals("0", jedis.configGet("timeout").get("timeout"));
            // A value that parses but that the server cannot act on (a port in use) undoes the others too.
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'port') - Unable to listen on this port. "
                    + "Check server logs.", error(jedis, "timeout", "7", "port", Integer.toString(taken.getLocalPort())));
            assertEquals(Map.of("timeout", "0", "port", Integer.toString(s.port())), jedis.configGet("timeout", "port"));
            // Setting the same port changes nothing, so there is nothing to act on.
            assertEquals("OK", jedis.configSet("timeout", "7", "port", Integer.toString(s.port())));
        }
    }

    @Test
    void hzIsClamped() {
        try (TestServer s = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", s.port())) {
            jedis.configSet("hz", "1000");
            assertEquals("500", jedis.configGet("hz").get("hz"));
            jedis.configSet("hz", "0");
            assertEquals("1", jedis.configGet("hz").get("hz"));
        }
    }

    @Test
    void protectedConfigsFollowEnableProtectedConfigs() throws IOException {
        try (TestServer s = TestServer.start("--enable-protected-configs", "local");
                Jedis jedis = new Jedis("127.0.0.1", s.port())) {
            String real = dir.toRealPath().toString();
            assertEquals("OK", jedis.configSet("dir", real));
            assertEquals(real, jedis.configGet("dir").get("dir"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory",
                    error(jedis, "dir", "/nonexistent/dir"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory",
                    error(jedis, "dir", ""));
            assertEquals(real, s.server().config().dir.value());
        }
    }

    @Test
    void lettuceUsesAMapInResp3() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            RedisCommands<String, String> sync = conn.sync();
            assertEquals(Map.of("tcp-keepalive", "300", "databases", "16"), sync.configGet("tcp-keepalive", "databases"));
            assertEquals("OK", sync.configSet(Map.of("slowlog-max-len", "64", "latency-tracking", "no")));
            assertEquals(Map.of("slowlog-max-len", "64", "latency-tracking", "no"),
                    sync.configGet("slowlog-max-len", "latency-tracking"));
            sync.configSet(Map.of("slowlog-max-len", "128", "latency-tracking", "yes"));
            RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                    () -> sync.configSet("loglevel", "loud"));
            assertEquals("ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of "
                    + "the following: debug, verbose, notice, warning", e.getMessage());
            assertEquals("OK", sync.configResetstat());
            e = assertThrows(RedisCommandExecutionException.class, sync::configRewrite);
            assertEquals("ERR The server is running without a config file", e.getMessage());
        } finally {
            client.shutdown();
        }
    }

    @Test
    void resetstatClearsTheCounters() {
        try (TestServer s = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", s.port())) {
            jedis.set("k", "v");
            jedis.get("k");
            assertThrows(JedisDataException.class, () -> jedis.configSet("hz", "x"));
            assertEquals("OK", jedis.configResetStat());
            var stats = s.server().stats();
            assertEquals(1L, (long) s.onCommandThread(() -> stats.commandsProcessed));
            assertEquals(0L, (long) s.onCommandThread(() -> stats.totalErrorReplies));
            assertEquals(0L, (long) s.onCommandThread(() -> stats.keyspaceHits));
            assertEquals(List.of("config|resetstat"), s.onCommandThread(() -> new ArrayList<>(stats.commandStats().keySet())));
        }
    }

    @Test
    void runtimeChangesTakeEffect() throws Exception {
        try (TestServer s = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", s.port())) {
            jedis.configSet("maxclients", "1");
            try (RawConnection second = new RawConnection(s.port())) {
                assertEquals("-ERR max number of clients reached\r\n", second.readUntilClosed());
            }
            jedis.configSet("maxclients", "10000", "requirepass", "secret");
            try (Jedis other = new Jedis("127.0.0.1", s.port())) {
                assertEquals("NOAUTH Authentication required.",
                        assertThrows(JedisDataException.class, other::ping).getMessage());
                assertEquals("OK", other.auth("secret"));
            }
            jedis.configSet("requirepass", "", "timeout", "1");
            try (RawConnection idle = new RawConnection(s.port())) {
                assertTrue(idle.readUntilClosed().isEmpty());
            }
        }
    }

    /** Every directive Cairn knows has redis-server's default (port and dir depend on the test setup). */
    @Test
    void defaultsMatchRealRedis() {
        try (TestServer s = TestServer.start(); Jedis c = new Jedis("127.0.0.1", s.port());
                Jedis r = new Jedis("127.0.0.1", redis.port())) {
            for (String name : new Config().names().keySet()) {
                if (name.equals("port") || name.equals("dir")) continue;
                assertEquals(r.configGet(name), c.configGet(name), name);
            }
        }
    }

    /** Patterns select the same directives as in Redis, among those Cairn has. */
    @Test
    void patternsMatchRealRedis() {
        try (Jedis c = new Jedis("127.0.0.1", cairn.port()); Jedis r = new Jedis("127.0.0.1", redis.port())) {
            for (String pattern : List.of("*", "lazyfree-*", "*max*", "h?", "[pt]*", "*-[l-t]*", "[^a-m]*", "*o*o*",
                    "LATENCY*", "client-*-limit", "\\hz", "enable-*-co?mand")) {
                Map<String, String> ours = c.configGet(pattern);
                Map<String, String> theirs = new HashMap<>(r.configGet(pattern));
                theirs.keySet().retainAll(new Config().names().keySet());
                ours = new HashMap<>(ours);
                for (String varying : List.of("port", "dir")) {
                    if (ours.containsKey(varying)) ours.put(varying, theirs.get(varying));
                }
                assertEquals(theirs, ours, pattern);
            }
        }
    }

    /** The same command sequence gives the same bytes from Cairn and from redis-server. */
    @Test
    void repliesMatchRealRedis() throws IOException {
        String[][] script = {
            {"CONFIG", "SET", "hz", "abc"}, {"CONFIG", "SET", "HZ", "abc"}, {"CONFIG", "SET", "hz", "20", "hz", "30"},
            {"CONFIG", "SET", "foo", "1"}, {"CONFIG", "SET", "hz", "1", "foo"}, {"CONFIG", "SET", "hz"},
            {"CONFIG", "SET", "daemonize", "yes", "foo", "1"}, {"CONFIG", "SET", "foo", "1", "daemonize", "yes"},
            {"CONFIG", "SET", "timeout", "1", "Timeout", "2"}, {"CONFIG", "SET", "dir", "/tmp"},
            {"CONFIG", "SET", "maxclients", "0"}, {"CONFIG", "SET", "maxclients", "4294967296"},
            {"CONFIG", "SET", "proto-max-bulk-len", "1x"}, {"CONFIG", "SET", "proto-max-bulk-len", ""},
            {"CONFIG", "SET", "client-query-buffer-limit", "-1"}, {"CONFIG", "SET", "loglevel", "bad"},
            {"CONFIG", "SET", "unixsocketperm", "7"}, {"CONFIG", "SET", "protected-mode", "maybe"},
            {"CONFIG", "SET", "slowlog-log-slower-than", "-2"}, {"CONFIG", "SET", "slowlog-max-len", "-1"},
            {"CONFIG", "SET", "tracking-table-max-keys", "-1"}, {"CONFIG", "SET", "active-expire-effort", "0"},
            {"CONFIG", "SET", "client-output-buffer-limit", "normal 1 2"},
            {"CONFIG", "SET", "client-output-buffer-limit", "master 1 2 3"},
            {"CONFIG", "SET", "client-output-buffer-limit", "normal 1 2 x"},
            {"CONFIG", "SET", "client-output-buffer-limit", "NORMAL 1mb 2 3 Replica 64mb 1kb 5"},
            {"CONFIG", "GET", "client-output-buffer-limit"},
            {"CONFIG", "SET", "client-output-buffer-limit", "normal 0 0 0 slave 268435456 67108864 60"},
            {"CONFIG", "SET", "oom-score-adj-values", "1 2"}, {"CONFIG", "SET", "oom-score-adj-values", "1 2 3000"},
            {"CONFIG", "SET", "oom-score-adj", "relative"}, {"CONFIG", "GET", "oom-score-adj"},
            {"CONFIG", "SET", "oom-score-adj", "no"},
            {"CONFIG", "SET", "latency-tracking-info-percentiles", "101"},
            {"CONFIG", "SET", "latency-tracking-info-percentiles", "abc"},
            {"CONFIG", "SET", "latency-tracking-info-percentiles", "50 99.900 1e1"},
            {"CONFIG", "GET", "latency-tracking-info-percentiles"},
            {"CONFIG", "SET", "latency-tracking-info-percentiles", ""},
            {"CONFIG", "GET", "latency-tracking-info-percentiles"},
            {"CONFIG", "SET", "latency-tracking-info-percentiles", "50 99 99.9"},
            {"CONFIG", "SET", "proc-title-template", "{bad}"}, {"CONFIG", "SET", "proc-title-template", "{title"},
            {"CONFIG", "SET", "bind", "a b c d e f g h i j k l m n o p q"},
            {"CONFIG", "SET", "hz", "1000"}, {"CONFIG", "GET", "hz"}, {"CONFIG", "SET", "hz", "10"},
            {"CONFIG", "GET", "TIMEOUT"}, {"CONFIG", "GET", "no-such"}, {"CONFIG", "GET", "timeout", "timeout"},
            {"CONFIG", "SET", "requirepass", "s p"}, {"CONFIG", "GET", "requirepass"}, {"CONFIG", "SET", "requirepass", ""},
            {"AUTH", "x"},
            {"CONFIG", "HELP"}, {"CONFIG"}, {"CONFIG", "FOO"}, {"CONFIG", "GET"}, {"CONFIG", "HELP", "x"},
            {"CONFIG", "RESETSTAT", "x"}, {"CONFIG", "REWRITE"}, {"CONFIG", "RESETSTAT"},
        };
        try (RawConnection c = new RawConnection(cairn.port()); RawConnection r = new RawConnection(redis.port())) {
            for (String[] command : script) {
                c.command(command);
                r.command(command);
                assertEquals(r.readReply(), c.readReply(), String.join(" ", command));
            }
        }
    }
}
