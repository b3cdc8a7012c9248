package dev.cairn.types;

import dev.cairn.protocol.Numbers;

/**
 * The string type's storage rules. A string value is either a {@code byte[]} that is
 * replaced whole on every write (Redis's {@code int} or {@code embstr} encodings, and
 * {@code raw} past 44 bytes) or a {@link RawString} once modified in place. Which of
 * int, embstr or raw OBJECT ENCODING reports follows from the bytes, as in Redis.
 */
public final class Strings {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;
    /** Redis's default proto-max-bulk-len: the largest string SETRANGE/APPEND may build. */
    public static final long MAX_STRING = 512L * 1024 * 1024;

    private Strings() {}

    /** The bytes of a string value (a copy only for {@link RawString}). */
    public static byte[] bytes(Object value) {
        if (value instanceof byte[] b) return b;
        return ((RawString) value).toBytes();
    }

    public static int length(Object value) {
        if (value instanceof byte[] b) return b.length;
        return ((RawString) value).length();
    }

    /** OBJECT ENCODING for a string value. */
    public static String encoding(Object value) {
        if (value instanceof RawString) return "raw";
        byte[] b = (byte[]) value;
        if (b.length <= 20 && Numbers.parseStrictLong(b) != null) return "int";
        return b.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /** A value made modifiable in place, converting a plain byte[] on first write. */
    public static RawString mutable(Object value) {
        if (value instanceof RawString r) return r;
        return new RawString((byte[]) value, 0);
    }

    /** Approximate heap bytes of a string value (MEMORY USAGE). */
    public static long memoryBytes(Object value) {
        if (value instanceof RawString r) return r.memoryBytes();
        return 16 + (((byte[]) value).length + 7L) / 8 * 8;
    }
}
