package dev.cairn.transaction;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which transactions watch which key of which database (the index side of WATCH). A key
 * changed through {@link #touch} marks its watchers in O(watchers); a database emptied or
 * swapped marks the watchers of its keys that existed ({@link #touchAllInDb}). A touched
 * transaction stops watching at once: its EXEC fails whatever happens next.
 *
 * <p>Watches stay with the database number, as clients do: SWAPDB moves keys, not watches.
 */
public final class WatchedKeys {
    /** One key watched by one transaction. */
    static final class Watch {
        final Database db;
        final byte[] key;
        final Transaction owner;
        /**
         * The key had already expired (though not yet deleted) when watched: its deletion
         * is then no change, and EXEC does not count its expiry.
         */
        boolean expiredWhenWatched;

        Watch(Database db, byte[] key, Transaction owner, boolean expiredWhenWatched) {
            this.db = db;
            this.key = key;
            this.owner = owner;
            this.expiredWhenWatched = expiredWhenWatched;
        }
    }

    /** Per database number: key -> its watches, in the order they were made. */
    private final Map<ByteBuffer, List<Watch>>[] byDb;

    @SuppressWarnings("unchecked")
    public WatchedKeys(int databases) {
        byDb = new Map[databases];
        for (int i = 0; i < databases; i++) byDb[i] = new HashMap<>();
    }

    void watch(Transaction tx, Database db, byte[] key) {
        for (Watch w : tx.watches) {
            if (w.db == db && Arrays.equals(w.key, key)) return;
        }
        Watch w = new Watch(db, key, tx, isExpired(db, key));
        byDb[db.id()].computeIfAbsent(ByteBuffer.wrap(key), k -> new ArrayList<>(1)).add(w);
        tx.watches.add(w);
    }

    void unwatchAll(Transaction tx) {
        if (tx.watches.isEmpty()) return;
        for (Watch w : tx.watches) {
            Map<ByteBuffer, List<Watch>> keys = byDb[w.db.id()];
            ByteBuffer name = ByteBuffer.wrap(w.key);
            List<Watch> watchers = keys.get(name);
            watchers.remove(w);
            if (watchers.isEmpty()) keys.remove(name);
        }
        tx.watches.clear();
    }

    /**
     * A key was changed (Redis's touchWatchedKey): its watchers' EXEC will fail. A key
     * that had expired when watched and has now been deleted is no change: it was
     * already gone; it counts as a plain missing key from then on.
     */
    public void touch(Database db, byte[] key) {
        Map<ByteBuffer, List<Watch>> keys = byDb[db.id()];
        if (keys.isEmpty()) return;
        List<Watch> watchers = keys.get(ByteBuffer.wrap(key));
        if (watchers == null) return;
        for (Watch w : watchers.toArray(new Watch[0])) {
            if (w.expiredWhenWatched) {
                if (db.find(key) == null) w.expiredWhenWatched = false;
                continue;
            }
            markTouched(w.owner);
        }
    }

    /**
     * A database is about to be emptied (FLUSHDB, FLUSHALL: {@code replacement} null) or
     * to take the contents of {@code replacement} (SWAPDB, called for both sides before
     * the swap). A watcher is touched when its key exists now or, for a swap, exists in
     * the replacement; a key that was already expired when watched, and stays missing or
     * expired, is no change (Redis's touchAllWatchedKeysInDb).
     */
    public void touchAllInDb(Database emptied, Database replacement) {
        Map<ByteBuffer, List<Watch>> keys = byDb[emptied.id()];
        if (keys.isEmpty()) return;
        for (List<Watch> watchers : keys.values().toArray(new List[0])) {
            for (Watch w : watchers.toArray(new Watch[0])) {
                if (w.owner.touched) continue;
                boolean inEmptied = emptied.find(w.key) != null;
                boolean inReplacement = replacement != null && replacement.find(w.key) != null;
                if (!inEmptied && !inReplacement) continue;
                if (w.expiredWhenWatched) {
                    if (!inReplacement) {
                        w.expiredWhenWatched = false;
                        continue;
                    }
                    if (isExpired(replacement, w.key)) continue;
                } else if (!inEmptied && isExpired(replacement, w.key)) {
                    // A missing key replaced by an expired one: still missing, but now expired.
                    w.expiredWhenWatched = true;
                    continue;
                }
                markTouched(w.owner);
            }
        }
    }

    private void markTouched(Transaction tx) {
        tx.touched = true;
        // Its EXEC fails whatever happens next: no point in watching further.
        unwatchAll(tx);
    }

    /** Whether the key is present with a TTL that has passed (Redis's keyIsExpired). */
    static boolean isExpired(Database db, byte[] key) {
        Entry e = db.find(key);
        return e != null && db.isExpired(e);
    }
}
