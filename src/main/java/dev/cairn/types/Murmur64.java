package dev.cairn.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * MurmurHash64A (Austin Appleby's public-domain 64-bit hash), written from the published
 * algorithm: the item hash of the Bloom and Cuckoo filters. Stable across runs and
 * machines, which a filter needs because its bits are persisted.
 */
public final class Murmur64 {
    private Murmur64() {}

    private static final long M = 0xc6a4a7935bd1e995L;
    private static final int R = 47;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    public static long hash(byte[] data, long seed) {
        int length = data.length;
        long h = seed ^ (length * M);
        int blocks = length & ~7;
        for (int i = 0; i < blocks; i += 8) {
            long k = (long) LONGS.get(data, i);
            k *= M;
            k ^= k >>> R;
            k *= M;
            h ^= k;
            h *= M;
        }
        int tail = length & 7;
        if (tail != 0) {
            for (int i = tail - 1; i >= 0; i--) h ^= (data[blocks + i] & 0xffL) << (8 * i);
            h *= M;
        }
        h ^= h >>> R;
        h *= M;
        h ^= h >>> R;
        return h;
    }
}
