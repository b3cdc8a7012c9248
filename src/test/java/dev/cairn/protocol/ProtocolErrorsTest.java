package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sends the same malformed and well-formed raw input to Cairn and to the real
 * redis-server and expects byte-identical output, including where the connection closes.
 */
class ProtocolErrorsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    @RegisterExtension
    static final ServerFixture redis = ServerFixture.realRedis();

    private static String exchange(int port, String input) throws Exception {
        try (RawConnection c = new RawConnection(port)) {
            c.send(input);
            return c.readUntilClosed();
        }
    }

    @Test
    void closingInputsGiveRedisBytes() throws Exception {
        List<String> inputs = List.of(
                "*x\r\n",
                "PING\r\n*1\r\nx3\r\n",
                "*1\r\n$-5\r\n",
                "*1\r\n$abc\r\n",
                "set \"a b\r\n",
                "ECHO hello\r\n*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n*1\r\n$600000000\r\n",
                "x".repeat(70_000),
                "QUIT\r\nPING\r\n",
                "PING\r\nQUIT\r\n",
                "*1\r\n$4\r\nQUIT\r\n");
        for (String input : inputs) {
            String shown = input.length() > 60 ? input.substring(0, 60) + "..." : input;
            assertEquals(exchange(redis.port(), input), exchange(cairn.port(), input), "input: " + shown);
        }
    }

    @Test
    void inlineAndPipelinedRepliesMatchRedis() throws Exception {
        String input = "ping\r\necho \"a b\"\necho 'c'\r\n\r\n*0\r\n*-1\r\nPiNg hi\r\nping a b\r\n"
                + "unknowncmd a b\r\nSELECT 99\r\nSELECT x\r\nAUTH x\r\nHELLO 4\r\nHELLO x\r\nQUIT\r\n";
        assertEquals(exchange(redis.port(), input), exchange(cairn.port(), input));
    }

    @Test
    void aDeepPipelineIsAnsweredInOrder() throws Exception {
        StringBuilder sb = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("*2\r\n$4\r\nECHO\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
            expected.append('$').append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
        }
        try (RawConnection c = new RawConnection(cairn.port())) {
            c.send(sb.toString());
            assertEquals(expected.toString(), c.readLike(expected.toString()));
        }
    }

    @Test
    void garbageFromOneClientDoesNotDisturbAnother() throws Exception {
        try (RawConnection good = new RawConnection(cairn.port()); RawConnection bad = new RawConnection(cairn.port())) {
            good.command("SET", "k", "v");
            assertEquals("+OK\r\n", good.readLike("+OK\r\n"));
            bad.send("*1\r\n$4\r\nPI");
            bad.send("\u0000\u0001garbage\r\n*zz\r\n");
            assertTrue(bad.readUntilClosed().startsWith("-ERR"));
            good.command("GET", "k");
            assertEquals("$1\r\nv\r\n", good.readLike("$1\r\nv\r\n"));
        }
    }
}
