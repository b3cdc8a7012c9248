package dev.cairn.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    private static final RequestParser.Limits OPEN = new RequestParser.Limits() {
        @Override
        public long maxBulkLength() {
            return 512L * 1024 * 1024;
        }

        @Override
        public boolean authRequired() {
            return false;
        }
    };

    private static final RequestParser.Limits UNAUTHENTICATED = new RequestParser.Limits() {
        @Override
        public long maxBulkLength() {
            return 512L * 1024 * 1024;
        }

        @Override
        public boolean authRequired() {
            return true;
        }
    };

    /** Feeds the input split at {@code cut} and returns every request parsed. */
    private static List<List<String>> parseSplit(String input, int cut) throws Exception {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        RequestParser parser = new RequestParser(OPEN);
        ByteBuf buf = Unpooled.buffer();
        List<List<String>> requests = new ArrayList<>();
        try {
            buf.writeBytes(bytes, 0, cut);
            drain(parser, buf, requests);
            buf.discardReadBytes();
            buf.writeBytes(bytes, cut, bytes.length - cut);
            drain(parser, buf, requests);
            assertFalse(buf.isReadable(), "bytes left over");
        } finally {
            buf.release();
        }
        return requests;
    }

    private static void drain(RequestParser parser, ByteBuf buf, List<List<String>> into) throws Exception {
        byte[][] argv;
        while ((argv = parser.next(buf)) != null) {
            List<String> words = new ArrayList<>();
            for (byte[] a : argv) words.add(new String(a, StandardCharsets.ISO_8859_1));
            into.add(words);
        }
    }

    @Test
    void multibulkAndInlineParseTheSameAtEveryBoundary() throws Exception {
        String input = "*3\r\n$3\r\nSET\r\n$2\r\nk1\r\n$5\r\nhe\r\nl\r\n"
                + "get k1\r\n"
                + "\r\n"
                + "set \"a b\" 'c\\'d' \"\\x41\\n\"\n"
                + "*0\r\n"
                + "*-1\r\n"
                + "*1\r\n$4\r\nPING\r\n";
        List<List<String>> expected = List.of(
                List.of("SET", "k1", "he\r\nl"),
                List.of("get", "k1"),
                List.of("set", "a b", "c'd", "A\n"),
                List.of("PING"));
        for (int cut = 0; cut <= input.length(); cut++) {
            assertEquals(expected, parseSplit(input, cut), "split at " + cut);
        }
    }

    private static String errorOf(String input, RequestParser.Limits limits) {
        RequestParser parser = new RequestParser(limits);
        ByteBuf buf = Unpooled.copiedBuffer(input, StandardCharsets.ISO_8859_1);
        try {
            RequestParser.ProtocolException e = assertThrows(RequestParser.ProtocolException.class, () -> {
                while (parser.next(buf) != null) {
                    // keep parsing until the error
                }
                throw new AssertionError("no protocol error");
            });
            return e.getMessage();
        } finally {
            buf.release();
        }
    }

    @Test
    void protocolErrorsUseRedisTexts() {
        assertEquals("ERR Protocol error: invalid multibulk length", errorOf("*x\r\n", OPEN));
        assertEquals("ERR Protocol error: invalid multibulk length", errorOf("*3000000000\r\n", OPEN));
        assertEquals("ERR Protocol error: expected '$', got 'x'", errorOf("*1\r\nx3\r\n", OPEN));
        assertEquals("ERR Protocol error: invalid bulk length", errorOf("*1\r\n$-5\r\n", OPEN));
        assertEquals("ERR Protocol error: invalid bulk length", errorOf("*1\r\n$abc\r\n", OPEN));
        assertEquals("ERR Protocol error: invalid bulk length", errorOf("*1\r\n$600000000\r\n", OPEN));
        assertEquals("ERR Protocol error: unbalanced quotes in request", errorOf("set \"a b\n", OPEN));
        assertEquals("ERR Protocol error: too big inline request", errorOf("x".repeat(70_000), OPEN));
        assertEquals("ERR Protocol error: too big mbulk count string", errorOf("*" + "1".repeat(70_000), OPEN));
        assertEquals("ERR Protocol error: unauthenticated multibulk length", errorOf("*11\r\n", UNAUTHENTICATED));
        assertEquals("ERR Protocol error: unauthenticated bulk length", errorOf("*1\r\n$16385\r\n", UNAUTHENTICATED));
    }

    @Test
    void aHugeCountDoesNotAllocateUpFront() throws Exception {
        RequestParser parser = new RequestParser(OPEN);
        ByteBuf buf = Unpooled.copiedBuffer("*2000000000\r\n$1\r\na\r\n", StandardCharsets.ISO_8859_1);
        try {
            assertNull(parser.next(buf));
            assertEquals(1, parser.pendingArgumentBytes());
        } finally {
            buf.release();
        }
    }

    @Test
    void splitArgsFollowsSdssplitargs() {
        assertArrayEquals(new byte[][] {"a".getBytes(), "b c".getBytes()},
                RequestParser.splitArgs("a \"b c\"".getBytes()).toArray(new byte[0][]));
        assertNull(RequestParser.splitArgs("\"a\"b".getBytes()), "closing quote must be followed by a space");
        assertNull(RequestParser.splitArgs("'abc".getBytes()));
        assertEquals(0, RequestParser.splitArgs("   ".getBytes()).size());
    }
}
