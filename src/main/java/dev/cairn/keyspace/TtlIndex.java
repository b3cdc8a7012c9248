package dev.cairn.keyspace;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The keys of one database that have a TTL, in a dense array so that the active expiry
 * cycle can sample random keys in O(1) (Redis samples random buckets of its expires
 * dict for the same purpose). Removal swaps the last element into the hole.
 *
 * <p>Invariant: {@code keys[e.ttlPosition] == e} for every entry held, and
 * {@code e.ttlPosition == -1} for every expiring entry not held.
 */
final class TtlIndex {
    private ExpiringEntry[] keys = new ExpiringEntry[16];
    private int size;

    int size() {
        return size;
    }

    void add(ExpiringEntry e) {
        if (size == keys.length) keys = Arrays.copyOf(keys, size * 2);
        e.ttlPosition = size;
        keys[size++] = e;
    }

    void remove(ExpiringEntry e) {
        int at = e.ttlPosition;
        if (at < 0) return;
        ExpiringEntry last = keys[--size];
        keys[at] = last;
        last.ttlPosition = at;
        keys[size] = null;
        e.ttlPosition = -1;
        if (keys.length > 64 && size < keys.length / 4) keys = Arrays.copyOf(keys, keys.length / 2);
    }

    /** A uniformly random entry, or null when empty. */
    ExpiringEntry random() {
        return size == 0 ? null : keys[ThreadLocalRandom.current().nextInt(size)];
    }

    static void swap(TtlIndex a, TtlIndex b) {
        ExpiringEntry[] keys = a.keys;
        int size = a.size;
        a.keys = b.keys;
        a.size = b.size;
        b.keys = keys;
        b.size = size;
    }

    void clear() {
        keys = new ExpiringEntry[16];
        size = 0;
    }
}
