package dev.cairn.command;

import dev.cairn.persistence.Lzf;
import dev.cairn.protocol.Numbers;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;

/**
 * How many bytes a value takes in an RDB file (Redis's rdbSavedObjectLen), which DEBUG
 * OBJECT reports as {@code serializedlength}: small integers in a compact integer
 * encoding, strings longer than 20 bytes LZF-compressed when that saves at least four
 * bytes, anything else as a length and the bytes.
 */
final class SerializedLength {
    private SerializedLength() {}

    static long of(Object value) {
        if (ValueType.of(value) != ValueType.STRING) {
            throw new CommandError("ERR DEBUG OBJECT is not supported for this type yet");
        }
        byte[] b = Strings.bytes(value);
        if (b.length <= 11) {
            Long n = Numbers.parseStrictLong(b);
            if (n != null) {
                int encoded = integerEncodingLength(n);
                // An int-encoded object too big for the integer encoding is written as text.
                if (encoded > 0) return encoded;
            }
        }
        if (b.length > 20) {
            int limit = b.length - 4;
            int compressed = Lzf.compress(b, limit, Lzf.buffer(limit));
            if (compressed > 0) return 1 + lengthPrefix(compressed) + lengthPrefix(b.length) + compressed;
        }
        return lengthPrefix(b.length) + b.length;
    }

    /** Bytes of the RDB integer encoding of n, or 0 when n does not fit in 32 bits. */
    private static int integerEncodingLength(long n) {
        if (n >= Byte.MIN_VALUE && n <= Byte.MAX_VALUE) return 2;
        if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) return 3;
        if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) return 5;
        return 0;
    }

    /** Bytes of an RDB length: 6, 14, 32 or 64 bits after the type bits. */
    private static int lengthPrefix(long length) {
        if (length < 1 << 6) return 1;
        if (length < 1 << 14) return 2;
        if (length <= 0xFFFFFFFFL) return 5;
        return 9;
    }
}
