package dev.cairn.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads exactly one complete RESP2 or RESP3 reply from a stream and returns its raw
 * bytes as text (Latin-1, one char per byte), so that tests can compare replies byte
 * for byte without knowing their length in advance. Handles every type: simple
 * strings, errors, integers, bulk strings, arrays, and RESP3's null, double, boolean,
 * big number, blob error, verbatim string, map, set, push and attribute (an attribute is
 * returned together with the reply it annotates), including streamed ({@code ?}) lengths.
 *
 * <p>Does not buffer beyond the reply: the next reply is still in the stream. {@link
 * #parse} turns a RESP2 reply read this way into values, for replies compared by
 * content rather than by bytes (elements in an unspecified order, cursors).
 */
public final class RespReader {
    private final InputStream in;

    public RespReader(InputStream in) {
        this.in = in;
    }

    /** The next complete reply, byte for byte. */
    public String read() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readReply(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private void readReply(ByteArrayOutputStream out) throws IOException {
        readReplyOfType(out, readByte(out));
    }

    /** A reply whose type byte has already been read (and copied). */
    private void readReplyOfType(ByteArrayOutputStream out, int type) throws IOException {
        String rest = readLine(out);
        switch (type) {
            case '+', '-', ':', '_', ',', '#', '(' -> { }
            case '$', '!', '=' -> {
                if (rest.equals("?")) readStreamedString(out);
                else readBytes(out, Long.parseLong(rest));
            }
            case '*', '~', '>' -> readElements(out, rest, 1);
            case '%' -> readElements(out, rest, 2);
            case '|' -> {
                readElements(out, rest, 2);
                readReply(out);
            }
            default -> throw new IOException("not a RESP type: " + (char) type + rest);
        }
    }

    /** A bulk payload of {@code length} bytes and its CRLF; nothing for a null (-1). */
    private void readBytes(ByteArrayOutputStream out, long length) throws IOException {
        if (length < 0) return;
        byte[] data = in.readNBytes((int) length + 2);
        if (data.length != length + 2) throw new EOFException("truncated bulk string");
        out.write(data);
    }

    /** Chunks ({@code ;len}) until the zero-length one. */
    private void readStreamedString(ByteArrayOutputStream out) throws IOException {
        while (true) {
            readByte(out);
            long length = Long.parseLong(readLine(out));
            if (length == 0) return;
            readBytes(out, length);
        }
    }

    /** {@code count} entries (or until {@code .} when streamed) of {@code perEntry} replies each. */
    private void readElements(ByteArrayOutputStream out, String count, int perEntry) throws IOException {
        if (count.equals("?")) {
            while (true) {
                int type = readByte(out);
                if (type == '.') {
                    readLine(out);
                    return;
                }
                readReplyOfType(out, type);
                for (int i = 1; i < perEntry; i++) readReply(out);
            }
        }
        long n = Long.parseLong(count);
        for (long i = 0; i < n * perEntry; i++) readReply(out);
    }

    private int readByte(ByteArrayOutputStream out) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("connection closed mid-reply");
        out.write(b);
        return b;
    }

    /** One line up to CRLF, copied to {@code out} with its CRLF; returned without it. */
    private String readLine(ByteArrayOutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) throw new EOFException("connection closed mid-reply");
            out.write(b);
            if (b == '\r') {
                int lf = in.read();
                if (lf < 0) throw new EOFException("connection closed mid-reply");
                out.write(lf);
                if (lf == '\n') return line.toString();
                line.append('\r').append((char) lf);
            } else {
                line.append((char) b);
            }
        }
    }

    /**
     * The value of one complete RESP2 reply as {@link #read} returns it: a simple string or
     * error as its line with the type byte ({@code "+OK"}, {@code "-ERR ..."}), an integer as
     * a Long, a bulk string as its text (one char per byte), an array as a List, a null
     * bulk string or array as null.
     */
    public static Object parse(String reply) {
        Cursor cursor = new Cursor(reply);
        Object value = cursor.value();
        if (cursor.at != reply.length()) throw new IllegalArgumentException("more than one reply: " + reply);
        return value;
    }

    /** A position in a reply being parsed. */
    private static final class Cursor {
        private final String reply;
        private int at;

        Cursor(String reply) {
            this.reply = reply;
        }

        Object value() {
            char type = reply.charAt(at);
            int end = reply.indexOf("\r\n", at);
            String line = reply.substring(at + 1, end);
            at = end + 2;
            switch (type) {
                case '+', '-' -> {
                    return type + line;
                }
                case ':' -> {
                    return Long.parseLong(line);
                }
                case '$' -> {
                    int length = Integer.parseInt(line);
                    if (length < 0) return null;
                    String text = reply.substring(at, at + length);
                    at += length + 2;
                    return text;
                }
                case '*' -> {
                    int count = Integer.parseInt(line);
                    if (count < 0) return null;
                    List<Object> elements = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) elements.add(value());
                    return elements;
                }
                default -> throw new IllegalArgumentException("not a RESP2 reply: " + type + line);
            }
        }
    }
}
