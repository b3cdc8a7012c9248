package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.args.LatencyEvent;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.resps.LatencyHistoryInfo;
import redis.clients.jedis.resps.LatencyLatestInfo;

/** The latency monitor: recording slow commands, LATEST, HISTORY, GRAPH, DOCTOR, RESET. */
class LatencyTest {
    @Test
    void histogramReportsCallsAndCumulativeCountsPerCommand() throws Exception {
        try (TestServer server = TestServer.start(); RawConnection raw = new RawConnection(server.port())) {
            for (int i = 0; i < 3; i++) raw.call("SET", "k", "v");
            raw.call("CONFIG", "GET", "hz");
            raw.call("HELLO", "3");
            String reply = raw.call("LATENCY", "HISTOGRAM", "set", "config", "nosuchcommand");
            // A map of two commands (CONFIG through its subcommand), each with its calls and
            // a histogram whose last cumulative count is the number of calls.
            assertTrue(reply.startsWith("%2\r\n$3\r\nset\r\n%2\r\n$5\r\ncalls\r\n:3\r\n$14\r\nhistogram_usec\r\n%"),
                    reply);
            assertTrue(reply.contains("$10\r\nconfig|get\r\n%2\r\n$5\r\ncalls\r\n:1\r\n"), reply);
            assertTrue(reply.matches("(?s).*:3\r\n\\$10\r\nconfig\\|get.*:1\r\n"), reply);
            assertEquals("%0\r\n", raw.call("LATENCY", "HISTOGRAM", "nosuchcommand"));
        }
    }

    @Test
    void slowCommandsAreRecordedOverTheThreshold() {
        try (TestServer server = TestServer.start("--latency-monitor-threshold", "20", "--enable-debug-command", "yes");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.ping();
            assertEquals(Map.of(), j.latencyLatest(), "fast commands stay under the threshold");
            j.sendCommand(() -> "DEBUG".getBytes(), "SLEEP", "0.05");
            LatencyLatestInfo latest = j.latencyLatest().get("command");
            assertTrue(latest.getLastEventLatency() >= 50, latest::toString);
            assertTrue(latest.getMaxEventLatency() >= latest.getLastEventLatency());
            assertTrue(Math.abs(latest.getTimestamp() - System.currentTimeMillis() / 1000) < 60);
            List<LatencyHistoryInfo> history = j.latencyHistory(LatencyEvent.COMMAND);
            assertEquals(1, history.size());
            assertEquals(latest.getLastEventLatency(), history.get(0).getLatency());
            assertEquals(List.of(), j.latencyHistory(LatencyEvent.FAST_COMMAND));

            String doctor = j.latencyDoctor();
            assertTrue(doctor.startsWith("Dave, I have observed latency spikes in this Redis instance. You don't "
                    + "mind talking about it, do you Dave?\n\n1. command: 1 latency spikes (average "), doctor);
            assertTrue(doctor.contains("\nI have a few advices for you:\n\n- Check your Slow Log"), doctor);

            assertEquals(0, j.latencyReset(LatencyEvent.FAST_COMMAND));
            assertEquals(1, (Long) j.sendCommand(() -> "LATENCY".getBytes(), "RESET", "COMMAND", "command"));
            assertEquals(Map.of(), j.latencyLatest());
        }
    }

    @Test
    void disabledMonitorRecordsNothing() {
        try (TestServer server = TestServer.start("--enable-debug-command", "yes");
                Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.sendCommand(() -> "DEBUG".getBytes(), "SLEEP", "0.02");
            assertEquals(Map.of(), j.latencyLatest());
            assertTrue(j.latencyDoctor().startsWith("I'm sorry, Dave, I can't do that."));
        }
    }

    /**
     * The graph of three samples: the same chart Redis draws for them (checked against
     * redis-server), and labels giving each sample's age.
     */
    @Test
    void graphDrawsTheSamples() {
        try (TestServer server = TestServer.start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            long now = System.currentTimeMillis() / 1000;
            server.onCommandThread(() -> {
                server.server().latency().addSample("test-event", now - 4, 150);
                server.server().latency().addSample("test-event", now - 2, 250);
                server.server().latency().addSample("test-event", now, 137);
                return null;
            });
            String graph = new String((byte[]) j.sendCommand(() -> "LATENCY".getBytes(), "GRAPH", "test-event"),
                    StandardCharsets.UTF_8);
            String[] lines = graph.split("\n", -1);
            assertEquals("test-event - high 250 ms, low 137 ms (all time high 250 ms)", lines[0]);
            assertEquals("-".repeat(80), lines[1]);
            assertEquals(List.of(" # ", " | ", " | ", "o|_", "   "), List.of(lines).subList(2, 7));
            assertTrue(lines[7].matches("\\d\\d\\d"), lines[7]);
            assertEquals("sss", lines[8]);
            assertEquals("", lines[9]);
            assertEquals(10, lines.length);

            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.sendCommand(() -> "LATENCY".getBytes(), "GRAPH", "TEST-EVENT"));
            assertEquals("ERR No samples available for event 'TEST-EVENT'", e.getMessage());
        }
    }

    @Test
    void samplesInOneSecondKeepTheWorst() throws Exception {
        try (TestServer server = TestServer.start(); RawConnection r = new RawConnection(server.port())) {
            server.onCommandThread(() -> {
                server.server().latency().addSample("e", 1000, 5);
                server.server().latency().addSample("e", 1000, 9);
                server.server().latency().addSample("e", 1000, 7);
                server.server().latency().addSample("e", 1001, 3);
                return null;
            });
            assertEquals("*2\r\n*2\r\n:1000\r\n:9\r\n*2\r\n:1001\r\n:3\r\n", r.call("LATENCY", "HISTORY", "e"));
            assertEquals("*1\r\n*4\r\n$1\r\ne\r\n:1001\r\n:3\r\n:9\r\n", r.call("LATENCY", "LATEST"));
            assertEquals("*0\r\n", r.call("LATENCY", "HISTORY", "E"));
            r.call("HELLO", "3");
            assertTrue(r.call("LATENCY", "DOCTOR").startsWith("=") , "verbatim text in RESP3");
        }
    }

    @Test
    void keepsTheLast160Seconds() {
        try (TestServer server = TestServer.start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            server.onCommandThread(() -> {
                for (int i = 1; i <= 200; i++) server.server().latency().addSample("e", i, i);
                return null;
            });
            List<?> history = (List<?>) j.sendCommand(() -> "LATENCY".getBytes(), "HISTORY", "e");
            assertEquals(160, history.size());
            assertEquals(List.of(41L, 41L), history.get(0));
            assertEquals(List.of(200L, 200L), history.get(159));
        }
    }

    @Test
    void help() {
        try (TestServer server = TestServer.start(); Jedis j = new Jedis("127.0.0.1", server.port())) {
            List<?> help = (List<?>) Replies.text(j.sendCommand(() -> "LATENCY".getBytes(), "HELP"));
            assertEquals("LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", help.get(0));
            assertEquals("    Prints this help.", help.get(help.size() - 1));
            JedisDataException e = assertThrows(JedisDataException.class,
                    () -> j.sendCommand(() -> "LATENCY".getBytes(), "HISTORY"));
            assertEquals("ERR wrong number of arguments for 'latency|history' command", e.getMessage());
        }
    }

    @Test
    void lettuceReadsLatestAndDoctor() {
        try (TestServer server = TestServer.start()) {
            long now = System.currentTimeMillis() / 1000;
            server.onCommandThread(() -> {
                server.server().latency().addSample("command", now, 42);
                return null;
            });
            ProtocolKeyword latency = () -> "LATENCY".getBytes(StandardCharsets.US_ASCII);
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                List<Object> latest = c.sync().dispatch(latency, new ArrayOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("LATEST"));
                assertEquals(List.of(List.of("command", now, 42L, 42L)), latest);
                String doctor = c.sync().dispatch(latency, new StatusOutput<>(StringCodec.UTF8),
                        new CommandArgs<>(StringCodec.UTF8).add("DOCTOR"));
                assertTrue(doctor.contains("1. command: 1 latency spikes (average 42ms, mean deviation 0ms"), doctor);
            } finally {
                client.shutdown();
            }
        }
    }
}
