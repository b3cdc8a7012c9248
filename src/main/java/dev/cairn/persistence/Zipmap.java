package dev.cairn.persistence;

import java.util.Arrays;

/**
 * Reads Redis's zipmap byte format (small hashes in RDB files before Redis 2.6): a count
 * byte, then key length, key, value length, a "free" byte, value and that many unused
 * bytes per pair, and 0xFF. A length is one byte below 254, or 254 and 4 bytes (little
 * endian). Returns key, value, key, value...
 */
final class Zipmap {
    private Zipmap() {}

    /** The pairs; {@code deep} also checks the count byte against them. */
    static byte[][] decode(byte[] zm, boolean deep) throws RdbFormatException {
        if (zm.length < 2) throw fail();
        byte[][] out = new byte[16][];
        int n = 0;
        int p = 1;
        while (true) {
            check(p < zm.length);
            if ((zm[p] & 0xff) == 0xFF) break;
            if (n + 2 > out.length) out = Arrays.copyOf(out, out.length * 2);
            long[] at = {p};
            int keyLength = length(zm, at);
            byte[] key = slice(zm, (int) at[0], keyLength);
            at[0] += keyLength;
            int valueLength = length(zm, at);
            check(at[0] < zm.length);
            int free = zm[(int) at[0]] & 0xff;
            at[0]++;
            byte[] value = slice(zm, (int) at[0], valueLength);
            at[0] += (long) valueLength + free;
            check(at[0] < zm.length);
            p = (int) at[0];
            out[n++] = key;
            out[n++] = value;
        }
        check(p == zm.length - 1);
        int header = zm[0] & 0xff;
        // Below 254 it is the count; 254 means "count it"; Redis refuses 255.
        if (deep) check(header < 254 ? header == n / 2 : header == 254);
        return Arrays.copyOf(out, n);
    }

    private static int length(byte[] zm, long[] at) throws RdbFormatException {
        int p = (int) at[0];
        check(p < zm.length);
        int b = zm[p] & 0xff;
        check(b != 0xFF);
        if (b < 254) {
            at[0] = p + 1;
            return b;
        }
        check(p + 5 <= zm.length);
        long len = RedisListpack.le(zm, p + 1, 4);
        check(len <= zm.length);
        at[0] = p + 5;
        return (int) len;
    }

    private static byte[] slice(byte[] zm, int from, int length) throws RdbFormatException {
        check(from + (long) length <= zm.length);
        return Arrays.copyOfRange(zm, from, from + length);
    }

    private static void check(boolean ok) throws RdbFormatException {
        if (!ok) throw fail();
    }

    private static RdbFormatException fail() {
        return new RdbFormatException("Zipmap integrity check failed.");
    }
}
