package dev.cairn.persistence;

import dev.cairn.protocol.Numbers;
import java.util.Arrays;

/**
 * Redis's listpack byte format, as RDB files carry it (hash, sorted set and quicklist
 * node payloads): a 4-byte total length and a 2-byte element count (little endian), the
 * elements, and 0xFF. Each element is its encoding, its data, and its "backlen" (the
 * length of encoding and data, in 1 to 5 bytes read from the right). Strings that are
 * canonical 64-bit integers are stored as integers in the smallest of the 7, 13, 16, 24,
 * 32 or 64-bit forms, other strings with a 6, 12 or 32-bit length. This is not Cairn's
 * in-memory {@code types.Listpack}.
 */
public final class RedisListpack {
    static final int HEADER = 6;
    /** The bytes of an empty listpack: the header and the end byte. */
    public static final int EMPTY = HEADER + 1;
    static final int END = 0xFF;

    private RedisListpack() {}

    /** Bytes an element takes in a listpack: encoding, data and backlen. */
    public static int entryBytes(byte[] s) {
        return entryBytes(s, 0, s.length);
    }

    /** Bytes the element {@code s[offset, offset + length)} takes in a listpack. */
    public static int entryBytes(byte[] s, int offset, int length) {
        // Only what starts like a number is copied out to be parsed.
        boolean numeric = length > 0 && length <= 20 && (s[offset] == '-' || (s[offset] >= '0' && s[offset] <= '9'));
        Long n = numeric ? Numbers.parseStrictLong(Arrays.copyOfRange(s, offset, offset + length)) : null;
        int l;
        if (n != null) {
            long v = n;
            l = v >= 0 && v <= 127 ? 1 : v >= -4096 && v <= 4095 ? 2 : v >= Short.MIN_VALUE && v <= Short.MAX_VALUE ? 3
                    : v >= -(1 << 23) && v < (1 << 23) ? 4 : v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE ? 5 : 9;
        } else {
            l = (length < 64 ? 1 : length < 4096 ? 2 : 5) + length;
        }
        return l + (l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5);
    }

    /** Builds a listpack. */
    static final class Builder {
        private byte[] buf = new byte[64];
        private int len = HEADER;
        private int count;

        void add(byte[] s) {
            add(s, 0, s.length);
        }

        void add(byte[] s, int off, int length) {
            Long n = length <= 20 ? Numbers.parseStrictLong(Arrays.copyOfRange(s, off, off + length)) : null;
            if (n != null) {
                addInteger(n);
                return;
            }
            int start = len;
            if (length < 64) {
                ensure(1 + length + 5);
                buf[len++] = (byte) (0x80 | length);
            } else if (length < 4096) {
                ensure(2 + length + 5);
                buf[len++] = (byte) (0xE0 | (length >> 8));
                buf[len++] = (byte) length;
            } else {
                ensure(5 + length + 5);
                buf[len++] = (byte) 0xF0;
                for (int i = 0; i < 4; i++) buf[len++] = (byte) (length >>> (8 * i));
            }
            System.arraycopy(s, off, buf, len, length);
            len += length;
            backlen(len - start);
        }

        void addInteger(long v) {
            ensure(9 + 5);
            int start = len;
            if (v >= 0 && v <= 127) {
                buf[len++] = (byte) v;
            } else if (v >= -4096 && v <= 4095) {
                long u = v < 0 ? (1 << 13) + v : v;
                buf[len++] = (byte) (0xC0 | (u >> 8));
                buf[len++] = (byte) u;
            } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
                buf[len++] = (byte) 0xF1;
                little(v, 2);
            } else if (v >= -(1 << 23) && v <= (1 << 23) - 1) {
                buf[len++] = (byte) 0xF2;
                little(v, 3);
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                buf[len++] = (byte) 0xF3;
                little(v, 4);
            } else {
                buf[len++] = (byte) 0xF4;
                little(v, 8);
            }
            backlen(len - start);
        }

        /** Bytes the listpack has now, without its end byte. */
        int bytes() {
            return len;
        }

        int count() {
            return count;
        }

        byte[] finish() {
            ensure(1);
            buf[len++] = (byte) END;
            for (int i = 0; i < 4; i++) buf[i] = (byte) (len >>> (8 * i));
            int c = Math.min(count, 65535);
            buf[4] = (byte) c;
            buf[5] = (byte) (c >> 8);
            return Arrays.copyOf(buf, len);
        }

        private void little(long v, int bytes) {
            for (int i = 0; i < bytes; i++) buf[len++] = (byte) (v >>> (8 * i));
        }

        /** The element's backlen: its length, 7 bits a byte, most significant first. */
        private void backlen(int l) {
            count++;
            if (l <= 127) {
                buf[len++] = (byte) l;
            } else if (l < 16383) {
                buf[len++] = (byte) (l >> 7);
                buf[len++] = (byte) ((l & 127) | 128);
            } else if (l < 2097151) {
                buf[len++] = (byte) (l >> 14);
                buf[len++] = (byte) (((l >> 7) & 127) | 128);
                buf[len++] = (byte) ((l & 127) | 128);
            } else if (l < 268435455) {
                buf[len++] = (byte) (l >> 21);
                buf[len++] = (byte) (((l >> 14) & 127) | 128);
                buf[len++] = (byte) (((l >> 7) & 127) | 128);
                buf[len++] = (byte) ((l & 127) | 128);
            } else {
                buf[len++] = (byte) (l >> 28);
                buf[len++] = (byte) (((l >> 21) & 127) | 128);
                buf[len++] = (byte) (((l >> 14) & 127) | 128);
                buf[len++] = (byte) (((l >> 7) & 127) | 128);
                buf[len++] = (byte) ((l & 127) | 128);
            }
        }

        private void ensure(int more) {
            if (len + more > buf.length) buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
        }
    }

    /**
     * The elements of a listpack, checked entry by entry: the total length, every
     * encoding and backlen, the end byte, and (when {@code deep}) the header's count.
     * Integers come back as their decimal text. Throws on anything malformed.
     */
    static byte[][] decode(byte[] lp, boolean deep) throws RdbFormatException {
        if (lp.length < HEADER + 1) throw new RdbFormatException("listpack too short");
        long total = le(lp, 0, 4);
        if (total != lp.length) throw new RdbFormatException("listpack length mismatch");
        int header = (int) le(lp, 4, 2);
        byte[][] out = new byte[Math.min(header, 1024)][];
        int n = 0;
        int p = HEADER;
        while (true) {
            if (p >= lp.length) throw new RdbFormatException("listpack without end");
            int b = lp[p] & 0xff;
            if (b == END) break;
            int start = p;
            byte[] element;
            if ((b & 0x80) == 0) {
                element = Numbers.bytes(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int l = b & 0x3f;
                element = slice(lp, p + 1, l);
                p += 1 + l;
            } else if ((b & 0xE0) == 0xC0) {
                need(lp, p, 2);
                long u = ((b & 0x1f) << 8) | (lp[p + 1] & 0xff);
                element = Numbers.bytes(u >= 4096 ? u - 8192 : u);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(lp, p, 2);
                int l = ((b & 0x0f) << 8) | (lp[p + 1] & 0xff);
                element = slice(lp, p + 2, l);
                p += 2 + l;
            } else if (b == 0xF0) {
                need(lp, p, 5);
                long l = le(lp, p + 1, 4);
                if (l > lp.length) throw new RdbFormatException("listpack string too long");
                element = slice(lp, p + 5, (int) l);
                p += 5 + (int) l;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(lp, p, 1 + bytes);
                long v = le(lp, p + 1, bytes);
                v = (v << (64 - 8 * bytes)) >> (64 - 8 * bytes);
                element = Numbers.bytes(v);
                p += 1 + bytes;
            } else {
                throw new RdbFormatException("listpack bad encoding");
            }
            int entryLength = p - start;
            int backlenBytes = entryLength <= 127 ? 1 : entryLength < 16383 ? 2 : entryLength < 2097151 ? 3
                    : entryLength < 268435455 ? 4 : 5;
            need(lp, p, backlenBytes);
            // Read from the right as Redis does: every byte but the leftmost has its top bit set.
            long back = 0;
            for (int i = 0; i < backlenBytes; i++) {
                int x = lp[p + i] & 0xff;
                if ((x >= 128) != (i > 0)) throw new RdbFormatException("listpack bad backlen");
                back = (back << 7) | (x & 127);
            }
            if (back != entryLength) throw new RdbFormatException("listpack bad backlen");
            p += backlenBytes;
            if (n == out.length) out = Arrays.copyOf(out, n * 2 + 1);
            out[n++] = element;
        }
        if (p != lp.length - 1) throw new RdbFormatException("listpack data after end");
        if (header != 65535 && header != n && deep) throw new RdbFormatException("listpack count mismatch");
        return Arrays.copyOf(out, n);
    }

    private static void need(byte[] lp, int p, int bytes) throws RdbFormatException {
        if (p + bytes > lp.length - 1) throw new RdbFormatException("listpack entry past the end");
    }

    private static byte[] slice(byte[] lp, int from, int length) throws RdbFormatException {
        if (from + (long) length > lp.length - 1) throw new RdbFormatException("listpack entry past the end");
        return Arrays.copyOfRange(lp, from, from + length);
    }

    static long be(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }

    static long le(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = (v << 8) | (b[off + i] & 0xff);
        return v;
    }
}
