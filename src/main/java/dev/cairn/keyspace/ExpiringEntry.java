package dev.cairn.keyspace;

/**
 * An {@link Entry} with a TTL. It also remembers its position in the database's
 * {@link TtlIndex} so that removing it from there is O(1).
 */
final class ExpiringEntry extends Entry {
    long expireAt;
    int ttlPosition = -1;

    ExpiringEntry(Entry from, long expireAt) {
        super(from.key, from.hash, from.value);
        this.access = from.access;
        this.footprint = from.footprint;
        this.expireAt = expireAt;
    }

    @Override
    public long expireAt() {
        return expireAt;
    }
}
