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
    /**
     * Two things packed in one int so that an entry stays four fields wide. The low 24 bits
     * are the access clock ({@link #access()}): LRU seconds or, under an LFU policy, Redis's
     * packed LFU word. The high 8 bits are the snapshot stamp: the epoch (modulo 256) of
     * the last point-in-time snapshot that has already saved this key, see
     * ARCHITECTURE.md, "point-in-time snapshots".
     */
    int access;

    static final int CLOCK_MASK = (1 << 24) - 1;
    Entry next;
    /**
     * Heap bytes of the value when it was last measured (saturating), which the database's
     * used-memory estimate counts for it; fits in the padding of the object's last 8 bytes.
     */
    int footprint;

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

    /** The access clock word (24 bits): LRU seconds, or the LFU word under an LFU policy. */
    public final int access() {
        return access & CLOCK_MASK;
    }

    /** Sets the access clock word, keeping the snapshot stamp. */
    public final void access(int clockWord) {
        access = (access & ~CLOCK_MASK) | (clockWord & CLOCK_MASK);
    }

    /** The snapshot epoch (modulo 256) that last saved this key. */
    final int stamp() {
        return access >>> 24;
    }

    final void stamp(int epoch) {
        access = (access & CLOCK_MASK) | (epoch << 24);
    }

    /** Absolute expiry in unix milliseconds, or -1 when the key has no TTL. */
    public long expireAt() {
        return -1;
    }
}
