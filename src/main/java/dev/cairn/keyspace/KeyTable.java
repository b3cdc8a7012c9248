package dev.cairn.keyspace;

import dev.cairn.types.SeededHash;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A hash table of {@link Entry} chains, shaped like Redis's {@code dict}: power-of-two
 * bucket arrays, growth at load factor 1, and incremental rehashing into a second array
 * so that growing a table of millions of keys never stalls a command (each operation
 * moves a few buckets; the server cron moves more when idle).
 *
 * <p>Why chaining and not open addressing: SCAN must return every key present for the
 * whole iteration, across resizes. Redis's reverse-binary cursor gives that guarantee
 * for chained power-of-two tables; open addressing moves entries between buckets on
 * deletion and would lose it.
 *
 * <p>Not thread-safe: owned by one {@link Database}, used from the command thread.
 */
final class KeyTable {
    private static final Entry[] EMPTY = new Entry[0];
    private static final int INITIAL_SIZE = 4;
    /** Below this fill percentage the cron shrinks the table (Redis's HASHTABLE_MIN_FILL). */
    private static final int MIN_FILL_PERCENT = 10;

    private Entry[] main = EMPTY;
    /** The array being rehashed into, or null when not rehashing. */
    private Entry[] target;
    /** Next bucket of {@code main} to move while rehashing. */
    private int rehashIndex;
    private int size;
    /**
     * While a snapshot walk holds this table: the database it belonged to when the walk
     * started (SWAPDB may move the table since), else -1.
     */
    int snapshotDb = -1;

    /** The seeded hash of the key bytes, so that clients cannot force collisions. */
    static int hash(byte[] k) {
        return SeededHash.of(k);
    }

    int size() {
        return size;
    }

    Entry find(byte[] key, int hash) {
        if (size == 0) return null;
        if (target != null) rehashStep(1);
        Entry e = findIn(main, key, hash);
        if (e == null && target != null) e = findIn(target, key, hash);
        return e;
    }

    private static Entry findIn(Entry[] table, byte[] key, int hash) {
        if (table.length == 0) return null;
        for (Entry e = table[hash & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) return e;
        }
        return null;
    }

    /** Adds an entry whose key is known to be absent. */
    void insert(Entry e) {
        if (target != null) rehashStep(1);
        else if (size >= main.length) startRehash(Math.max(INITIAL_SIZE, size + 1));
        Entry[] table = target != null ? target : main;
        int at = e.hash & (table.length - 1);
        e.next = table[at];
        table[at] = e;
        size++;
    }

    /** Removes and returns the entry for the key, or null when absent. */
    Entry remove(byte[] key, int hash) {
        if (size == 0) return null;
        if (target != null) rehashStep(1);
        Entry e = removeFrom(main, key, hash);
        if (e == null && target != null) e = removeFrom(target, key, hash);
        if (e != null) {
            size--;
            e.next = null;
        }
        return e;
    }

    private static Entry removeFrom(Entry[] table, byte[] key, int hash) {
        if (table.length == 0) return null;
        int at = hash & (table.length - 1);
        Entry prev = null;
        for (Entry e = table[at]; e != null; prev = e, e = e.next) {
            if (e.hash == hash && Arrays.equals(e.key, key)) {
                if (prev == null) table[at] = e.next;
                else prev.next = e.next;
                return e;
            }
        }
        return null;
    }

    /** Puts {@code replacement} (same key) where {@code current} is in its chain. */
    void replace(Entry current, Entry replacement) {
        if (!replaceIn(main, current, replacement) && (target == null || !replaceIn(target, current, replacement))) {
            throw new IllegalStateException("entry not in table");
        }
    }

    private static boolean replaceIn(Entry[] table, Entry current, Entry replacement) {
        if (table.length == 0) return false;
        int at = current.hash & (table.length - 1);
        Entry prev = null;
        for (Entry e = table[at]; e != null; prev = e, e = e.next) {
            if (e == current) {
                replacement.next = current.next;
                current.next = null;
                if (prev == null) table[at] = replacement;
                else prev.next = replacement;
                return true;
            }
        }
        return false;
    }

    void clear() {
        main = EMPTY;
        target = null;
        rehashIndex = 0;
        size = 0;
    }

    // ---- resizing ------------------------------------------------------------------

    private void startRehash(int minSize) {
        int capacity = Integer.highestOneBit(Math.max(minSize, INITIAL_SIZE) - 1) << 1;
        if (main.length == 0) {
            main = new Entry[capacity];
            return;
        }
        target = new Entry[capacity];
        rehashIndex = 0;
    }

    /**
     * Moves up to {@code buckets} non-empty buckets to the new array, visiting at most ten
     * times as many empty ones (Redis's bound, so one step stays cheap).
     *
     * @return true when rehashing is still in progress afterwards
     */
    boolean rehashStep(int buckets) {
        if (target == null) return false;
        int emptyVisits = buckets * 10;
        int mask = target.length - 1;
        while (buckets-- > 0 && rehashIndex < main.length) {
            while (main[rehashIndex] == null) {
                rehashIndex++;
                if (rehashIndex == main.length) break;
                if (--emptyVisits == 0) return true;
            }
            if (rehashIndex == main.length) break;
            Entry e = main[rehashIndex];
            while (e != null) {
                Entry next = e.next;
                int at = e.hash & mask;
                e.next = target[at];
                target[at] = e;
                e = next;
            }
            main[rehashIndex++] = null;
        }
        if (rehashIndex >= main.length) {
            main = target;
            target = null;
            rehashIndex = 0;
            return false;
        }
        return true;
    }

    /** Called by the cron: shrinks a table that has become mostly empty. */
    void shrinkIfSparse() {
        if (target != null || main.length <= INITIAL_SIZE) return;
        if ((long) size * 100 / main.length < MIN_FILL_PERCENT) startRehash(Math.max(size, INITIAL_SIZE));
    }

    boolean rehashing() {
        return target != null;
    }

    // ---- sampling and scanning -------------------------------------------------------

    /** A random entry (random non-empty bucket, then random chain element), or null. */
    Entry random() {
        if (size == 0) return null;
        if (target != null) rehashStep(1);
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Entry head;
        do {
            if (target == null) {
                head = main[rnd.nextInt(main.length)];
            } else {
                // Buckets of main below rehashIndex are already empty: skip them.
                int span = main.length - rehashIndex + target.length;
                int at = rnd.nextInt(span);
                head = at < main.length - rehashIndex ? main[rehashIndex + at] : target[at - (main.length - rehashIndex)];
            }
        } while (head == null);
        int chain = 0;
        for (Entry e = head; e != null; e = e.next) chain++;
        int pick = rnd.nextInt(chain);
        Entry e = head;
        while (pick-- > 0) e = e.next;
        return e;
    }

    /**
     * Up to {@code count} entries from consecutive buckets starting at a random one
     * (Redis's dictGetSomeKeys): cheaper than {@code count} random picks, since adjacent
     * buckets share cache lines, and as good a sample, since buckets are in hash order.
     * Gives up after visiting {@code 10 * count} buckets, so a sparse table costs little.
     */
    void sample(int count, Consumer<Entry> emit) {
        if (size == 0) return;
        Entry[] live = main;
        int from = 0;
        // During a rehash the buckets of main below rehashIndex are empty: sample the
        // rest of main, or the target table.
        if (target != null && ThreadLocalRandom.current().nextInt(main.length - rehashIndex + target.length)
                >= main.length - rehashIndex) {
            live = target;
        } else if (target != null) {
            from = rehashIndex;
        }
        int span = live.length - from;
        if (span <= 0) return;
        int at = from + ThreadLocalRandom.current().nextInt(span);
        int emitted = 0;
        for (int steps = 0; steps < span && steps < 10 * count && emitted < count; steps++) {
            for (Entry e = live[at]; e != null && emitted < count; e = e.next) {
                emit.accept(e);
                emitted++;
            }
            if (++at == live.length) at = from;
        }
    }

    /**
     * One step of a SCAN: emits the entries of the bucket(s) at {@code cursor} and
     * returns the next cursor, 0 when the iteration is complete. This is Redis's
     * {@code dictScan}: the cursor counts in bit-reversed order, so buckets already
     * visited stay visited when the table doubles or halves between calls.
     */
    long scan(long cursor, Consumer<Entry> emit) {
        if (size == 0) return 0;
        long v = cursor;
        if (target == null) {
            long m0 = main.length - 1;
            emitChain(main[(int) (v & m0)], emit);
            v |= ~m0;
            v = Long.reverse(Long.reverse(v) + 1);
        } else {
            Entry[] small = main.length <= target.length ? main : target;
            Entry[] big = small == main ? target : main;
            long m0 = small.length - 1;
            long m1 = big.length - 1;
            emitChain(small[(int) (v & m0)], emit);
            do {
                emitChain(big[(int) (v & m1)], emit);
                v |= ~m1;
                v = Long.reverse(Long.reverse(v) + 1);
            } while ((v & (m0 ^ m1)) != 0);
        }
        return v;
    }

    private static void emitChain(Entry e, Consumer<Entry> emit) {
        for (; e != null; e = e.next) emit.accept(e);
    }

    /** Visits every entry; the table must not change during the visit. */
    void forEach(Consumer<Entry> action) {
        for (Entry head : main) emitChain(head, action);
        if (target != null) for (Entry head : target) emitChain(head, action);
    }

    /** Bytes used by the bucket arrays themselves (for MEMORY STATS / INFO). */
    long overheadBytes() {
        return 16L + 4L * main.length + (target == null ? 0 : 16L + 4L * target.length);
    }
}
