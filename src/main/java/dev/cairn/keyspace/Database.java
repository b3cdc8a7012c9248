package dev.cairn.keyspace;

import dev.cairn.types.CollectionValue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One numbered database (SELECT n): the keys and their TTLs.
 *
 * <p>Keys live in one {@link KeyTable}, or in one table per cluster hash slot when the
 * server runs in cluster mode, so that counting, listing and migrating a slot's keys
 * touches only that slot (see ARCHITECTURE.md, "keys by slot"). Keys with a TTL are
 * also held in a {@link TtlIndex} for the active expiry cycle.
 *
 * <p>Expiry is lazy here: the {@code lookup*} methods delete a key whose time has come
 * (reporting it to the {@link Keyspace.Listener}) before answering, so no command
 * ever sees an expired key. {@link #find} is the raw view that does not.
 *
 * <p>Not thread-safe: used only from the command thread.
 */
public final class Database {
    private final int id;
    private final Keyspace keyspace;
    private KeyTable[] tables;
    private final TtlIndex ttls = new TtlIndex();
    private long size;
    /** Estimated heap bytes of the keys held: see {@link #bytes}. */
    private long bytes;
    /**
     * The entry the last write lookup returned or created, so that re-measuring it after
     * the command changed it ({@link #remeasure}) needs no second hash lookup.
     */
    private Entry lastWritten;

    /** An entry object with compact headers (header, three references, two ints, footprint). */
    static final int ENTRY_BYTES = 32;
    /** What a TTL adds: the larger entry object and the TtlIndex slot. */
    static final int TTL_BYTES = 8 + 8;
    /** The hash table's bucket slot per key (load factor up to 1, plus growth slack). */
    static final int SLOT_BYTES = 8;
    /** Above this many elements a collection is measured again only now and then (see remeasure). */
    private static final int BIG_COLLECTION = 128;
    private static final int BIG_REMEASURE_PERIOD = 16;
    private int remeasureTick;

    Database(int id, Keyspace keyspace, int tableCount) {
        this.id = id;
        this.keyspace = keyspace;
        this.tables = new KeyTable[tableCount];
        for (int i = 0; i < tableCount; i++) tables[i] = new KeyTable();
    }

    public int id() {
        return id;
    }

    public long size() {
        return size;
    }

    public long expiresCount() {
        return ttls.size();
    }

    /**
     * Estimated heap bytes of this database's keys: per key the entry, the key bytes, the
     * table slot, the TTL and the value as last measured. Kept up to date incrementally
     * (O(1) per write), see ARCHITECTURE.md, "used_memory".
     */
    public long bytes() {
        return bytes;
    }

    private static long keyBytes(Entry e) {
        return ENTRY_BYTES + SLOT_BYTES + ((12 + e.key.length + 7) & ~7) + e.footprint
                + (e instanceof ExpiringEntry ? TTL_BYTES : 0);
    }

    /**
     * Measures the key's value again after a command changed it in place (the server
     * calls this for every modified key). O(1): collections are measured by sampling.
     * Sampling a big collection costs a few cache misses, which a write to it (HSET, LPOP)
     * would pay every time; so a big collection is measured again on one of every
     * {@link #BIG_REMEASURE_PERIOD} writes, and its estimate lags by at most that many
     * elements, a negligible part of it.
     */
    public void remeasure(byte[] key) {
        Entry e = lastWritten;
        if (e == null || (e.key != key && !java.util.Arrays.equals(e.key, key))) {
            e = find(key);
            if (e == null) return;
        }
        if (e.value instanceof CollectionValue c && c.size() > BIG_COLLECTION
                && (++remeasureTick & (BIG_REMEASURE_PERIOD - 1)) != 0) {
            return;
        }
        measure(e);
    }


    /** Changes this database's count and the keyspace's total (so used_memory is O(1)). */
    private void addBytes(long delta) {
        bytes += delta;
        keyspace.bytes += delta;
    }

    private void measure(Entry e) {
        int now = keyspace.measure(e.value);
        addBytes(now - e.footprint);
        e.footprint = now;
    }

    private KeyTable tableFor(byte[] key) {
        return tables.length == 1 ? tables[0] : tables[HashSlot.of(key)];
    }

    // ---- lookups -------------------------------------------------------------------

    /** The entry for the key even if its TTL has passed; no side effects. */
    public Entry find(byte[] key) {
        return tableFor(key).find(key, KeyTable.hash(key));
    }

    /**
     * The live entry for a read: deletes the key first if it has expired, then touches
     * its access clock. Counts a keyspace hit or miss, and a miss raises "keymiss".
     * Null when absent.
     */
    public Entry lookupRead(byte[] key) {
        return lookupRead(key, true, true);
    }

    /**
     * A read lookup with Redis's LOOKUP_NOTOUCH and LOOKUP_NONOTIFY choices: commands
     * that only inspect a key (EXISTS, TYPE, TTL, OBJECT) leave its idle time alone,
     * and OBJECT does not raise "keymiss". Hits and misses are always counted.
     */
    public Entry lookupRead(byte[] key, boolean touch, boolean notifyMiss) {
        Entry e = find(key);
        if (e != null && expireIfNeeded(e)) e = null;
        if (e == null) {
            keyspace.listener().miss(this, key, notifyMiss);
            return null;
        }
        keyspace.listener().hit();
        if (touch) e.access(keyspace.clock().touch(e.access()));
        return e;
    }

    /**
     * The live entry for a write: deletes the key first if it has expired, and touches
     * its access clock as Redis's lookupKeyWrite does. No hit/miss statistics.
     */
    public Entry lookupWrite(byte[] key) {
        Entry e = find(key);
        if (e == null || expireIfNeeded(e)) return null;
        e.access(keyspace.clock().touch(e.access()));
        beforeChange(e);
        lastWritten = e;
        return e;
    }

    /** The live value or null; touches the access clock like a read. */
    public Object get(byte[] key) {
        Entry e = lookupRead(key);
        return e == null ? null : e.value;
    }

    /** True when the key exists and has not expired (a write lookup: no statistics). */
    public boolean exists(byte[] key) {
        return lookupWrite(key) != null;
    }

    /**
     * True when the entry's TTL has passed. As in Redis, a key is still alive during
     * the millisecond of its expiry time and gone only after it.
     */
    public boolean isExpired(Entry e) {
        return e instanceof ExpiringEntry x && keyspace.clock().expiryNowMillis() > x.expireAt;
    }

    /** Deletes the key if it exists and its TTL has passed; true when it did (SCAN's filter). */
    public boolean expireIfNeeded(byte[] key) {
        Entry e = find(key);
        return e != null && expireIfNeeded(e);
    }

    /**
     * Deletes the entry if its TTL has passed. Returns true when the key is to be treated
     * as missing. Replicas report it missing but leave the deletion to their master.
     */
    boolean expireIfNeeded(Entry e) {
        if (!isExpired(e)) return false;
        if (!keyspace.expiryEnabled()) return true;
        remove(e.key);
        keyspace.listener().expired(this, e.key);
        return true;
    }

    // ---- writes --------------------------------------------------------------------

    /** Adds a key that must not exist (Redis's dbAdd). */
    public Entry add(byte[] key, Object value) {
        Entry e = new Entry(key, KeyTable.hash(key), value);
        e.access(keyspace.clock().initial());
        e.stamp(keyspace.currentEpoch());
        e.footprint = keyspace.measure(value);
        tableFor(key).insert(e);
        size++;
        addBytes(keyBytes(e));
        lastWritten = e;
        keyspace.listener().added(this, key, value);
        return e;
    }

    /**
     * Sets the key to the value, creating it or replacing its value; the TTL is removed
     * unless {@code keepTtl} (Redis's setKey).
     */
    public Entry set(byte[] key, Object value, boolean keepTtl) {
        Entry e = lookupWrite(key);
        if (e == null) return add(key, value);
        replacingStream(e, value);
        e.value = value;
        if (!keepTtl && e instanceof ExpiringEntry) e = persist(e);
        measure(e);
        return e;
    }

    /** Replaces the value of an existing entry, keeping its TTL (Redis's dbOverwrite). */
    public void overwrite(Entry e, Object value) {
        beforeChange(e);
        replacingStream(e, value);
        e.value = value;
        measure(e);
    }

    private void replacingStream(Entry e, Object value) {
        if (e.value instanceof dev.cairn.types.StreamValue && !(value instanceof dev.cairn.types.StreamValue)) {
            keyspace.listener().streamRemoved(this, e.key);
        }
    }

    /** Deletes the key; returns its value, or null when it did not exist. */
    public Object remove(byte[] key) {
        KeyTable t = tableFor(key);
        if (keyspace.snapshot != null) {
            Entry found = t.find(key, KeyTable.hash(key));
            if (found != null) keyspace.snapshot.preserve(t, found);
        }
        Entry e = t.remove(key, KeyTable.hash(key));
        if (e == null) return null;
        size--;
        addBytes(-keyBytes(e));
        if (e == lastWritten) lastWritten = null;
        if (e instanceof ExpiringEntry x) ttls.remove(x);
        if (e.value instanceof dev.cairn.types.StreamValue) keyspace.listener().streamRemoved(this, key);
        return e.value;
    }

    /** Deletes a live key; an expired one counts as absent. Returns true if deleted. */
    public boolean delete(byte[] key) {
        if (lookupWrite(key) == null) return false;
        remove(key);
        return true;
    }

    /** Gives the key an absolute expiry time in unix ms; returns the (possibly new) entry. */
    public Entry setExpire(Entry e, long whenMillis) {
        beforeChange(e);
        if (e instanceof ExpiringEntry x) {
            x.expireAt = whenMillis;
            return x;
        }
        ExpiringEntry x = new ExpiringEntry(e, whenMillis);
        tableFor(e.key).replace(e, x);
        ttls.add(x);
        addBytes(TTL_BYTES);
        if (lastWritten == e) lastWritten = x;
        return x;
    }

    /** Removes the TTL of the entry; returns the (possibly new) entry. */
    public Entry persist(Entry e) {
        if (!(e instanceof ExpiringEntry x)) return e;
        beforeChange(x);
        ttls.remove(x);
        Entry plain = new Entry(x.key, x.hash, x.value);
        plain.access = x.access;
        plain.footprint = x.footprint;
        tableFor(x.key).replace(x, plain);
        addBytes(-TTL_BYTES);
        if (lastWritten == x) lastWritten = plain;
        return plain;
    }

    /** Removes every key; returns how many there were. */
    public long clear() {
        long removed = size;
        if (keyspace.snapshot != null) {
            // The running snapshot still walks the old tables; nobody else will touch them.
            for (int i = 0; i < tables.length; i++) tables[i] = new KeyTable();
        } else {
            for (KeyTable t : tables) t.clear();
        }
        ttls.clear();
        size = 0;
        addBytes(-bytes);
        lastWritten = null;
        return removed;
    }

    /**
     * Saves the entry into the running snapshot before it changes, if the snapshot has not
     * saved it yet (see {@link SnapshotWalk}). One field read when no snapshot runs.
     */
    private void beforeChange(Entry e) {
        SnapshotWalk walk = keyspace.snapshot;
        if (walk != null && e.stamp() != walk.epoch()) walk.preserve(tableFor(e.key), e);
    }

    /** The tables as they are now, marked as belonging to database {@code atStart} of a walk. */
    KeyTable[] captureTables(int atStart) {
        for (KeyTable t : tables) t.snapshotDb = atStart;
        return tables.clone();
    }

    /**
     * Adds a key read from a file (RDB or AOF base) without telling anyone: no keyspace
     * event, no wake-up of blocked clients. {@code expireAt} -1 for none; the access word
     * is the clock word to store. Returns null, adding nothing, when the key exists.
     */
    public Entry load(byte[] key, Object value, long expireAt, int accessWord) {
        Entry e = new Entry(key, KeyTable.hash(key), value);
        e.access(accessWord);
        e.stamp(keyspace.currentEpoch());
        KeyTable t = tableFor(key);
        if (t.find(key, e.hash) != null) return null;
        e.footprint = keyspace.measure(value);
        t.insert(e);
        size++;
        addBytes(keyBytes(e));
        return expireAt >= 0 ? setExpire(e, expireAt) : e;
    }

    // ---- iteration and sampling ----------------------------------------------------

    /** A random live key, or null when the database is empty (Redis's RANDOMKEY). */
    public byte[] randomKey() {
        // Like Redis, give up on filtering expired keys after many tries when every key
        // sampled is expired but may not be deleted (a replica): return one anyway.
        for (int tries = 0; size > 0; tries++) {
            Entry e = randomEntry();
            if (e == null) return null;
            if (isExpired(e)) {
                if (!keyspace.expiryEnabled() && tries >= 100) return e.key;
                expireIfNeeded(e);
                continue;
            }
            return e.key;
        }
        return null;
    }

    /** A uniformly random entry, expired or not (eviction's sampling), or null when empty. */
    public Entry randomEntry() {
        if (tables.length == 1) return tables[0].random();
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < 64; i++) {
            KeyTable t = tables[rnd.nextInt(tables.length)];
            if (t.size() > 0) return t.random();
        }
        for (KeyTable t : tables) if (t.size() > 0) return t.random();
        return null;
    }

    /**
     * Up to {@code count} entries, expired or not, from consecutive buckets of a random
     * place of the table (eviction's sampling; see {@link KeyTable#sample}).
     */
    public void sample(int count, Consumer<Entry> emit) {
        if (tables.length == 1) {
            tables[0].sample(count, emit);
            return;
        }
        Entry e = randomEntry();
        if (e != null) tableFor(e.key).sample(count, emit);
    }

    /** A random key with a TTL (for the active expiry cycle and INFO's avg_ttl), or null. */
    public Entry randomExpiring() {
        return ttls.random();
    }

    /**
     * One SCAN step over all tables. The low bits of the cursor select the table when
     * there are several (as Redis 7.2's kvstore does), the rest is the table's cursor.
     */
    public long scan(long cursor, Consumer<Entry> emit) {
        if (tables.length == 1) return tables[0].scan(cursor, emit);
        int bits = Integer.numberOfTrailingZeros(tables.length);
        int index = (int) (cursor & (tables.length - 1));
        long inner = cursor >>> bits;
        while (index < tables.length) {
            KeyTable t = tables[index];
            if (t.size() > 0) {
                inner = t.scan(inner, emit);
                if (inner != 0) return (inner << bits) | index;
            }
            index++;
            inner = 0;
            // Return after each non-empty table so one call stays short.
            if (t.size() > 0) return index == tables.length ? 0 : index;
        }
        return 0;
    }

    /** Visits every entry, expired or not; the database must not change meanwhile. */
    public void forEach(Consumer<Entry> action) {
        for (KeyTable t : tables) t.forEach(action);
    }

    /** Cron work: a little incremental rehashing and shrinking of sparse tables. */
    void maintain(int rehashBuckets) {
        for (KeyTable t : tables) {
            t.shrinkIfSparse();
            if (t.rehashing()) t.rehashStep(rehashBuckets);
        }
    }

    /** Exchanges contents with another database (SWAPDB). */
    void swapWith(Database other) {
        KeyTable[] mine = tables.clone();
        System.arraycopy(other.tables, 0, tables, 0, tables.length);
        System.arraycopy(mine, 0, other.tables, 0, mine.length);
        TtlIndex.swap(ttls, other.ttls);
        long s = size;
        size = other.size;
        other.size = s;
        long b = bytes;
        bytes = other.bytes;
        other.bytes = b;
        lastWritten = null;
        other.lastWritten = null;
    }
}
