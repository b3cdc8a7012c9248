package dev.cairn.persistence;

/**
 * LZF compression as Redis uses it for RDB strings (liblzf with its default "very fast"
 * hashing and a 64 KB hash table). The output must be byte-for-byte what Redis
 * produces, because lengths derived from it are visible (DEBUG OBJECT's
 * serializedlength) and, later, RDB files.
 *
 * <p>Format: runs of literals ({@code 000LLLLL} then L+1 bytes) and back references
 * ({@code LLLooooo oooooooo}, or {@code 111ooooo LLLLLLLL oooooooo} for long ones)
 * copying L+2 bytes from {@code o+1} bytes back.
 */
public final class Lzf {
    private static final int HASH_LOG = 16;
    private static final int HASH_SIZE = 1 << HASH_LOG;
    private static final int MAX_LITERAL = 1 << 5;
    private static final int MAX_OFFSET = 1 << 13;
    private static final int MAX_REFERENCE = (1 << 8) + (1 << 3);

    /**
     * Each thread's hash table, reused: a slot holds a position only when its stamp is
     * the current call's, so every call starts from an empty table (deterministic output,
     * as liblzf's zeroed table) without clearing 64K slots each time.
     */
    private static final class Table {
        final int[] positions = new int[HASH_SIZE];
        final int[] stamps = new int[HASH_SIZE];
        int stamp;

        void begin() {
            if (++stamp == 0) {
                java.util.Arrays.fill(stamps, 0);
                stamp = 1;
            }
        }

        int get(int slot) {
            return stamps[slot] == stamp ? positions[slot] : 0;
        }

        void put(int slot, int position) {
            stamps[slot] = stamp;
            positions[slot] = position;
        }
    }

    private static final ThreadLocal<Table> TABLES = ThreadLocal.withInitial(Table::new);

    private Lzf() {}

    /**
     * Compresses {@code in} into at most {@code outLimit} bytes; returns the compressed
     * length, or 0 when it does not fit (the caller then stores the bytes as they are).
     */
    public static int compress(byte[] in, int outLimit, byte[] out) {
        int inEnd = in.length;
        if (inEnd < 3 || outLimit == 0) return 0;
        Table table = TABLES.get();
        table.begin();
        int ip = 0;
        int op = 1; // room for the first literal run's header
        int lit = 0;
        int hash = first(in, ip);
        while (ip < inEnd - 2) {
            hash = next(hash, in, ip);
            int slot = index(hash);
            int ref = table.get(slot);
            table.put(slot, ip);
            int off = ip - ref - 1;
            // Position 0 doubles as "empty slot", so it is never referenced (as in liblzf).
            if (ref > 0 && off < MAX_OFFSET
                    && in[ref] == in[ip] && in[ref + 1] == in[ip + 1] && in[ref + 2] == in[ip + 2]) {
                int len = 2;
                int maxLen = Math.min(inEnd - ip - len, MAX_REFERENCE);
                if (op + 3 + 1 >= outLimit && op - (lit == 0 ? 1 : 0) + 3 + 1 >= outLimit) return 0;
                out[op - lit - 1] = (byte) (lit - 1); // close the literal run
                if (lit == 0) op--; // which was empty: drop its header
                len = matchLength(in, ref, ip, len, maxLen);
                len -= 2;
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // the next literal run's header
                ip += len + 1;
                if (ip >= inEnd - 2) break;
                // Hash the last two positions of the match so later data can refer to them.
                ip -= 2;
                hash = first(in, ip);
                hash = next(hash, in, ip);
                table.put(index(hash), ip);
                ip++;
                hash = next(hash, in, ip);
                table.put(index(hash), ip);
                ip++;
            } else {
                if (op >= outLimit) return 0;
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LITERAL) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > outLimit) return 0;
        while (ip < inEnd) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LITERAL) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) op--;
        return op;
    }

    /**
     * How far the match at {@code ref} extends, as liblzf measures it: 16 bytes are
     * compared unchecked when more than 16 are available, then one at a time.
     */
    private static int matchLength(byte[] in, int ref, int ip, int len, int maxLen) {
        if (maxLen > 16) {
            for (int k = 0; k < 16; k++) {
                len++;
                if (in[ref + len] != in[ip + len]) return len;
            }
        }
        do {
            len++;
        } while (len < maxLen && in[ref + len] == in[ip + len]);
        return len;
    }

    /** A buffer large enough for {@link #compress} writing up to {@code outLimit} bytes. */
    public static byte[] buffer(int outLimit) {
        return new byte[outLimit + 8];
    }

    /**
     * Decompresses {@code length} bytes of {@code in} from {@code offset} into exactly
     * {@code outLength} bytes; null when the data is not valid LZF of that length.
     */
    public static byte[] decompress(byte[] in, int offset, int length, int outLength) {
        byte[] out = new byte[outLength];
        int ip = offset;
        int end = offset + length;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xff;
            if (ctrl < MAX_LITERAL) {
                int run = ctrl + 1;
                if (op + run > outLength || ip + run > end) return null;
                System.arraycopy(in, ip, out, op, run);
                ip += run;
                op += run;
            } else {
                int len = ctrl >>> 5;
                if (len == 7) {
                    if (ip >= end) return null;
                    len += in[ip++] & 0xff;
                }
                if (ip >= end) return null;
                int ref = op - ((ctrl & 0x1f) << 8) - 1 - (in[ip++] & 0xff);
                len += 2;
                if (ref < 0 || op + len > outLength) return null;
                for (int i = 0; i < len; i++) out[op++] = out[ref++];
            }
        }
        return op == outLength ? out : null;
    }

    private static int first(byte[] in, int p) {
        return ((in[p] & 0xff) << 8) | (in[p + 1] & 0xff);
    }

    private static int next(int hash, byte[] in, int p) {
        return (hash << 8) | (in[p + 2] & 0xff);
    }

    private static int index(int hash) {
        return ((hash >>> 8) - hash * 5) & (HASH_SIZE - 1);
    }
}
