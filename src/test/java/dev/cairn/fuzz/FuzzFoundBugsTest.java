package dev.cairn.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for the divergences {@link DifferentialFuzzTest} found, one per bug,
 * each named after it. Every request goes to Cairn and to a real redis-server 7.0 and
 * the raw replies must be the same; the expected bytes are spelled out too, so that a
 * test reads as the behaviour it pins.
 */
class FuzzFoundBugsTest {
    private static RealRedis real;
    private static TestServer cairn;

    @BeforeAll
    static void start() {
        real = RealRedis.start();
        cairn = TestServer.start();
    }

    @AfterAll
    static void stop() {
        cairn.close();
        real.close();
    }

    /** Both servers on fresh connections: sends each request and collects the replies. */
    private static List<String> bothReply(String... requests) throws IOException {
        List<String> replies = new ArrayList<>();
        try (RawConnection expected = new RawConnection(real.port()); RawConnection actual = new RawConnection(cairn.port())) {
            for (String request : requests) {
                String want = expected.send(request).readReply();
                String got = actual.send(request).readReply();
                assertEquals(want, got, "reply to " + request);
                replies.add(got);
            }
        }
        return replies;
    }

    private static String command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return sb.toString();
    }

    @Test
    void unknownCommandErrorQuotesTheFirst128BytesOfAnArgument() throws IOException {
        String x150 = "x".repeat(150);
        assertEquals(List.of("-ERR unknown command 'foo', with args beginning with: '" + "x".repeat(128) + "' \r\n"),
                bothReply(command("foo", x150)));
        assertEquals(List.of("-ERR unknown command 'foo', with args beginning with: 'ab' '" + "x".repeat(123) + "' \r\n"),
                bothReply(command("foo", "ab", x150, "more")));
    }

    @Test
    void helloKeepsANameSetBeforeABadOption() throws IOException {
        assertEquals(List.of("-ERR Syntax error in HELLO option 'FOO'\r\n", "$4\r\nfuzz\r\n"),
                bothReply(command("HELLO", "3", "SETNAME", "fuzz", "FOO"), command("CLIENT", "GETNAME")));
    }

    @Test
    void helloChecksEachAuthPairBeforeReadingFurtherOptions() throws IOException {
        // The first pair (AUTH, nobody) fails before the lone "" could be a syntax error.
        assertEquals(List.of("-WRONGPASS invalid username-password pair or user is disabled.\r\n"),
                bothReply(command("HELLO", "3", "AUTH", "AUTH", "nobody", "")));
        // A good pair logs in; the option after it is then the error.
        assertEquals(List.of("-ERR Syntax error in HELLO option 'SETNAME'\r\n"),
                bothReply(command("HELLO", "2", "AUTH", "default", "pw", "SETNAME")));
    }

    @Test
    void helloAuthWithTheDefaultUserSucceedsWithoutAPassword() throws IOException {
        List<String> replies = bothReplyIgnoringIds(command("HELLO", "2", "AUTH", "default", "any"));
        assertEquals(true, replies.get(0).startsWith("*14\r\n$6\r\nserver\r\n"), replies.get(0));
    }

    /** HELLO replies carry the connection id, which differs between the servers. */
    private static List<String> bothReplyIgnoringIds(String request) throws IOException {
        try (RawConnection expected = new RawConnection(real.port()); RawConnection actual = new RawConnection(cairn.port())) {
            String want = expected.send(request).readReply().replaceFirst("id\r\n:\\d+", "id\r\n:?");
            String got = actual.send(request).readReply().replaceFirst("id\r\n:\\d+", "id\r\n:?");
            assertEquals(want, got);
            return List.of(got);
        }
    }

    @Test
    void clientReplyOnAnswersEvenWhenSkipWouldDropItsReply() throws IOException {
        String request = command("CLIENT", "REPLY", "SKIP") + command("CLIENT", "REPLY", "ON") + command("PING");
        assertEquals(List.of("+OK\r\n", "+PONG\r\n"), bothReplyToPipeline(request, 2));
        // RESET does not cancel the skip: it is silent, and the next command answers.
        request = command("CLIENT", "REPLY", "SKIP") + command("RESET") + command("PING");
        assertEquals(List.of("+PONG\r\n"), bothReplyToPipeline(request, 1));
    }

    private static List<String> bothReplyToPipeline(String request, int replies) throws IOException {
        List<String> out = new ArrayList<>();
        try (RawConnection expected = new RawConnection(real.port()); RawConnection actual = new RawConnection(cairn.port())) {
            expected.send(request);
            actual.send(request);
            for (int i = 0; i < replies; i++) {
                String want = expected.readReply();
                assertEquals(want, actual.readReply());
                out.add(want);
            }
            // Nothing more: a PING now is answered by the next reply.
            assertEquals("+PONG\r\n", expected.send(command("PING")).readReply());
            assertEquals("+PONG\r\n", actual.send(command("PING")).readReply());
        }
        return out;
    }

    @Test
    void tcpKeepaliveAboveTheKernelLimitStillAcceptsConnections() throws IOException {
        try {
            assertEquals(List.of("+OK\r\n"), bothReply(command("CONFIG", "SET", "tcp-keepalive", "1048576")));
            // Linux refuses TCP_KEEPIDLE over 32767 s; the connection is accepted all the same.
            assertEquals(List.of("+PONG\r\n"), bothReply(command("PING")));
        } finally {
            bothReply(command("CONFIG", "SET", "tcp-keepalive", "300"));
        }
    }

    @Test
    void errorTextsPrintArgumentsUpToANulByte() throws IOException {
        assertEquals(List.of("-ERR Unsupported option n\r\n"), bothReply(command("PEXPIRE", "k", "100000", "n\0x")));
        assertEquals(List.of("-ERR Syntax error in HELLO option 'o'\r\n"), bothReply(command("HELLO", "2", "o\0p")));
        assertEquals(List.of("-ERR Unknown client type 'bo'\r\n"), bothReply(command("CLIENT", "KILL", "TYPE", "bo\0gus")));
        assertEquals(List.of("-ERR Unknown option or number of arguments for CONFIG SET - 'no'\r\n"),
                bothReply(command("CONFIG", "SET", "no\0such", "1")));
        assertEquals(List.of("-ERR unknown command 'a', with args beginning with: 'x' '' \r\n"),
                bothReply(command("a\0b", "x\0y", "\0")));
    }

    @Test
    void copyOfASharedIntegerIsAPrivateObject() throws IOException {
        assertEquals(List.of("+OK\r\n", ":1\r\n", ":2147483647\r\n", ":1\r\n", "$3\r\nint\r\n", ":1\r\n"),
                bothReply(command("SET", "shared", "5"), command("COPY", "shared", "copied", "REPLACE"),
                        command("OBJECT", "REFCOUNT", "shared"), command("OBJECT", "REFCOUNT", "copied"),
                        command("OBJECT", "ENCODING", "copied"), command("DEL", "copied")));
        // Replacing the copy's value makes it shared again.
        assertEquals(List.of(":1\r\n", ":6\r\n", ":2147483647\r\n"),
                bothReply(command("COPY", "shared", "copied"), command("INCR", "copied"),
                        command("OBJECT", "REFCOUNT", "copied")));
        bothReply(command("DEL", "shared", "copied"));
    }

    @Test
    void helloBeforeAuthenticatingGivesRedis70sNoauthText() throws IOException {
        bothReply(command("CONFIG", "SET", "requirepass", "secret"));
        try {
            assertEquals(List.of("-NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time\r\n"), bothReply(command("HELLO", "3")));
        } finally {
            bothReply(command("AUTH", "secret"), command("CONFIG", "SET", "requirepass", ""));
        }
    }

    @Test
    void bitfieldSatSetOfAHugeNegativeValueSaturatesHighAsRedisDoes() throws IOException {
        // max - value wraps past 64 bits in Redis's overflow test for values this low.
        assertEquals(List.of("*4\r\n:0\r\n:127\r\n:127\r\n:-128\r\n", ":1\r\n"),
                bothReply(command("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "i8", "0", "-9223372036854775807",
                        "GET", "i8", "0", "SET", "i8", "0", "-9223372036854775680", "GET", "i8", "0"),
                        command("DEL", "bf")));
        assertEquals(List.of("*2\r\n:0\r\n:1125899906842623\r\n", ":1\r\n"),
                bothReply(command("BITFIELD", "bf", "OVERFLOW", "SAT", "SET", "i51", "62", "-9223372036854775808",
                        "GET", "i51", "62"), command("DEL", "bf")));
    }

    @Test
    void copyOfAnIncrbyfloatResultStaysEmbstr() throws IOException {
        assertEquals(List.of("$5\r\n10000\r\n", ":1\r\n", "$6\r\nembstr\r\n", "$6\r\nembstr\r\n", ":2\r\n"),
                bothReply(command("INCRBYFLOAT", "float", "10000"), command("COPY", "float", "copied", "REPLACE"),
                        command("OBJECT", "ENCODING", "float"), command("OBJECT", "ENCODING", "copied"),
                        command("DEL", "float", "copied")));
    }

    @Test
    void anEmptyRequestUsesUpAClientReplySkip() throws IOException {
        for (String empty : List.of("*0\r\n", "*-1\r\n", "\r\n", "\n", "   \r\n")) {
            String request = command("CLIENT", "REPLY", "SKIP") + empty + command("PING", "answered");
            assertEquals(List.of("$8\r\nanswered\r\n"), bothReplyToPipeline(request, 1), "after " + empty);
        }
    }

    @Test
    void aNulByteHidesTheEndOfAnInlineRequest() throws IOException {
        // Redis finds the newline with strchr: the request never ends, and grows too big.
        try (RawConnection expected = new RawConnection(real.port()); RawConnection actual = new RawConnection(cairn.port())) {
            String request = "GET a\0b\r\nPING\r\n" + "x".repeat(70_000);
            String want = expected.send(request).readReply();
            assertEquals("-ERR Protocol error: too big inline request\r\n", want);
            assertEquals(want, actual.send(request).readReply());
        }
    }

    @Test
    void errorTextsDropLineBreaksAtTheirEnd() throws IOException {
        assertEquals(List.of("-ERR Unsupported option x\r\n", "-ERR Unsupported option a b\r\n"),
                bothReply(command("EXPIRE", "k", "100", "x\r\n\r"), command("EXPIRE", "k", "100", "a\nb\r")));
    }
}
