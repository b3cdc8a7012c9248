package dev.cairn.keyspace;

import java.util.function.ToLongFunction;

/**
 * All numbered databases of the server, the clock they share and the hook that is told
 * when a key expires. Owns SWAPDB and FLUSHALL. Commands reach a database through the
 * client's selected index; nothing outside this package mutates an {@link Entry}.
 */
public final class Keyspace {
    /** Told what the keyspace does on its own: expiring keys, and read hits and misses. */
    public interface Listener {
        /** A key was removed because its TTL passed (lazily or actively). */
        void expired(Database db, byte[] key);

        /** A key was created (Redis's dbAdd): the "new" event, and clients blocked on it may be served. */
        void added(Database db, byte[] key, Object value);

        /**
         * A stream was deleted or replaced by another value: consumers blocked on it in a
         * group are told (Redis's signalDeletedKeyAsReady).
         */
        default void streamRemoved(Database db, byte[] key) {}

        /** A read lookup found the key (INFO keyspace_hits). */
        void hit();

        /** A read lookup did not (keyspace_misses, and the "keymiss" event when {@code notify}). */
        void miss(Database db, byte[] key, boolean notify);
    }

    private final Database[] databases;
    private final AccessClock clock;
    private final Listener listener;
    private boolean expiryEnabled = true;
    /** Heap bytes of a value (see {@link Database#bytes}); set by the server. */
    private ToLongFunction<Object> valueBytes = v -> 0;
    /** The sum of the databases' {@link Database#bytes}, kept by them. */
    long bytes;
    /** The running snapshot walk, or null. */
    SnapshotWalk snapshot;
    /** Epoch of the latest snapshot walk (8 bits); new entries are stamped with it. */
    private int epoch;

    /**
     * @param count      number of databases (the {@code databases} directive)
     * @param perSlot    one table per cluster slot instead of one per database
     */
    public Keyspace(int count, boolean perSlot, AccessClock clock, Listener listener) {
        this.clock = clock;
        this.listener = listener;
        this.databases = new Database[count];
        for (int i = 0; i < count; i++) databases[i] = new Database(i, this, perSlot ? HashSlot.COUNT : 1);
    }

    public int count() {
        return databases.length;
    }

    public Database db(int index) {
        return databases[index];
    }

    public AccessClock clock() {
        return clock;
    }

    Listener listener() {
        return listener;
    }

    /** Sets how values are measured for the memory estimate (before any key is added). */
    public void valueBytes(ToLongFunction<Object> measure) {
        this.valueBytes = measure;
    }

    /** Heap bytes of a value, saturated to an int as an entry stores it. */
    int measure(Object value) {
        return (int) Math.min(Integer.MAX_VALUE, valueBytes.applyAsLong(value));
    }

    /** Estimated heap bytes of every database's keys, values and tables (used_memory's dataset). */
    public long bytes() {
        return bytes;
    }

    /**
     * Whether expired keys may be deleted here. A replica turns this off: it reports
     * them missing but waits for its master's DEL, as Redis replicas do.
     */
    public boolean expiryEnabled() {
        return expiryEnabled;
    }

    public void expiryEnabled(boolean enabled) {
        this.expiryEnabled = enabled;
    }

    /**
     * Starts a point-in-time snapshot at this instant: from now on each key that exists
     * now reaches {@code saver} exactly once, as it is now (see {@link SnapshotWalk}).
     * Only one walk runs at a time.
     */
    public SnapshotWalk startSnapshot(SnapshotWalk.Saver saver) {
        if (snapshot != null) throw new IllegalStateException("a snapshot walk is already running");
        epoch = (epoch + 1) & 0xFF;
        snapshot = new SnapshotWalk(this, epoch, saver);
        return snapshot;
    }

    /** The running snapshot walk, or null. */
    public SnapshotWalk snapshot() {
        return snapshot;
    }

    void snapshotFinished(SnapshotWalk walk) {
        if (snapshot == walk) snapshot = null;
    }

    /** The stamp for entries created now: they belong to no running snapshot. */
    int currentEpoch() {
        return epoch;
    }

    public void swap(int a, int b) {
        databases[a].swapWith(databases[b]);
    }

    /** Empties every database; returns the number of keys removed. */
    public long flushAll() {
        long removed = 0;
        for (Database db : databases) removed += db.clear();
        return removed;
    }

    public long totalKeys() {
        long n = 0;
        for (Database db : databases) n += db.size();
        return n;
    }

    /** Cron work: incremental rehashing of every database's tables. */
    public void maintainTables(int bucketsPerTable) {
        for (Database db : databases) db.maintain(bucketsPerTable);
    }
}
