package dev.cairn.persistence;

/**
 * CRC-64/Jones as Redis computes it for DUMP payloads and RDB files: polynomial
 * 0xad93d23594c935a9, reflected input and output, initial value 0, no final xor.
 * Check value: "123456789" gives 0xe9c6d914c4b8d9ca.
 */
public final class Crc64 {
    private static final long[] TABLE = new long[256];

    static {
        // The reflected form of the polynomial.
        long poly = Long.reverse(0xad93d23594c935a9L);
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >>> 1) ^ poly : crc >>> 1;
            TABLE[i] = crc;
        }
    }

    private Crc64() {}

    public static long of(byte[] data) {
        return update(0, data, 0, data.length);
    }

    /** The CRC of the bytes so far ({@code crc}) extended by {@code len} more bytes. */
    public static long update(long crc, byte[] data, int off, int len) {
        for (int i = off, end = off + len; i < end; i++) crc = TABLE[(int) ((crc ^ data[i]) & 0xff)] ^ (crc >>> 8);
        return crc;
    }
}
