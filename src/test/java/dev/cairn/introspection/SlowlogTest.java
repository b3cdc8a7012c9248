package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.resps.Slowlog;

/** SLOWLOG GET, LEN, RESET: entries, trimming of long commands, limits, redaction. */
class SlowlogTest {
    @Test
    void logsEveryCommandAtThresholdZero() {
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "0");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.slowlogReset();
            j.set("k", "v");
            j.echo("e");
            List<Slowlog> entries = j.slowlogGet();
            Slowlog set = entries.stream().filter(e -> e.getArgs().get(0).equals("SET")).findFirst().orElseThrow();
            assertEquals(List.of("SET", "k", "v"), set.getArgs());
            assertEquals("127.0.0.1", set.getClientIpPort().getHost());
            assertTrue(set.getExecutionTime() >= 0);
            assertTrue(Math.abs(set.getTimeStamp() - System.currentTimeMillis() / 1000) < 60);
            // Newest first, ids increasing with time.
            assertTrue(entries.get(0).getId() > set.getId());
            assertTrue(j.slowlogLen() >= 3);
            assertEquals(1, j.slowlogGet(1).size());
            assertEquals(j.slowlogLen(), j.slowlogGet(-1).size() - 1, "the LEN call itself is logged after GET");
        }
    }

    @Test
    void clientNameIsTheOneAfterTheCommand() {
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "0");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.sendCommand(() -> "HELLO".getBytes(), "2", "SETNAME", "named");
            Slowlog hello = j.slowlogGet(1).get(0);
            assertEquals("named", hello.getClientName());
        }
    }

    @Test
    void longCommandsAreTrimmed() {
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "0");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            String[] args = new String[40];
            args[0] = "INFO";
            for (int i = 1; i < 40; i++) args[i] = "name" + i;
            j.sendCommand(() -> "COMMAND".getBytes(), args);
            List<String> logged = j.slowlogGet(1).get(0).getArgs();
            assertEquals(32, logged.size());
            assertEquals("COMMAND", logged.get(0));
            assertEquals("name29", logged.get(30));
            assertEquals("... (10 more arguments)", logged.get(31));
            j.echo("x".repeat(200));
            assertEquals("x".repeat(128) + "... (72 more bytes)", j.slowlogGet(1).get(0).getArgs().get(1));
        }
    }

    @Test
    void maxLenAndDisabling() {
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "0", "--slowlog-max-len", "3");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            for (int i = 0; i < 10; i++) j.echo("e" + i);
            assertEquals(3, j.slowlogLen());
            assertEquals("OK", j.slowlogReset());
            assertEquals(1, j.slowlogLen(), "RESET itself is logged");
        }
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "-1");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.echo("x");
            assertEquals(0, j.slowlogLen());
        }
        try (TestServer server = TestServer.start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.echo("fast");
            assertEquals(0, j.slowlogLen(), "default threshold is 10 ms");
        }
    }

    @Test
    void passwordsAreRedacted() {
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "0", "--requirepass", "secret");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.auth("secret");
            j.sendCommand(() -> "HELLO".getBytes(), "2", "AUTH", "default", "secret");
            List<Slowlog> entries = j.slowlogGet(2);
            assertEquals(List.of("HELLO", "2", "AUTH", "(redacted)", "(redacted)"), entries.get(0).getArgs());
            assertEquals(List.of("AUTH", "(redacted)"), entries.get(1).getArgs());
        }
    }

    @Test
    void lettuceReadsEntries() {
        try (TestServer server = TestServer.start("--slowlog-log-slower-than", "0")) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().slowlogReset();
                c.sync().set("a", "b");
                List<Object> entries = c.sync().slowlogGet(1);
                List<?> entry = (List<?>) entries.get(0);
                assertEquals(6, entry.size());
                assertEquals(List.of("SET", "a", "b"), entry.get(3));
                assertTrue(c.sync().slowlogLen() >= 2);
            } finally {
                client.shutdown();
            }
        }
    }

    private static final Pattern ADDR = Pattern.compile("\\$\\d+\r\n127\\.0\\.0\\.1:\\d+\r\n");

    /** An entry has Redis's shape: the same reply once id, time, duration and port are masked. */
    @Test
    void entryShapeMatchesRedis() throws Exception {
        try (TestServer cairn = TestServer.start("--slowlog-log-slower-than", "0");
                RealRedis redis = RealRedis.start("--slowlog-log-slower-than", "0")) {
            List<String> replies = new ArrayList<>();
            for (int port : new int[] {redis.port(), cairn.port()}) {
                try (RawConnection r = new RawConnection(port)) {
                    r.call("SLOWLOG", "RESET");
                    r.call("HELLO", "3", "SETNAME", "shape");
                    r.call("ECHO", "y".repeat(130));
                    replies.add(mask(r.call("SLOWLOG", "GET", "1")));
                }
            }
            assertEquals(replies.get(0), replies.get(1));
        }
    }

    private static String mask(String reply) {
        return ADDR.matcher(reply.replaceAll(":\\d+\r\n", ":N\r\n")).replaceAll("\\$N\r\n127.0.0.1:PORT\r\n");
    }
}
