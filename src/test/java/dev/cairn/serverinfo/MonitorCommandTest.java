package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisMonitor;

class MonitorCommandTest {
    /** A feed line with its time, database and address replaced by placeholders. */
    private static final Pattern PREFIX = Pattern.compile("^\\+\\d+\\.\\d{6} \\[(\\d+) 127\\.0\\.0\\.1:\\d+\\]");

    @RegisterExtension
    final ServerFixture cairn = ServerFixture.cairn();

    @Test
    void feedLinesHaveRedisFormat() throws IOException {
        try (RawConnection monitor = new RawConnection(cairn.port()); RawConnection other = new RawConnection(cairn.port())) {
            monitor.command("MONITOR");
            assertEquals("+OK\r\n", monitor.readLike("+OK\r\n"));
            other.call("set", "k", "v");
            String line = monitor.readReply();
            assertTrue(line.matches("\\+\\d{10}\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"set\" \"k\" \"v\"\r\n"), line);
        }
    }

    /** The same commands on Cairn and the real server produce the same feed. */
    @Test
    void feedMatchesTheRealServer() throws IOException {
        try (RealRedis real = RealRedis.start()) {
            assertEquals(feed(real.port()), feed(cairn.port()));
        }
    }

    private static List<String> feed(int port) throws IOException {
        try (RawConnection monitor = new RawConnection(port); RawConnection other = new RawConnection(port)) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            other.call("SET", "k\u0000\"\\\n\r\t\u0007\b\u00ff \u007f~", "12");
            other.call("GET", "k");
            other.call("AUTH", "secret");            // fails, still shown, redacted
            other.call("AUTH", "user", "secret");
            other.call("HELLO", "3", "AUTH", "user", "secret");
            other.call("HELLO", "2", "SETNAME", "x");
            other.call("SELECT", "3");               // shown with the database selected after it
            other.call("CLIENT", "LIST");            // administrative: not shown
            other.call("SHUTDOWN", "ABORT");         // administrative: not shown
            other.call("NOSUCHCOMMAND");             // never executed: not shown
            other.call("GET");                       // rejected: not shown
            other.call("CLIENT", "SETNAME", "name");
            other.call("SELECT", "0");
            other.call("ECHO", "end");
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = monitor.readReply();
                lines.add(PREFIX.matcher(line).replaceFirst("+T [$1 ADDR]"));
            } while (!line.contains("\"end\""));
            return lines;
        }
    }

    @Test
    void aMonitorStillRunsCommandsThatDoNotTouchKeys() throws IOException {
        try (RawConnection monitor = new RawConnection(cairn.port())) {
            assertEquals("+OK\r\n", monitor.call("MONITOR"));
            monitor.command("PING");
            assertEquals("+PONG\r\n", monitor.readReply());
            // Its own commands are fed to it as well, after their reply.
            assertTrue(monitor.readReply().endsWith("\"PING\"\r\n"));
            monitor.command("GET", "k");
            assertEquals("-ERR Replica can't interact with the keyspace\r\n", monitor.readReply());
            // A second MONITOR is ignored: no reply.
            monitor.command("MONITOR");
            monitor.command("RESET");
            assertEquals("+RESET\r\n", monitor.readReply());
            assertEquals("$-1\r\n", monitor.call("GET", "k"));
            assertEquals(0, (int) cairn.onCommandThread(() -> cairn.server().monitors().count()));
            assertTrue(InfoCommandTest.bulkText(monitor.call("CLIENT", "INFO")).contains(" flags=N "));
        }
    }

    @Test
    void aMonitorIsFlaggedAndForgottenWhenItLeaves() throws IOException {
        try (RawConnection other = new RawConnection(cairn.port())) {
            try (RawConnection monitor = new RawConnection(cairn.port())) {
                monitor.call("MONITOR");
                assertTrue(InfoCommandTest.bulkText(other.call("CLIENT", "LIST")).contains(" flags=O "));
            }
            Eventually.until("the monitor to leave",
                    () -> cairn.onCommandThread(() -> cairn.server().monitors().count()) == 0);
            assertEquals("+OK\r\n", other.call("SET", "k", "v"));
        }
    }

    @Test
    void jedisMonitor() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Thread watcher = new Thread(() -> {
            try (Jedis jedis = new Jedis("127.0.0.1", cairn.port())) {
                jedis.clientSetname("watcher");
                jedis.monitor(new JedisMonitor() {
                    @Override
                    public void onCommand(String command) {
                        seen.add(command);
                    }
                });
            } catch (RuntimeException e) {
                // The connection is killed to end the monitor.
            }
        });
        watcher.start();
        try (Jedis jedis = new Jedis("127.0.0.1", cairn.port())) {
            Eventually.until("the monitor",
                    () -> jedis.clientList().contains("name=watcher") && jedis.clientList().contains("flags=O"));
            jedis.set("key", "value");
            Eventually.until("the feed", () -> seen.stream().anyMatch(s -> s.endsWith("\"SET\" \"key\" \"value\"")));
            jedis.clientKill(new redis.clients.jedis.params.ClientKillParams().skipMe(
                    redis.clients.jedis.params.ClientKillParams.SkipMe.YES));
        }
        watcher.join(10_000);
    }

    @Test
    void lettuceStartsAMonitor() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            String ok = conn.sync().dispatch(CommandType.MONITOR, new StatusOutput<>(StringCodec.UTF8));
            assertEquals("OK", ok);
            assertEquals(1, (int) cairn.onCommandThread(() -> cairn.server().monitors().count()));
        } finally {
            client.shutdown();
        }
    }
}
