package dev.cairn.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The only place where reply bytes are produced. Command handlers describe a reply
 * (an integer, a bulk string, an array header, an error) and this class writes the
 * RESP2 or RESP3 form chosen by the connection's protocol version.
 *
 * <p>Buffer ownership: the target {@link ByteBuf} belongs to the connection; this class
 * only appends to it and never releases it. The connection decides when to flush.
 *
 * <p>Aggregate replies are written header-first ({@link #array(long)} then the
 * elements), exactly as Redis's {@code addReplyArrayLen}. Where the length is not known
 * in advance, use {@link #deferredArray()} and patch it with {@link #setDeferredLength}.
 */
public final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] QUEUED = ascii("+QUEUED\r\n");
    private static final byte[] PONG = ascii("+PONG\r\n");
    private static final byte[] NULL_BULK = ascii("$-1\r\n");
    private static final byte[] NULL_ARRAY = ascii("*-1\r\n");
    private static final byte[] NULL3 = ascii("_\r\n");
    private static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    private static final byte[] EMPTY_BULK = ascii("$0\r\n\r\n");
    private static final byte[] TRUE3 = ascii("#t\r\n");
    private static final byte[] FALSE3 = ascii("#f\r\n");
    /** Pre-encoded ":n\r\n" for small integers, like Redis's shared.integers. */
    private static final byte[][] SMALL_INTS = new byte[10_000][];
    /** Pre-encoded "*n\r\n" and "$n\r\n" headers for small lengths. */
    private static final byte[][] ARRAY_HEADERS = new byte[64][];
    private static final byte[][] BULK_HEADERS = new byte[64][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) SMALL_INTS[i] = ascii(":" + i + "\r\n");
        for (int i = 0; i < ARRAY_HEADERS.length; i++) {
            ARRAY_HEADERS[i] = ascii("*" + i + "\r\n");
            BULK_HEADERS[i] = ascii("$" + i + "\r\n");
        }
    }

    private ByteBuf out;
    private int protocol = 2;
    /** Errors written since {@link #resetErrorCount()}; INFO errorstats and EXEC use it. */
    private String lastError;
    /** Set when the last error was already counted in the error statistics where it arose. */
    private boolean lastErrorCounted;
    /** The framer {@link #bulks} hands out, reused: a range reply allocates nothing. */
    private final Bulks bulks = new Bulks();

    public Reply(ByteBuf out) {
        this.out = out;
    }

    /** Switches the target buffer; used when a connection swaps its output buffer. */
    public void target(ByteBuf buffer) {
        this.out = buffer;
    }

    public ByteBuf buffer() {
        return out;
    }

    public int protocol() {
        return protocol;
    }

    public void protocol(int version) {
        this.protocol = version;
    }

    public boolean resp3() {
        return protocol == 3;
    }

    /** The last error text written, or null; cleared by {@link #takeLastError()}. */
    public String takeLastError() {
        String e = lastError;
        lastError = null;
        lastErrorCounted = false;
        return e;
    }

    /** Whether the last error was already counted (read before {@link #takeLastError()}). */
    public boolean lastErrorAlreadyCounted() {
        return lastErrorCounted;
    }

    /**
     * An error reply whose error was already counted in INFO errorstats where it arose
     * (a script passing on the error of a command it called): the command still counts
     * as failed, the error is not counted twice.
     */
    public void errorAlreadyCounted(String text) {
        error(text);
        lastErrorCounted = true;
    }

    // ---- simple values -------------------------------------------------------------

    public void ok() {
        out.writeBytes(OK);
    }

    public void queued() {
        out.writeBytes(QUEUED);
    }

    public void pong() {
        out.writeBytes(PONG);
    }

    /** A status reply ({@code +text}); text must not contain CR or LF. */
    public void status(String text) {
        out.writeByte('+');
        writeLatin1(text);
        out.writeBytes(CRLF);
    }

    /**
     * An error reply. {@code text} carries its own code, e.g. {@code "ERR syntax error"}
     * or {@code "WRONGTYPE Operation ..."}; as Redis does, CRs and LFs at its end are
     * dropped and the others become spaces, so an error can never break the framing.
     * Like every text written here, each char stands for one byte (Latin-1), so user
     * bytes quoted in an error survive unchanged.
     */
    public void error(String text) {
        lastError = text;
        int end = text.length();
        while (end > 0 && (text.charAt(end - 1) == '\r' || text.charAt(end - 1) == '\n')) end--;
        out.writeByte('-');
        writeLatin1(text.substring(0, end).replace('\r', ' ').replace('\n', ' '));
        out.writeBytes(CRLF);
    }

    public void integer(long value) {
        if (value >= 0 && value < SMALL_INTS.length) {
            out.writeBytes(SMALL_INTS[(int) value]);
            return;
        }
        out.writeByte(':');
        writeLong(value);
        out.writeBytes(CRLF);
    }

    public void bool(boolean value) {
        if (protocol == 3) out.writeBytes(value ? TRUE3 : FALSE3);
        else integer(value ? 1 : 0);
    }

    /** A double: RESP3 {@code ,} type, or a bulk string in RESP2, formatted as Redis does. */
    public void doubleValue(double value) {
        if (protocol == 3) {
            out.writeByte(',');
            writeLatin1(NumberFormat.resp3Double(value));
            out.writeBytes(CRLF);
        } else {
            bulk(NumberFormat.humanDouble(value).getBytes(StandardCharsets.US_ASCII));
        }
    }

    public void bulk(byte[] value) {
        bulk(value, 0, value.length);
    }

    public void bulk(byte[] value, int offset, int length) {
        if (length < BULK_HEADERS.length) {
            out.writeBytes(BULK_HEADERS[length]);
        } else {
            out.writeByte('$');
            writeLong(length);
            out.writeBytes(CRLF);
        }
        out.writeBytes(value, offset, length);
        out.writeBytes(CRLF);
    }

    public void bulk(String value) {
        bulk(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A bulk string holding the decimal form of {@code value}. */
    public void bulk(long value) {
        bulk(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
    }

    public void emptyBulk() {
        out.writeBytes(EMPTY_BULK);
    }

    /** RESP3 verbatim string ({@code =len\r\ntxt:...}); a bulk string in RESP2. */
    public void verbatim(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (protocol != 3) {
            bulk(bytes);
            return;
        }
        out.writeByte('=');
        writeLong(bytes.length + 4);
        out.writeBytes(CRLF);
        writeLatin1("txt:");
        out.writeBytes(bytes);
        out.writeBytes(CRLF);
    }

    /** RESP3 verbatim string with a three-letter format ({@code =len\r\nfmt:...}); a bulk string in RESP2. */
    public void verbatim(byte[] text, String format) {
        if (protocol != 3) {
            bulk(text);
            return;
        }
        out.writeByte('=');
        writeLong(text.length + 4L);
        out.writeBytes(CRLF);
        writeLatin1(format);
        out.writeByte(':');
        out.writeBytes(text);
        out.writeBytes(CRLF);
    }

    /** A big number: RESP3 {@code (digits}, a bulk string in RESP2. */
    public void bigNumber(byte[] digits) {
        if (protocol != 3) {
            bulk(digits);
            return;
        }
        out.writeByte('(');
        out.writeBytes(digits);
        out.writeBytes(CRLF);
    }

    /** The null reply for a missing string: {@code $-1} in RESP2, {@code _} in RESP3. */
    public void nullBulk() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_BULK);
    }

    /** The null reply for a missing aggregate: {@code *-1} in RESP2, {@code _} in RESP3. */
    public void nullArray() {
        out.writeBytes(protocol == 3 ? NULL3 : NULL_ARRAY);
    }

    // ---- aggregates ----------------------------------------------------------------

    public void array(long length) {
        if (length >= 0 && length < ARRAY_HEADERS.length) {
            out.writeBytes(ARRAY_HEADERS[(int) length]);
            return;
        }
        aggregateHeader('*', length);
    }

    public void emptyArray() {
        out.writeBytes(EMPTY_ARRAY);
    }

    /** A map of {@code pairs} entries: {@code %} in RESP3, a flat array in RESP2. */
    public void map(long pairs) {
        if (protocol == 3) aggregateHeader('%', pairs);
        else array(pairs * 2);
    }

    /** A set: {@code ~} in RESP3, an array in RESP2. */
    public void set(long length) {
        if (protocol == 3) aggregateHeader('~', length);
        else array(length);
    }

    /** An out-of-band push: {@code >} in RESP3, an array in RESP2. */
    public void push(long length) {
        if (protocol == 3) aggregateHeader('>', length);
        else array(length);
    }

    public void arrayOfBulks(byte[]... values) {
        array(values.length);
        for (byte[] v : values) bulk(v);
    }

    /**
     * Starts an array of {@code count} bulk strings that the caller adds one by one with
     * {@link Bulks#add} (from wherever the bytes lie, e.g. a list's node) and closes with
     * {@link Bulks#end}. Nothing else may be written to this reply in between.
     */
    public Bulks bulks(int count) {
        array(count);
        // The scratch is per thread, not per connection: thousands of connections may be open.
        bulks.scratch = SCRATCH.get();
        bulks.at = 0;
        return bulks;
    }

    /**
     * Bulk strings framed in a scratch array and copied to the buffer in large pieces:
     * three buffer writes per element would cost more than the copying itself for the
     * short elements ranges usually hold.
     */
    public final class Bulks {
        private byte[] scratch;
        private int at;

        private Bulks() {}

        public void add(byte[] value, int offset, int length) {
            // '$', up to 10 digits and two CRLFs around the bytes.
            int framed = length + 15;
            if (at + framed > scratch.length) {
                out.writeBytes(scratch, 0, at);
                at = 0;
                if (framed > scratch.length) {
                    bulk(value, offset, length);
                    return;
                }
            }
            if (length < BULK_HEADERS.length) {
                byte[] header = BULK_HEADERS[length];
                System.arraycopy(header, 0, scratch, at, header.length);
                at += header.length;
            } else {
                scratch[at++] = '$';
                at = writeDigits(scratch, at, length);
                scratch[at++] = '\r';
                scratch[at++] = '\n';
            }
            System.arraycopy(value, offset, scratch, at, length);
            at += length;
            scratch[at++] = '\r';
            scratch[at++] = '\n';
        }

        public void end() {
            out.writeBytes(scratch, 0, at);
            at = 0;
        }
    }

    /** Scratch space of {@link Bulks}, one per thread (replies are built on the command thread). */
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);

    /** Writes the digits of a non-negative int into {@code into} at {@code at}; returns the end. */
    private static int writeDigits(byte[] into, int at, int value) {
        int digits = 1;
        for (int v = value; v >= 10; v /= 10) digits++;
        for (int i = at + digits - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + digits;
    }

    /**
     * Reserves room for an array header whose length is not yet known and returns a
     * handle for {@link #setDeferredLength}. The header is written in a fixed width so
     * patching it never moves the elements.
     */
    public int deferredArray() {
        int at = out.writerIndex();
        out.writeBytes(DEFERRED_PLACEHOLDER);
        return at;
    }

    /** Patches a header reserved by {@link #deferredArray()}; kind is '*', '%' or '~'. */
    public void setDeferredLength(int handle, char kind, long length) {
        char k = protocol == 3 ? kind : '*';
        long n = (protocol != 3 && kind == '%') ? length * 2 : length;
        // The placeholder is wider than any real header: the elements move left to
        // close the gap, so the bytes are exactly those Redis would have sent.
        byte[] header = ascii(k + Long.toString(n) + "\r\n");
        int tailStart = handle + DEFERRED_PLACEHOLDER.length;
        int tailLength = out.writerIndex() - tailStart;
        int shift = DEFERRED_PLACEHOLDER.length - header.length;
        if (shift > 0) {
            out.setBytes(handle + header.length, out, tailStart, tailLength);
            out.writerIndex(out.writerIndex() - shift);
        }
        out.setBytes(handle, header);
    }

    private static final byte[] DEFERRED_PLACEHOLDER = ascii("*00000000000000000000\r\n");

    // ---- raw -----------------------------------------------------------------------

    /** Appends bytes that are already valid RESP (a cached reply). */
    public void raw(byte[] encoded) {
        out.writeBytes(encoded);
    }

    private void aggregateHeader(char kind, long length) {
        out.writeByte(kind);
        writeLong(length);
        out.writeBytes(CRLF);
    }

    /** Writes the decimal digits of {@code value} without building a String. */
    private void writeLong(long value) {
        if (value >= 0 && value < 10) {
            out.writeByte('0' + (int) value);
            return;
        }
        if (value == Long.MIN_VALUE) {
            writeLatin1(Long.toString(value));
            return;
        }
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        int at = digits.length;
        do {
            digits[--at] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        out.writeBytes(digits, at, digits.length - at);
    }

    /** Scratch space for {@link #writeLong}: a long has at most 19 digits. */
    private final byte[] digits = new byte[19];

    private void writeLatin1(String s) {
        out.writeCharSequence(s, StandardCharsets.ISO_8859_1);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
