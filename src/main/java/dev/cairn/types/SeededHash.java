package dev.cairn.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The hash of keys and collection members: 32 bits from a per-process random seed, so
 * that clients cannot choose keys that collide (Redis seeds its siphash the same way).
 */
public final class SeededHash {
    private static final long SEED = ThreadLocalRandom.current().nextLong();
    private static final VarHandle LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private SeededHash() {}

    public static int of(byte[] k) {
        int len = k.length;
        long h = SEED ^ (len * 0x9E3779B97F4A7C15L);
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = Long.rotateLeft(h ^ ((long) LONGS.get(k, i) * 0xbf58476d1ce4e5b9L), 31) * 0x94d049bb133111ebL;
        }
        long tail = 0;
        for (; i < len; i++) tail = (tail << 8) | (k[i] & 0xff);
        h ^= tail * 0xbf58476d1ce4e5b9L;
        h ^= h >>> 31;
        h *= 0x94d049bb133111ebL;
        h ^= h >>> 29;
        return (int) (h ^ (h >>> 32));
    }
}
