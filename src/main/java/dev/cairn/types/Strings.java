package dev.cairn.types;

import dev.cairn.protocol.Numbers;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The string type's storage rules. A string value is either a {@code byte[]} that is
 * replaced whole on every write (Redis's {@code int} or {@code embstr} encodings, and
 * {@code raw} past 44 bytes) or a {@link RawString} once modified in place. Which of
 * int, embstr or raw OBJECT ENCODING reports follows from the bytes and the
 * representation, as in Redis.
 */
public final class Strings {
    /** Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT. */
    public static final int EMBSTR_LIMIT = 44;

    /** Redis shares the values 0..9999 between keys (OBJ_SHARED_INTEGERS). */
    private static final long SHARED_INTEGERS = 10_000;

    /**
     * COPY's duplicates of shared integers: Redis copies an int-encoded value into a
     * private object, so OBJECT REFCOUNT says 1 for the copy. Keyed by identity (arrays
     * do not override equals) and weak, so an entry goes with its value. Used on the
     * command thread only.
     */
    private static final Map<byte[], Boolean> PRIVATE_INTEGERS = new WeakHashMap<>();

    /**
     * The values 0..9999 as shared arrays, which INCR and friends store instead of a new
     * array, as Redis stores its shared integer objects: no allocation, and the few
     * thousand arrays stay in cache however many keys hold them. Safe because a plain
     * byte[] value is never written in place ({@link #mutable} copies it first).
     */
    private static final byte[][] SHARED = new byte[(int) SHARED_INTEGERS][];

    static {
        for (int i = 0; i < SHARED.length; i++) SHARED[i] = Numbers.bytes(i);
    }

    private Strings() {}

    /** The string value holding the decimal form of {@code n} (shared when small). */
    public static byte[] integer(long n) {
        return n >= 0 && n < SHARED_INTEGERS ? SHARED[(int) n] : Numbers.bytes(n);
    }

    /** The bytes of a string value (a copy only for {@link RawString}). */
    public static byte[] bytes(Object value) {
        if (value instanceof byte[] b) return b;
        return ((RawString) value).toBytes();
    }

    /**
     * The bytes backing a string value without copying: valid from 0 to
     * {@link #length(Object)}, read only, not to be kept past a write.
     */
    public static byte[] buffer(Object value) {
        if (value instanceof byte[] b) return b;
        return ((RawString) value).buffer();
    }

    public static int length(Object value) {
        if (value instanceof byte[] b) return b.length;
        return ((RawString) value).length();
    }

    /** OBJECT ENCODING for a string value. */
    public static String encoding(Object value) {
        if (value instanceof RawString r) {
            return r.modified() || r.length() > EMBSTR_LIMIT ? "raw" : "embstr";
        }
        byte[] b = (byte[]) value;
        if (b.length <= 20 && Numbers.parseStrictLong(b) != null) return "int";
        return b.length <= EMBSTR_LIMIT ? "embstr" : "raw";
    }

    /** Whether Redis would hold this value as one of its shared integer objects. */
    public static boolean isSharedInteger(Object value) {
        if (!(value instanceof byte[] b) || !"int".equals(encoding(b)) || PRIVATE_INTEGERS.containsKey(b)) return false;
        long n = Numbers.parseStrictLong(b);
        return n >= 0 && n < SHARED_INTEGERS;
    }

    /**
     * COPY's duplicate of a plain string value: the same array (it is never written in
     * place), except that a shared integer becomes a private one.
     */
    public static byte[] duplicate(byte[] value) {
        if (!isSharedInteger(value)) return value;
        byte[] copy = value.clone();
        PRIVATE_INTEGERS.put(copy, Boolean.TRUE);
        return copy;
    }

    /**
     * A value made modifiable in place, converting a plain byte[] on first write (Redis's
     * dbUnshareStringValue); the caller stores the result if it is a new object. From
     * here on the value reports the raw encoding, even if nothing is written.
     */
    public static RawString mutable(Object value) {
        if (value instanceof RawString r) {
            r.markModified();
            return r;
        }
        return new RawString((byte[]) value, 0);
    }

    /**
     * A value stored as text, never int-encoded: INCRBYFLOAT's result, which Redis keeps
     * as an embstr even when it reads as an integer.
     */
    public static Object textValue(byte[] text) {
        if (text.length <= 20 && Numbers.parseStrictLong(text) != null) return RawString.text(text);
        return text;
    }

    /** Approximate heap bytes of a string value (MEMORY USAGE). */
    public static long memoryBytes(Object value) {
        if (value instanceof RawString r) return r.memoryBytes();
        return 16 + (((byte[]) value).length + 7L) / 8 * 8;
    }
}
