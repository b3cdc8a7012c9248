package dev.cairn.keyspace;

import java.util.function.Consumer;

/**
 * The keyspace's half of a point-in-time snapshot (ARCHITECTURE.md, "point-in-time
 * snapshots without fork"): hands every key that existed at the instant the walk started
 * to a {@link Saver} exactly once, with its value and TTL as of that instant, while
 * clients go on changing keys.
 *
 * <p>How: the walk takes a new epoch and captures the key tables of every database.
 * {@link #step} walks them with the SCAN cursor and saves each entry not yet stamped
 * with the epoch, then stamps it. Before any change to an entry not yet stamped (a write
 * lookup, a TTL change, a removal), the {@link Database} calls {@link #preserve}, which
 * saves the entry first. Entries created after the start are stamped at birth. SCAN's
 * guarantee (every entry present throughout is emitted at least once) and the stamps
 * (at most once) give exactly once. A database emptied by FLUSHDB gets new tables while
 * the walk finishes the captured ones, which nobody changes any more.
 *
 * <p>Stamps are 8 bits. When a walk is abandoned, {@link #abandon} stamps the keys not
 * yet visited, so that every key carries the same stamp again and a stamp can never
 * alias a later epoch's.
 *
 * <p>Used only from the command thread.
 */
public final class SnapshotWalk {
    /** Receives each key of the snapshot once: {@code db} is its database at the start. */
    public interface Saver {
        void save(int db, Entry entry);
    }

    private final Keyspace keyspace;
    private final int epoch;
    private final KeyTable[][] tables;
    private final long[] sizes;
    private final long[] expires;
    private Saver saver;
    private int db;
    private int table;
    private long cursor;
    private boolean complete;
    private long saved;
    private final Consumer<Entry> visit = this::visit;

    SnapshotWalk(Keyspace keyspace, int epoch, Saver saver) {
        this.keyspace = keyspace;
        this.epoch = epoch;
        this.saver = saver;
        int count = keyspace.count();
        this.tables = new KeyTable[count][];
        this.sizes = new long[count];
        this.expires = new long[count];
        for (int i = 0; i < count; i++) {
            Database d = keyspace.db(i);
            tables[i] = d.captureTables(i);
            sizes[i] = d.size();
            expires[i] = d.expiresCount();
        }
    }

    int epoch() {
        return epoch;
    }

    /** Keys in database {@code db} when the walk started (a hint for RESIZEDB). */
    public long sizeAtStart(int db) {
        return sizes[db];
    }

    /** Keys with a TTL in database {@code db} when the walk started. */
    public long expiresAtStart(int db) {
        return expires[db];
    }

    /** Entries handed to the saver so far (by the walk and by preservation). */
    public long saved() {
        return saved;
    }

    public boolean complete() {
        return complete;
    }

    /**
     * Walks about {@code budget} buckets' worth of entries; returns true once every key of
     * the snapshot has been saved (the walk then detaches from the keyspace).
     */
    public boolean step(int budget) {
        int steps = 0;
        while (!complete && steps < budget) {
            if (db == tables.length) {
                finish();
                break;
            }
            KeyTable[] dbTables = tables[db];
            if (table == dbTables.length) {
                db++;
                table = 0;
                continue;
            }
            cursor = dbTables[table].scan(cursor, visit);
            steps++;
            if (cursor == 0) table++;
        }
        return complete;
    }

    private void visit(Entry e) {
        if (e.stamp() == epoch) return;
        save(db, e);
    }

    private void save(int atStart, Entry e) {
        e.stamp(epoch);
        if (saver != null) {
            saved++;
            saver.save(atStart, e);
        }
    }

    /** Saves an entry about to change or go, unless it is already saved. */
    void preserve(KeyTable owner, Entry e) {
        if (e.stamp() == epoch) return;
        save(owner.snapshotDb, e);
    }

    /**
     * Stops saving and only stamps the keys not yet visited, then detaches. Used when the
     * snapshot fails or is cancelled; costs one pass over the rest of the keys.
     */
    public void abandon() {
        if (complete) return;
        saver = null;
        step(Integer.MAX_VALUE);
    }

    private void finish() {
        complete = true;
        for (KeyTable[] ts : tables) for (KeyTable t : ts) t.snapshotDb = -1;
        keyspace.snapshotFinished(this);
    }
}
