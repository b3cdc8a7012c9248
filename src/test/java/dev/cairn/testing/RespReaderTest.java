package dev.cairn.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RespReader returns each reply whole and leaves the next one in the stream. */
class RespReaderTest {
    private static InputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readsEveryTypeOneReplyAtATime() throws IOException {
        String[] replies = {
            "+OK\r\n", "-ERR bad\r\n", ":-12\r\n", "$5\r\na\r\nbc\r\n", "$-1\r\n", "*-1\r\n", "$0\r\n\r\n",
            "*3\r\n:1\r\n*1\r\n$1\r\nx\r\n_\r\n", "_\r\n", ",3.14\r\n", "#t\r\n", "(12345678901234567890\r\n",
            "!9\r\nERR boom!\r\n", "=8\r\ntxt:abcd\r\n", "%2\r\n+a\r\n:1\r\n$1\r\nb\r\n*0\r\n", "~2\r\n:1\r\n:2\r\n",
            ">2\r\n$7\r\nmessage\r\n$2\r\nhi\r\n", "|1\r\n+ttl\r\n:3\r\n$1\r\nv\r\n",
            "$?\r\n;3\r\nabc\r\n;2\r\nde\r\n;0\r\n", "*?\r\n:1\r\n$1\r\nz\r\n.\r\n", "%?\r\n+k\r\n:1\r\n.\r\n",
        };
        RespReader reader = new RespReader(stream(String.join("", replies)));
        for (String expected : replies) assertEquals(expected, reader.read());
    }

    @Test
    void truncatedRepliesFail() {
        assertThrows(EOFException.class, () -> new RespReader(stream("$5\r\nab")).read());
        assertThrows(EOFException.class, () -> new RespReader(stream("*2\r\n:1\r\n")).read());
        assertThrows(IOException.class, () -> new RespReader(stream("?\r\n")).read());
    }
}
