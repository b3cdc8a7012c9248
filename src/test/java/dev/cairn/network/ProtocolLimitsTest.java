package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** proto-max-bulk-len, client-query-buffer-limit, protocol error logging, and isolation from bad clients. */
class ProtocolLimitsTest {
    /** Redis's CLIENT LIST fields, as its log lines name a client. */
    static final String CLIENT_INFO = "id=\\d+ addr=127\\.0\\.0\\.1:\\d+ laddr=127\\.0\\.0\\.1:\\d+ fd=\\d+ name= age=\\d+ "
            + "idle=\\d+ flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 qbuf=\\d+ qbuf-free=\\d+ argv-mem=\\d+ multi-mem=0 "
            + "rbs=\\d+ rbp=\\d+ obl=\\d+ oll=\\d+ omem=\\d+ tot-mem=\\d+ events=rw? cmd=(?:NULL|[a-z|]+) user=default "
            + "redir=-1 resp=2";

    @TempDir
    Path dir;

    private static String setRequest(int valueLength) {
        return "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + valueLength + "\r\n" + "v".repeat(valueLength) + "\r\n";
    }

    /**
     * Sends input, tolerating the server closing before it has all of it; returns what it
     * sent back until it closed or fell quiet.
     */
    private static String exchange(int port, String input) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            try {
                p.send(input);
            } catch (IOException e) {
                // closed by the server while we were still writing
            }
            return p.readUntilClosedOrQuiet(300);
        }
    }

    @Test
    void protoMaxBulkLenLimitsEachArgumentAsRedis() throws Exception {
        try (TestServer cairn = TestServer.start("--proto-max-bulk-len", "1mb");
                RealRedis redis = RealRedis.start("--proto-max-bulk-len", "1mb")) {
            for (int length : new int[] {1024 * 1024, 1024 * 1024 + 1}) {
                String input = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$" + length + "\r\n";
                String fromRedis;
                String fromCairn;
                try (RawConnection r = new RawConnection(redis.port());
                        RawConnection c = new RawConnection(cairn.port())) {
                    r.send(input);
                    c.send(input);
                    if (length > 1024 * 1024) {
                        fromRedis = r.readUntilClosed();
                        fromCairn = c.readUntilClosed();
                    } else {
                        String value = "v".repeat(length) + "\r\n";
                        fromRedis = r.send(value).readReply();
                        fromCairn = c.send(value).readReply();
                    }
                }
                assertEquals(fromRedis, fromCairn);
                assertEquals(length > 1024 * 1024 ? "-ERR Protocol error: invalid bulk length\r\n" : "+OK\r\n", fromCairn);
            }
        }
    }

    @Test
    void aQueryBufferOverTheLimitClosesTheClientAndIsLogged() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (TestServer s = TestServer.start("--client-query-buffer-limit", "1mb", "--logfile", log.toString())) {
            try (RawConnection p = new RawConnection(s.port())) {
                try {
                    p.send(setRequest(2 * 1024 * 1024));
                } catch (IOException e) {
                    // the server closed while we were still writing
                }
                assertTrue(p.closedByServer());
            }
            String text = Eventually.fileContains(log, "Closing client that reached max query buffer length");
            assertTrue(Pattern.compile("\\d+:M \\d\\d \\w{3} \\d{4} [\\d:.]+ # Closing client that reached max query "
                    + "buffer length: " + CLIENT_INFO + " \\(qbuf initial bytes: \"v{64}\"\\)\n").matcher(text).find(), text);
            // Redis 7.0 counts the request being read, not the arguments already parsed: under the
            // limit each, these pass.
            try (RawConnection p = new RawConnection(s.port())) {
                assertEquals("+OK\r\n", p.send(setRequest(900 * 1024)).readReply());
                String big = "x".repeat(600_000);
                assertEquals("+OK\r\n", p.call("SET", big, big));
            }
        }
    }

    @Test
    void protocolErrorsAreLoggedAsRedisAtVerbose() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (TestServer s = TestServer.start("--loglevel", "verbose", "--logfile", log.toString())) {
            exchange(s.port(), "*1\r\n$-5\r\n");
            exchange(s.port(), "*abc\r\n");
            exchange(s.port(), "*1\r\nfoo\r\n");
            exchange(s.port(), "set \"a b\r\n");
            exchange(s.port(), "x".repeat(70_000));
            String text = Eventually.fileContains(log, "too big inline request");
            String prefix = "\\d+:M \\d\\d \\w{3} \\d{4} [\\d:.]+ - Protocol error \\(";
            for (String expected : List.of(
                    "invalid bulk length\\) from client: " + CLIENT_INFO + "\\. Query buffer during protocol error: '\\$-5\\.\\.'",
                    "invalid mbulk count\\) from client: " + CLIENT_INFO + "\\. Query buffer during protocol error: '\\*abc\\.\\.'",
                    "expected \\$ but got something else\\) from client: " + CLIENT_INFO
                            + "\\. Query buffer during protocol error: 'foo\\.\\.'",
                    "unbalanced quotes in inline request\\) from client: " + CLIENT_INFO
                            + "\\. Query buffer during protocol error: 'set \"a b\\.\\.'",
                    "too big inline request\\) from client: " + CLIENT_INFO
                            + "\\. Query buffer during protocol error: 'x{64}' \\(\\.\\.\\. more \\d+ bytes \\.\\.\\.\\) 'x{64}'")) {
                assertTrue(Pattern.compile(prefix + expected + "\n").matcher(text).find(), expected + "\nin:\n" + text);
            }
            assertTrue(text.contains(" - Accepted 127.0.0.1:"), text);
        }
    }

    @Test
    void garbageAndHugeRequestsFromOneClientNeverDisturbAnother() throws Exception {
        List<String> attacks = List.of(
                "*1\r\n$999999999999\r\n",
                "*-\r\n",
                "\u0000\u0001\u0002\u00ff\r\n*zz\r\n",
                "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1073741824\r\n",
                "x".repeat(70_000),
                "*" + "9".repeat(70_000),
                "*2\r\n$4\r\nECHO\r\n$" + "9".repeat(70_000),
                "\"unbalanced\r\n",
                setRequest(3 * 1024 * 1024),
                "*1\r\n$4\r\nPI",
                "GET \u0000\u0000\r\n" + "PING\r\n".repeat(10_000));
        try (TestServer s = TestServer.start("--client-query-buffer-limit", "2mb");
                RawConnection good = new RawConnection(s.port())) {
            AtomicBoolean done = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread attacker = Thread.ofPlatform().start(() -> {
                try {
                    for (int round = 0; round < 5; round++) {
                        for (String attack : attacks) exchange(s.port(), attack);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                } finally {
                    done.set(true);
                }
            });
            int i = 0;
            try {
                while (!done.get() || i < 100) {
                    String value = "value-" + i;
                    assertEquals("+OK\r\n", good.call("SET", "key" + i, value));
                    assertEquals("$" + value.length() + "\r\n" + value + "\r\n", good.call("GET", "key" + i));
                    assertEquals("+PONG\r\n", good.call("PING"));
                    i++;
                }
            } finally {
                attacker.join();
            }
            if (failure.get() != null) throw new AssertionError(failure.get());
            assertEquals("+PONG\r\n", good.call("PING"));
        }
    }

    @Test
    void garbageGetsRedisBytes() throws Exception {
        List<String> inputs = new ArrayList<>(List.of(
                "GET \u0000\u0000\r\n",
                "\u0000abc\r\n",
                "*2\r\n$3\r\nGET\r\n$3\r\na\u0000b\r\n*1\r\n$3\r\nNO\u0000\r\n",
                "*1\r\n$-1\r\n",
                "*1\r\n$0\r\n\r\n",
                "*-5\r\nPING\r\n",
                "*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n",
                "   \t PING   \r\n",
                "\n\n\r\nPING\n",
                "*1\u0000\r\n$4\r\nPING\r\n",
                "*1\r\n$4\u0000\r\nPING\r\n"));
        try (TestServer cairn = TestServer.start(); RealRedis redis = RealRedis.start()) {
            for (String input : inputs) {
                assertEquals(exchangeUntilQuiet(redis.port(), input), exchangeUntilQuiet(cairn.port(), input),
                        input.replace("\u0000", "\\0"));
            }
        }
    }

    /**
     * The replies to input followed by QUIT, until the server closes or falls quiet: Redis
     * looks for line ends with strchr, so a NUL byte before one leaves it waiting for more.
     */
    private static String exchangeUntilQuiet(int port, String input) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            return p.send(input + "\r\nQUIT\r\n").readUntilClosedOrQuiet(500);
        }
    }
}
