package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** client-output-buffer-limit for normal clients: hard limit, soft limit with its seconds, and the cron check. */
class OutputBufferLimitTest {
    private static final int VALUE = 2 * 1024 * 1024;

    @TempDir
    Path dir;

    private static void storeBigValue(int port) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            assertEquals("+OK\r\n", p.call("SET", "big", "x".repeat(VALUE)));
        }
    }

    /** Pipelines SET, GET big, GET k on a new connection and returns all it got before the server closed. */
    private static String overTheHardLimit(int port) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            String pipeline = RawConnection.request("SET", "k", "v") + RawConnection.request("GET", "big")
                    + RawConnection.request("GET", "k");
            return p.send(pipeline).readUntilClosed();
        }
    }

    @Test
    void theHardLimitClosesTheClientDroppingAllItsPendingOutputAsRedis() throws Exception {
        Path log = dir.resolve("cairn.log");
        String limit = "normal 1mb 0 0";
        try (TestServer cairn = TestServer.start("--client-output-buffer-limit", limit, "--logfile", log.toString());
                RealRedis redis = RealRedis.start("--client-output-buffer-limit", limit)) {
            storeBigValue(cairn.port());
            storeBigValue(redis.port());
            String fromRedis = overTheHardLimit(redis.port());
            assertEquals(fromRedis, overTheHardLimit(cairn.port()));
            assertEquals("", fromRedis);
            String text = Eventually.fileContains(log, "scheduled to be closed ASAP");
            assertTrue(Pattern.compile(" # Client " + ProtocolLimitsTest.CLIENT_INFO.replace("cmd=(?:NULL|[a-z|]+)", "cmd=get")
                    + " scheduled to be closed ASAP for overcoming of output buffer limits\\.\n").matcher(text).find(), text);
            // Other clients are unaffected, and a reply under the limit passes.
            try (RawConnection p = new RawConnection(cairn.port())) {
                assertEquals("+OK\r\n", p.call("SET", "small", "y".repeat(500_000)));
                assertEquals(500_000 + 11, p.call("GET", "small").length());
            }
        }
    }

    @Test
    void withoutLimitsNormalClientsGetAnyReply() throws Exception {
        try (TestServer s = TestServer.start(); RawConnection p = new RawConnection(s.port())) {
            assertEquals("+OK\r\n", p.call("SET", "big", "x".repeat(VALUE)));
            for (int i = 0; i < 3; i++) assertEquals(VALUE + 12, p.call("GET", "big").length());
        }
    }

    /**
     * Over the soft limit the client is tolerated for the soft seconds; the time it first went
     * over is only forgotten when it is checked under the limit, and a client whose output
     * all went out is not checked: a second big reply more than the soft seconds later
     * closes it, as in Redis.
     */
    @Test
    void theSoftLimitIsEnforcedAfterItsSecondsAsRedis() throws Exception {
        String limit = "normal 0 1mb 1";
        try (TestServer cairn = TestServer.start("--client-output-buffer-limit", limit);
                RealRedis redis = RealRedis.start("--client-output-buffer-limit", limit)) {
            storeBigValue(cairn.port());
            storeBigValue(redis.port());
            for (int port : new int[] {redis.port(), cairn.port()}) {
                try (RawConnection p = new RawConnection(port)) {
                    assertEquals(VALUE + 12, p.call("GET", "big").length(), "port " + port);
                    Thread.sleep(2_200);
                    p.command("GET", "big");
                    assertEquals("", p.readUntilClosed(), "port " + port);
                }
            }
        }
    }

    @Test
    // The soft window (3 s) is longer than the burst of GETs takes even on a loaded machine,
    // so it is the cron, not the command path, that finds the client over the limit.
    void aClientOverTheSoftLimitIsClosedByTheCronEvenWithoutTraffic() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (TestServer s = TestServer.start("--client-output-buffer-limit", "normal 0 1mb 3", "--logfile", log.toString())) {
            storeBigValue(s.port());
            try (RawConnection slow = RawConnection.slowReader(s.port())) {
                // 40 MB of replies that the client does not read: far more than socket buffers hold.
                slow.send(RawConnection.request("GET", "big").repeat(20));
                Eventually.fileContains(log, " closed for overcoming of output buffer limits.");
                assertTrue(slow.closedByServer());
            }
            try (RawConnection p = new RawConnection(s.port())) {
                assertEquals("+PONG\r\n", p.call("PING"));
            }
            assertEquals(1L, s.onCommandThread(() -> s.server().stats().clientOutputBufferLimitDisconnections));
        }
    }
}
