package dev.cairn.keyspace;

/**
 * One key of a database: the key bytes, its value and the access clock used by OBJECT
 * IDLETIME/FREQ and eviction. Entries chain inside a {@link KeyTable} bucket.
 *
 * <p>Kept as small as a Java object can be (four references or ints after the header):
 * a key with a TTL is an {@link ExpiringEntry} instead, so keys without one pay nothing
 * for it. Only the owning {@link Database} mutates an entry.
 */
public class Entry {
    final byte[] key;
    Object value;
    final int hash;
    /** LRU clock in seconds (24 bits) or, under an LFU policy, Redis's packed LFU word. */
    int access;
    Entry next;

    Entry(byte[] key, int hash, Object value) {
        this.key = key;
        this.hash = hash;
        this.value = value;
    }

    public final byte[] key() {
        return key;
    }

    public final Object value() {
        return value;
    }

    public final int access() {
        return access;
    }

    /** Absolute expiry in unix milliseconds, or -1 when the key has no TTL. */
    public long expireAt() {
        return -1;
    }
}
