package dev.cairn.types;

import dev.cairn.protocol.Numbers;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The "hashtable" encoding of sets: a hash table of members with Redis's dict shape
 * (power-of-two sizes, chained buckets, growing at one member per bucket and shrinking
 * under a tenth full), so that SSCAN's reverse-binary cursor gives Redis's guarantees.
 *
 * <p>What a bucket holds is as small as it can be, because big sets are where a server's
 * memory goes: nothing, one member, or an {@code Object[]} of the members that share the
 * bucket. There are no nodes and no stored hashes (a resize hashes the members again, as
 * Redis's rehash does). A member is a {@code byte[]}, or a {@code Long} when its bytes are
 * a canonical decimal integer (string2ll: no sign but '-', no leading zero, at most 20
 * characters), the test Redis uses to put a member in an intset: "1234567" then costs a
 * 16-byte box instead of a 24-byte array. Each member thus has exactly one form, and the
 * number prints back to the same bytes. Members and chains are never changed in place,
 * only replaced, so a copy may share them.
 *
 * <p>Not thread-safe.
 */
public final class SetTable {
    private static final Object[] EMPTY = new Object[0];
    private static final int INITIAL_SIZE = 4;
    /** Seeds the hash of integer members (byte members use {@link SeededHash}). */
    private static final long INTEGER_SEED = ThreadLocalRandom.current().nextLong();

    /** Buckets: null, a member ({@code byte[]} or {@code Long}), or an {@code Object[]} chain of members. */
    private Object[] table = EMPTY;
    private int size;

    public SetTable() {}

    /** A table sized for {@code expected} members, so that filling it never resizes. */
    public SetTable(int expected) {
        if (expected > 0) table = new Object[capacityFor(expected)];
    }

    private SetTable(Object[] table, int size) {
        this.table = table;
        this.size = size;
    }

    public int size() {
        return size;
    }

    /** The number of buckets (MEMORY USAGE reports their pointers). */
    public int buckets() {
        return table.length;
    }

    /** An independent table with the same members (COPY): members and chains are shared, being immutable. */
    public SetTable copy() {
        return new SetTable(table.clone(), size);
    }

    // ---- members -----------------------------------------------------------------------

    /** The stored form of a member given as bytes: a Long for a canonical integer, else the array. */
    private static Object entryOf(byte[] member) {
        Long integer = Numbers.parseStrictLong(member);
        return integer != null ? integer : member;
    }

    private static boolean same(Object entry, Object member) {
        if (entry instanceof byte[] b) return member instanceof byte[] m && Arrays.equals(b, m);
        return entry.equals(member);
    }

    private static int hashOf(Object entry) {
        return entry instanceof byte[] b ? SeededHash.of(b) : hashOf((long) (Long) entry);
    }

    private static int hashOf(long value) {
        long h = value ^ INTEGER_SEED;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) h;
    }

    /** The bytes of a stored member (a new or shared array for an integer). */
    private static byte[] bytesOf(Object entry) {
        return entry instanceof byte[] b ? b : Strings.integer((Long) entry);
    }

    // ---- lookups and changes ------------------------------------------------------------

    public boolean contains(byte[] member) {
        return size > 0 && find(entryOf(member));
    }

    public boolean containsInteger(long value) {
        if (size == 0) return false;
        // As find(Long), without boxing: intersections test every member of an intset here.
        Object slot = table[hashOf(value) & (table.length - 1)];
        if (slot instanceof Object[] chain) {
            for (Object e : chain) if (e instanceof Long l && l == value) return true;
            return false;
        }
        return slot instanceof Long l && l == value;
    }

    /** Adds the member (keeping the array); false when it was already present. */
    public boolean add(byte[] member) {
        return insert(entryOf(member));
    }

    public boolean addInteger(long value) {
        return insert(value);
    }

    /** Removes the member; false when it was absent. */
    public boolean remove(byte[] member) {
        return size > 0 && delete(entryOf(member));
    }

    public boolean removeInteger(long value) {
        return size > 0 && delete(value);
    }

    private boolean find(Object member) {
        Object slot = table[hashOf(member) & (table.length - 1)];
        if (slot == null) return false;
        if (slot instanceof Object[] chain) {
            for (Object e : chain) if (same(e, member)) return true;
            return false;
        }
        return same(slot, member);
    }

    private boolean insert(Object member) {
        if (size > 0 && find(member)) return false;
        if (size >= table.length) resize(capacityFor(size + 1));
        place(table, member, hashOf(member) & (table.length - 1));
        size++;
        return true;
    }

    /** Puts a member into a bucket: alone, or appended to (or starting) its chain. */
    private static void place(Object[] buckets, Object member, int at) {
        Object slot = buckets[at];
        if (slot == null) {
            buckets[at] = member;
        } else if (slot instanceof Object[] chain) {
            Object[] longer = Arrays.copyOf(chain, chain.length + 1);
            longer[chain.length] = member;
            buckets[at] = longer;
        } else {
            buckets[at] = new Object[] {slot, member};
        }
    }

    private boolean delete(Object member) {
        int at = hashOf(member) & (table.length - 1);
        Object slot = table[at];
        if (slot == null) return false;
        if (slot instanceof Object[] chain) {
            int i = 0;
            while (i < chain.length && !same(chain[i], member)) i++;
            if (i == chain.length) return false;
            unlink(at, chain, i);
        } else {
            if (!same(slot, member)) return false;
            table[at] = null;
        }
        removed();
        return true;
    }

    /** Takes element {@code i} out of the chain of bucket {@code at}. */
    private void unlink(int at, Object[] chain, int i) {
        if (chain.length == 2) {
            table[at] = chain[1 - i];
        } else {
            Object[] shorter = new Object[chain.length - 1];
            System.arraycopy(chain, 0, shorter, 0, i);
            System.arraycopy(chain, i + 1, shorter, i, chain.length - i - 1);
            table[at] = shorter;
        }
    }

    private void removed() {
        size--;
        // Redis shrinks a set's table as soon as it is under 10% full (htNeedsResize).
        if (table.length > INITIAL_SIZE && (long) size * 10 < table.length) resize(capacityFor(size));
    }

    /**
     * A random member (a random non-empty bucket, then a random member of it, as Redis's
     * dictGetRandomKey), removed from the table when {@code remove}. The table must not
     * be empty.
     */
    public byte[] random(boolean remove) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int at;
        do {
            at = rnd.nextInt(table.length);
        } while (table[at] == null);
        Object slot = table[at];
        Object member;
        if (slot instanceof Object[] chain) {
            int i = rnd.nextInt(chain.length);
            member = chain[i];
            if (remove) unlink(at, chain, i);
        } else {
            member = slot;
            if (remove) table[at] = null;
        }
        if (remove) removed();
        return bytesOf(member);
    }

    // ---- iteration --------------------------------------------------------------------

    /**
     * One step of SSCAN: emits the members of the bucket at {@code cursor} and returns the
     * next cursor, 0 when done. The cursor counts in bit-reversed order (Redis's dictScan),
     * so buckets already visited stay visited when the table doubles or halves between calls.
     */
    public long scan(long cursor, Consumer<byte[]> emit) {
        if (size == 0) return 0;
        long mask = table.length - 1;
        Object slot = table[(int) (cursor & mask)];
        if (slot instanceof Object[] chain) {
            for (Object e : chain) emit.accept(bytesOf(e));
        } else if (slot != null) {
            emit.accept(bytesOf(slot));
        }
        long v = cursor | ~mask;
        return Long.reverse(Long.reverse(v) + 1);
    }

    /** A bucket's content for iteration: null, one member, or an {@code Object[]} chain. */
    Object bucket(int index) {
        return table[index];
    }

    // ---- sizing -----------------------------------------------------------------------

    private static int capacityFor(int members) {
        return Integer.highestOneBit(Math.max(members, INITIAL_SIZE) - 1) << 1;
    }

    private void resize(int capacity) {
        if (capacity == table.length) return;
        Object[] next = new Object[capacity];
        int mask = capacity - 1;
        for (Object slot : table) {
            if (slot instanceof Object[] chain) {
                for (Object e : chain) place(next, e, hashOf(e) & mask);
            } else if (slot != null) {
                place(next, slot, hashOf(slot) & mask);
            }
        }
        table = next;
    }
}
