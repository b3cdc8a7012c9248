package dev.cairn.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a client's query bytes into commands: RESP multibulk requests
 * ({@code *2\r\n$3\r\nGET\r\n$1\r\nk\r\n}) and inline requests ({@code GET k\n}), following
 * Redis 7.0's {@code processMultibulkBuffer} and {@code processInlineBuffer} rule for rule,
 * including their error texts.
 *
 * <p>The parser is a state machine over one multibulk request: a request split across
 * many reads is resumed where it stopped, so a huge MSET is never re-parsed. Lengths are
 * checked before anything is allocated. After a {@link ProtocolException} the parser is
 * spent: the connection must send the error and close.
 *
 * <p>Buffer ownership: the parser reads from the caller's buffer and copies each argument
 * out; it never retains or releases the buffer.
 */
public final class RequestParser {
    /** Redis's PROTO_INLINE_MAX_SIZE: longest inline request or count line. */
    public static final int INLINE_MAX = 64 * 1024;
    /** Limits Redis applies before a client has authenticated. */
    private static final int UNAUTH_MAX_ARGS = 10;
    private static final int UNAUTH_MAX_BULK = 16384;

    /** What the parser needs to know about the connection, read at each length check. */
    public interface Limits {
        long maxBulkLength();

        boolean authRequired();
    }

    /** Line-end searches that stop at a NUL byte, as Redis's strchr does. */
    private static final ByteProcessor CR_OR_NUL = b -> b != '\r' && b != 0;
    private static final ByteProcessor LF_OR_NUL = b -> b != '\n' && b != 0;

    private final Limits limits;
    private byte[][] args;
    private int argCount;
    private int expected;
    private long bulkLength = -1;
    private boolean skippedEmpty;

    public RequestParser(Limits limits) {
        this.limits = limits;
    }

    /** Bytes held by a partially read request's arguments (for CLIENT LIST's argv-mem). */
    public long pendingArgumentBytes() {
        long total = 0;
        for (int i = 0; i < argCount; i++) total += args[i].length;
        return total;
    }

    /** True when a multibulk request has started but is not complete. */
    public boolean inRequest() {
        return args != null;
    }

    /**
     * Reads the next complete request from {@code in}.
     *
     * @return the arguments (never empty), or null when more bytes are needed
     * @throws ProtocolException on malformed input; the reply text is its message
     */
    public byte[][] next(ByteBuf in) throws ProtocolException {
        while (in.isReadable()) {
            if (args == null && in.getByte(in.readerIndex()) != '*') {
                byte[][] inline = parseInline(in);
                if (inline == null) return null;
                if (inline.length > 0) return inline;
                skippedEmpty = true; // an empty line is skipped, as in Redis
                continue;
            }
            byte[][] request = parseMultibulk(in);
            if (request == null) return null;
            if (request.length > 0) return request;
            skippedEmpty = true;
        }
        return null;
    }

    /**
     * Whether an empty request (a blank line, {@code *0}, {@code *-1}) was skipped since
     * the last call. Redis still ends a request there: it uses up a CLIENT REPLY SKIP.
     */
    public boolean takeSkippedEmptyRequest() {
        boolean s = skippedEmpty;
        skippedEmpty = false;
        return s;
    }

    private byte[][] parseMultibulk(ByteBuf in) throws ProtocolException {
        if (args == null) {
            // At most 10 arguments: allowed even before AUTH, so no check is skipped.
            long count = readShortHeader(in, (byte) '*', UNAUTH_MAX_ARGS);
            if (count < 0) {
                count = readCountLine(in);
                if (count < 0) return null;
                if (count == 0) return new byte[0][];
            }
            startRequest((int) count);
        }
        return parseArguments(in);
    }

    /**
     * Reads a count line by the general rules: the count, 0 for a request with no
     * arguments ({@code *0}, {@code *-1}), or -1 when the line is not complete yet.
     */
    private long readCountLine(ByteBuf in) throws ProtocolException {
        int cr = lineEnd(in, '\r');
        if (cr < 0) {
            if (in.readableBytes() > INLINE_MAX) throw new ProtocolException("too big mbulk count string");
            return -1;
        }
        if (cr + 1 >= in.writerIndex()) return -1; // the LF is not here yet
        long count = parseLong(in, in.readerIndex() + 1, cr);
        if (count == Long.MIN_VALUE || count > Integer.MAX_VALUE) {
            throw new ProtocolException("invalid multibulk length");
        }
        if (count > UNAUTH_MAX_ARGS && limits.authRequired()) {
            throw new ProtocolException("unauthenticated multibulk length");
        }
        in.readerIndex(cr + 2);
        return Math.max(count, 0);
    }

    /** Begins collecting {@code count} arguments. */
    private void startRequest(int count) {
        // Never trust a count for allocation: grow as arguments really arrive.
        args = new byte[Math.min(count, 1024)][];
        argCount = 0;
        expected = count;
    }

    /** Reads the arguments of the request begun; null while some are missing. */
    private byte[][] parseArguments(ByteBuf in) throws ProtocolException {
        while (argCount < expected) {
            if (bulkLength < 0) {
                if (!in.isReadable()) return null;
                // At most 16384 bytes: under every limit, so no check is skipped.
                long shortLength = readShortHeader(in, (byte) '$', UNAUTH_MAX_BULK);
                if (shortLength > 0) {
                    bulkLength = shortLength;
                    continue;
                }
                int cr = lineEnd(in, '\r');
                if (cr < 0) {
                    if (in.readableBytes() > INLINE_MAX) throw new ProtocolException("too big bulk count string");
                    return null;
                }
                if (cr + 1 >= in.writerIndex()) return null;
                byte first = in.getByte(in.readerIndex());
                if (first != '$') {
                    throw new ProtocolException("expected '$', got '" + (char) (first & 0xff) + "'");
                }
                long length = parseLong(in, in.readerIndex() + 1, cr);
                if (length == Long.MIN_VALUE || length < 0 || length > limits.maxBulkLength()) {
                    throw new ProtocolException("invalid bulk length");
                }
                if (length > UNAUTH_MAX_BULK && limits.authRequired()) {
                    throw new ProtocolException("unauthenticated bulk length");
                }
                in.readerIndex(cr + 2);
                bulkLength = length;
            }
            if (in.readableBytes() < bulkLength + 2) return null;
            byte[] arg = new byte[(int) bulkLength];
            in.readBytes(arg);
            in.skipBytes(2); // Redis does not check that these are CR LF either
            if (argCount == args.length) {
                args = Arrays.copyOf(args, (int) Math.min((long) args.length * 2, expected));
            }
            args[argCount++] = arg;
            bulkLength = -1;
        }
        byte[][] request = args.length == argCount ? args : Arrays.copyOf(args, argCount);
        args = null;
        argCount = 0;
        return request;
    }

    /**
     * The common case of a count or bulk header, {@code <prefix><1-9 digits>\r\n} entirely
     * in the buffer with a value of at most {@code max}, read in one pass and consumed.
     * Returns the value, or -1 leaving the buffer untouched for the general path (a
     * longer or malformed header, one not fully arrived, a limit to check), which also
     * produces the errors.
     */
    private static long readShortHeader(ByteBuf in, byte prefix, long max) {
        int at = in.readerIndex();
        int end = in.writerIndex();
        if (at + 3 >= end || in.getByte(at) != prefix) return -1;
        byte first = in.getByte(at + 1);
        if (first < '1' || first > '9') return -1;
        long value = first - '0';
        for (int i = at + 2; i < end && i < at + 11; i++) {
            byte b = in.getByte(i);
            if (b == '\r') {
                if (i + 1 >= end || value > max) return -1;
                in.readerIndex(i + 2);
                return value;
            }
            if (b < '0' || b > '9') return -1;
            value = value * 10 + (b - '0');
        }
        return -1;
    }

    private byte[][] parseInline(ByteBuf in) throws ProtocolException {
        int lf = lineEnd(in, '\n');
        if (lf < 0) {
            if (in.readableBytes() > INLINE_MAX) throw new ProtocolException("too big inline request");
            return null;
        }
        int end = lf;
        if (end > in.readerIndex() && in.getByte(end - 1) == '\r') end--;
        byte[] line = new byte[end - in.readerIndex()];
        in.getBytes(in.readerIndex(), line);
        List<byte[]> parts = splitArgs(line);
        // Like Redis, a bad line stays in the buffer (the protocol error log shows it).
        if (parts == null) throw new ProtocolException("unbalanced quotes in request");
        in.readerIndex(lf + 1);
        return parts.toArray(new byte[0][]);
    }

    /**
     * Where the line starting at the reader index ends ({@code end} is CR or LF), or -1.
     * Redis finds line ends with strchr, which stops at a NUL byte: a line with a NUL
     * before its end is never complete (until it grows past the 64 KB limit).
     */
    private static int lineEnd(ByteBuf in, char end) {
        int at = in.forEachByte(end == '\r' ? CR_OR_NUL : LF_OR_NUL);
        return at >= 0 && in.getByte(at) == end ? at : -1;
    }

    /**
     * Redis's {@code sdssplitargs}: words separated by blanks, "double quotes" with
     * backslash escapes (\n \r \t \b \a \xHH), 'single quotes' with only \' escaped. A
     * closing quote must be followed by a blank or the end. Returns null on unbalanced
     * quotes. Also used by the config file reader, which follows the same rules.
     */
    public static List<byte[]> splitArgs(byte[] line) {
        List<byte[]> result = new ArrayList<>();
        int p = 0;
        int n = line.length;
        while (true) {
            while (p < n && isSpace(line[p])) p++;
            if (p >= n) return result;
            boolean inq = false;
            boolean insq = false;
            boolean done = false;
            ByteArrayOutputStream current = new ByteArrayOutputStream();
            while (!done) {
                if (inq) {
                    if (p >= n) return null;
                    byte c = line[p];
                    if (c == '\\' && p + 3 < n && line[p + 1] == 'x' && isHex(line[p + 2]) && isHex(line[p + 3])) {
                        current.write(hex(line[p + 2]) * 16 + hex(line[p + 3]));
                        p += 3;
                    } else if (c == '\\' && p + 1 < n) {
                        p++;
                        current.write(switch (line[p]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[p];
                        });
                    } else if (c == '"') {
                        if (p + 1 < n && !isSpace(line[p + 1])) return null;
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else if (insq) {
                    if (p >= n) return null;
                    byte c = line[p];
                    if (c == '\\' && p + 1 < n && line[p + 1] == '\'') {
                        p++;
                        current.write('\'');
                    } else if (c == '\'') {
                        if (p + 1 < n && !isSpace(line[p + 1])) return null;
                        done = true;
                    } else {
                        current.write(c);
                    }
                } else {
                    if (p >= n) {
                        done = true;
                        break;
                    }
                    byte c = line[p];
                    switch (c) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inq = true;
                        case '\'' -> insq = true;
                        default -> current.write(c);
                    }
                }
                if (p < n) p++;
            }
            result.add(current.toByteArray());
        }
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f';
    }

    private static boolean isHex(byte c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return c - 'A' + 10;
    }

    /**
     * Redis's strict {@code string2ll} over {@code [from, to)}: optional '-', no leading
     * zeros, no '+', no spaces. Returns Long.MIN_VALUE when the text is not a number
     * (no count or length can legitimately be that value). Reads the buffer in place:
     * this runs for every count and length line.
     */
    private static long parseLong(ByteBuf in, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 20) return Long.MIN_VALUE;
        int p = from;
        boolean negative = in.getByte(p) == '-';
        if (negative && ++p == to) return Long.MIN_VALUE;
        byte first = in.getByte(p);
        if (first == '0') return (p + 1 == to && !negative) ? 0 : Long.MIN_VALUE;
        long value = 0;
        for (; p < to; p++) {
            int d = in.getByte(p) - '0';
            if (d < 0 || d > 9) return Long.MIN_VALUE;
            if (value > (Long.MAX_VALUE - d) / 10) return Long.MIN_VALUE;
            value = value * 10 + d;
        }
        return negative ? -value : value;
    }

    /** A request that breaks the protocol; the connection replies and closes. */
    public static final class ProtocolException extends Exception {
        public ProtocolException(String detail) {
            super("ERR Protocol error: " + detail, null, false, false);
        }
    }
}
