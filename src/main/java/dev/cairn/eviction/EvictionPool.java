package dev.cairn.eviction;

import java.util.Arrays;

/**
 * The best eviction candidates seen so far across sampling rounds (Redis's eviction pool):
 * up to {@link #SIZE} keys kept in ascending order of their score (idle time, inverted
 * frequency or inverted expiry time), so the best victim is the last one. Keeping
 * candidates between rounds makes a handful of samples per eviction approximate true
 * LRU/LFU closely.
 */
final class EvictionPool {
    static final int SIZE = 16;

    private final long[] scores = new long[SIZE];
    private final byte[][] keys = new byte[SIZE][];
    private final int[] dbs = new int[SIZE];
    private int size;

    /**
     * Offers a sampled key. It enters when the pool has room or when it scores better
     * than the worst candidate held (which then drops out). A key already held is not
     * added twice: a key sampled again is the same entry's same array.
     */
    void offer(long score, byte[] key, int db) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key && dbs[i] == db) return;
        }
        int at = 0;
        while (at < size && scores[at] < score) at++;
        if (size < SIZE) {
            System.arraycopy(scores, at, scores, at + 1, size - at);
            System.arraycopy(keys, at, keys, at + 1, size - at);
            System.arraycopy(dbs, at, dbs, at + 1, size - at);
            size++;
        } else {
            // Full: the worst (first) candidate makes room, unless this one is worse still.
            if (at == 0) return;
            at--;
            System.arraycopy(scores, 1, scores, 0, at);
            System.arraycopy(keys, 1, keys, 0, at);
            System.arraycopy(dbs, 1, dbs, 0, at);
        }
        scores[at] = score;
        keys[at] = key;
        dbs[at] = db;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The best candidate's key; the pool must not be empty. */
    byte[] bestKey() {
        return keys[size - 1];
    }

    int bestDb() {
        return dbs[size - 1];
    }

    /** Drops the best candidate (taken, or found gone). */
    void removeBest() {
        size--;
        keys[size] = null;
    }

    void clear() {
        Arrays.fill(keys, null);
        size = 0;
    }
}
