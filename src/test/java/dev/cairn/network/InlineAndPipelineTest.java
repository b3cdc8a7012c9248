package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Inline commands as typed into netcat, and deep pipelines, byte for byte as redis-server. */
class InlineAndPipelineTest {
    /** The seed's {@code echo -e "set k2 99\nincr k2\nget k2" | nc localhost PORT}, with commands this server has. */
    private static final String NC_SESSION = "set k2 99\necho k2\nget k2\n";

    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis();

    /** Sends the input, ends the sending side as {@code nc -N} does, and reads until the server closes. */
    private static String session(int port, String input) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            p.send(input);
            p.shutdownOutput();
            return p.readUntilClosed();
        }
    }

    @Test
    void anInlineSessionEndingItsInputGetsRedisBytesAndIsClosed() throws IOException {
        String expected = session(redis.port(), NC_SESSION);
        assertEquals("+OK\r\n$2\r\nk2\r\n$2\r\n99\r\n", expected);
        assertEquals(expected, session(cairn.port(), NC_SESSION));
        String mixed = "PING\r\n*2\r\n$4\r\nECHO\r\n$3\r\na b\r\n  echo   \"x\\ty\"   'z'  \r\nget missing\nSET a 1 XX\r\n";
        assertEquals(session(redis.port(), mixed), session(cairn.port(), mixed));
    }

    @Test
    void theRealNetcatPrintsWhatItPrintsForRedis() throws Exception {
        Assumptions.assumeTrue(new File("/usr/bin/nc").canExecute(), "netcat is not installed");
        String expected = netcat(redis.port());
        Assumptions.assumeTrue(!expected.isEmpty(), "this netcat does not support -N");
        assertEquals(expected, netcat(cairn.port()));
    }

    /** {@code printf '...' | nc -N 127.0.0.1 port}: -N shuts the socket down at the end of the input. */
    private static String netcat(int port) throws Exception {
        Process nc = new ProcessBuilder("/usr/bin/nc", "-N", "127.0.0.1", Integer.toString(port))
                .redirectErrorStream(true).start();
        try (OutputStream in = nc.getOutputStream()) {
            in.write(NC_SESSION.getBytes(StandardCharsets.US_ASCII));
        }
        try {
            String out = new String(nc.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!nc.waitFor(30, TimeUnit.SECONDS)) throw new AssertionError("nc did not finish");
            return nc.exitValue() == 0 ? out : "";
        } finally {
            nc.destroyForcibly();
        }
    }

    @Test
    void tenThousandPipelinedCommandsInOneWriteAreAnsweredInOrder() throws IOException {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            switch (i % 4) {
                case 0 -> pipeline.append(RawConnection.request("SET", "p" + i, "value" + i));
                case 1 -> pipeline.append(RawConnection.request("GET", "p" + (i - 1)));
                case 2 -> pipeline.append("ECHO ").append(i).append("\r\n");
                default -> pipeline.append(RawConnection.request("PING"));
            }
        }
        String[] replies = new String[2];
        int[] ports = {redis.port(), cairn.port()};
        for (int k = 0; k < 2; k++) {
            try (RawConnection p = new RawConnection(ports[k])) {
                p.send(pipeline.toString());
                StringBuilder all = new StringBuilder();
                for (int i = 0; i < 10_000; i++) all.append(p.readReply());
                replies[k] = all.toString();
            }
        }
        assertEquals(replies[0], replies[1]);
        assertEquals("+OK\r\n$6\r\nvalue0\r\n$1\r\n2\r\n+PONG\r\n", replies[1].substring(0, 31));
    }
}
