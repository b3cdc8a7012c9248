package dev.cairn.keyspace;

/**
 * Redis Cluster's key-to-slot mapping: CRC16 (XMODEM) of the key, or of the part inside
 * the first non-empty {@code {...}} hash tag, modulo 16384.
 */
public final class HashSlot {
    public static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            TABLE[i] = crc & 0xffff;
        }
    }

    private HashSlot() {}

    public static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        return crc;
    }

    public static int of(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close == open + 1) break; // "{}" is not a tag: hash the whole key
                    return crc16(key, open + 1, close) & (COUNT - 1);
                }
            }
        }
        return crc16(key, 0, key.length) & (COUNT - 1);
    }
}
