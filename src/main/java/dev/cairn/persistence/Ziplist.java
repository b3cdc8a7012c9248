package dev.cairn.persistence;

import dev.cairn.protocol.Numbers;
import java.util.Arrays;

/**
 * Reads Redis's ziplist byte format (RDB 6 to 9 payloads of small lists, hashes and
 * sorted sets): a 4-byte total length, a 4-byte offset of the last entry, a 2-byte
 * count (little endian), the entries, and 0xFF. Each entry is the previous entry's
 * length (1 byte, or 0xFE and 4 bytes), an encoding (strings with a 6, 14 or 32-bit
 * big-endian length; integers of 8, 16, 24, 32 or 64 bits little endian, or 0 to 12 in
 * the encoding byte itself), and the data. Every entry is checked; integers come back
 * as their decimal text.
 */
final class Ziplist {
    private static final int HEADER = 10;
    private static final int END = 0xFF;

    private Ziplist() {}

    static byte[][] decode(byte[] zl, boolean deep) throws RdbFormatException {
        if (zl.length < HEADER + 1) throw fail();
        if (RedisListpack.le(zl, 0, 4) != zl.length || (zl[zl.length - 1] & 0xff) != END) throw fail();
        long tail = RedisListpack.le(zl, 4, 4);
        int header = (int) RedisListpack.le(zl, 8, 2);
        byte[][] out = new byte[Math.min(header, 1024)][];
        int n = 0;
        int p = HEADER;
        int previousLength = 0;
        int last = HEADER;
        int limit = zl.length - 1;
        while (p < limit) {
            int start = p;
            int prevlen = zl[p++] & 0xff;
            if (prevlen == 0xFE) {
                check(p + 4 <= limit);
                prevlen = (int) RedisListpack.le(zl, p, 4);
                p += 4;
            } else {
                check(prevlen != END);
            }
            if (deep) check(prevlen == previousLength);
            check(p < limit);
            int enc = zl[p++] & 0xff;
            byte[] element;
            switch (enc >> 6) {
                case 0 -> element = slice(zl, p, enc & 0x3f, limit);
                case 1 -> {
                    check(p < limit);
                    int len = ((enc & 0x3f) << 8) | (zl[p++] & 0xff);
                    element = slice(zl, p, len, limit);
                }
                case 2 -> {
                    check(enc == 0x80 && p + 4 <= limit);
                    long len = ((zl[p] & 0xffL) << 24) | ((zl[p + 1] & 0xff) << 16) | ((zl[p + 2] & 0xff) << 8) | (zl[p + 3] & 0xff);
                    p += 4;
                    check(len <= limit);
                    element = slice(zl, p, (int) len, limit);
                }
                default -> {
                    int bytes = switch (enc) {
                        case 0xC0 -> 2;
                        case 0xD0 -> 4;
                        case 0xE0 -> 8;
                        case 0xF0 -> 3;
                        case 0xFE -> 1;
                        default -> 0;
                    };
                    long v;
                    if (bytes > 0) {
                        check(p + bytes <= limit);
                        v = RedisListpack.le(zl, p, bytes);
                        v = (v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
                        p += bytes;
                    } else {
                        check(enc >= 0xF1 && enc <= 0xFD);
                        v = (enc & 0x0f) - 1;
                    }
                    element = Numbers.bytes(v);
                }
            }
            if ((enc >> 6) < 3) p += element.length;
            last = start;
            previousLength = p - start;
            if (n == out.length) out = Arrays.copyOf(out, n * 2 + 1);
            out[n++] = element;
        }
        check(p == limit);
        if (deep) {
            check(header == 0xFFFF || header == n);
            check(n == 0 ? tail == HEADER : tail == last);
        }
        return Arrays.copyOf(out, n);
    }

    private static byte[] slice(byte[] zl, int from, int length, int limit) throws RdbFormatException {
        check(from + (long) length <= limit);
        return Arrays.copyOfRange(zl, from, from + length);
    }

    private static void check(boolean ok) throws RdbFormatException {
        if (!ok) throw fail();
    }

    private static RdbFormatException fail() {
        return new RdbFormatException("Ziplist integrity check failed.");
    }
}
