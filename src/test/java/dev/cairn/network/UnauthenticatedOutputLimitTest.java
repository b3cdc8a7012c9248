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

/**
 * CVE-2025-21605 as fixed in Redis 7.0.15: a client that has not authenticated is closed as
 * soon as its replies overflow the 16 KB static buffer, whatever client-output-buffer-limit
 * says. Compared with redis-server on the same pipelines.
 */
class UnauthenticatedOutputLimitTest {
    /** "-NOAUTH Authentication required.\r\n" is 34 bytes: 481 of them fit in 16 KB, 482 do not. */
    private static final int FITTING = 481;

    @TempDir
    Path dir;

    /**
     * What the server answers to a pipeline ended by QUIT (which needs no authentication), up
     * to the close: the whole answer, or what came before the server closed the connection.
     */
    private static String pipeline(int port, String text) throws IOException {
        try (RawConnection c = new RawConnection(port)) {
            c.send(text + "QUIT\r\n");
            return c.readUntilClosed();
        }
    }

    private static void sameAsRedis(RealRedis redis, TestServer cairn, String text) throws IOException {
        String theirs = pipeline(redis.port(), text);
        assertEquals(theirs, pipeline(cairn.port(), text));
    }

    @Test
    void repliesPastTheStaticBufferCloseAnUnauthenticatedClientAsRedis() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (RealRedis redis = RealRedis.start("--requirepass", "secret");
                TestServer cairn = TestServer.start("--requirepass", "secret", "--logfile", log.toString())) {
            String ping = "PING\r\n";
            sameAsRedis(redis, cairn, ping.repeat(FITTING));
            assertEquals(FITTING * 34 + 5, pipeline(cairn.port(), ping.repeat(FITTING)).length());
            // One more reply and the client is closed with nothing sent.
            sameAsRedis(redis, cairn, ping.repeat(FITTING + 1));
            assertEquals("", pipeline(cairn.port(), ping.repeat(FITTING + 1)));
            sameAsRedis(redis, cairn, ping.repeat(3000));
            String text = Eventually.fileContains(log, "scheduled to be closed ASAP");
            assertTrue(Pattern.compile(" # Client " + ProtocolLimitsTest.CLIENT_INFO.replace("cmd=(?:NULL|[a-z|]+)", "cmd=ping")
                    + " scheduled to be closed ASAP for overcoming of output buffer limits\\.\n").matcher(text).find(), text);
        }
    }

    @Test
    void onceAuthenticatedTheUsualLimitsApplyAsRedis() throws Exception {
        try (RealRedis redis = RealRedis.start("--requirepass", "secret");
                TestServer cairn = TestServer.start("--requirepass", "secret")) {
            // AUTH pipelined behind failing commands, still within the static buffer.
            String text = "PING\r\n".repeat(FITTING) + "AUTH secret\r\n" + "PING\r\n".repeat(3000);
            sameAsRedis(redis, cairn, text);
            String reply = pipeline(cairn.port(), text);
            assertEquals(FITTING * 34 + 5 + 3000 * 7 + 5, reply.length());
        }
    }

    @Test
    void withoutAPasswordNothingChanges() throws Exception {
        try (TestServer cairn = TestServer.start()) {
            assertEquals(3000 * 7 + 5, pipeline(cairn.port(), "PING\r\n".repeat(3000)).length());
        }
    }
}
