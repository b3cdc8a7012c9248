package dev.cairn.types;

import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;

/**
 * The "hashtable" encoding of hashes, sets and sorted sets: a chained hash table from
 * member bytes to a value (a hash field's value, a sorted-set member's score node, or
 * nothing for a set), shaped like Redis's {@code dict}.
 *
 * <p>Chaining and power-of-two sizes for the same reason as the key table: HSCAN, SSCAN
 * and ZSCAN must return every member present for the whole iteration, across resizes, and
 * Redis's reverse-binary cursor gives that for chained power-of-two tables.
 *
 * <p>Unlike the key table, a resize moves every member at once: a collection is one
 * value, and growing even a million-member one costs milliseconds, where the key table
 * of a large server would stall for much longer.
 *
 * <p>Invariants: {@code size} counts the nodes; the table grows when size reaches its
 * length (load factor 1) and shrinks when under a tenth full. Not thread-safe.
 *
 * @param <V> what each member maps to
 */
public final class MemberTable<V> {
    private static final Node<?>[] EMPTY = new Node<?>[0];
    private static final int INITIAL_SIZE = 4;

    /** One member; chained within a bucket. */
    public static final class Node<V> {
        final byte[] member;
        final int hash;
        V value;
        Node<V> next;

        Node(byte[] member, int hash, V value) {
            this.member = member;
            this.hash = hash;
            this.value = value;
        }

        public byte[] member() {
            return member;
        }

        public V value() {
            return value;
        }

        public void value(V v) {
            this.value = v;
        }
    }

    @SuppressWarnings("unchecked")
    private Node<V>[] table = (Node<V>[]) EMPTY;
    private int size;

    public MemberTable() {}

    /** A table sized for {@code expected} members, so that filling it never resizes. */
    public MemberTable(int expected) {
        if (expected > 0) table = newTable(capacityFor(expected));
    }

    public int size() {
        return size;
    }

    /** The node of a member, or null. */
    public Node<V> find(byte[] member) {
        if (size == 0) return null;
        int h = SeededHash.of(member);
        for (Node<V> n = table[h & (table.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && Arrays.equals(n.member, member)) return n;
        }
        return null;
    }

    public boolean contains(byte[] member) {
        return find(member) != null;
    }

    /** The value of a member, or null when absent. */
    public V get(byte[] member) {
        Node<V> n = find(member);
        return n == null ? null : n.value;
    }

    /**
     * Maps the member to the value: true when the member is new, false when an existing
     * member's value was replaced. The table keeps the {@code member} array.
     */
    public boolean put(byte[] member, V value) {
        Node<V> n = find(member);
        if (n != null) {
            n.value = value;
            return false;
        }
        insert(member, value);
        return true;
    }

    /** Adds a member known to be absent and returns its node. */
    public Node<V> insert(byte[] member, V value) {
        if (size >= table.length) resize(capacityFor(size + 1));
        Node<V> n = new Node<>(member, SeededHash.of(member), value);
        int at = n.hash & (table.length - 1);
        n.next = table[at];
        table[at] = n;
        size++;
        return n;
    }

    /** Removes the member; returns its node, or null when it was absent. */
    public Node<V> remove(byte[] member) {
        if (size == 0) return null;
        int h = SeededHash.of(member);
        int at = h & (table.length - 1);
        Node<V> prev = null;
        for (Node<V> n = table[at]; n != null; prev = n, n = n.next) {
            if (n.hash == h && Arrays.equals(n.member, member)) {
                if (prev == null) table[at] = n.next;
                else prev.next = n.next;
                n.next = null;
                size--;
                if (table.length > INITIAL_SIZE && (long) size * 10 < table.length) resize(capacityFor(size));
                return n;
            }
        }
        return null;
    }

    /** Visits every member; the table must not change during the visit. */
    public void forEach(BiConsumer<byte[], V> action) {
        for (Node<V> head : table) {
            for (Node<V> n = head; n != null; n = n.next) action.accept(n.member, n.value);
        }
    }

    /**
     * A random member's node (random non-empty bucket, then a random node of its chain,
     * as Redis's dictGetRandomKey), or null when empty.
     */
    public Node<V> random() {
        if (size == 0) return null;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Node<V> head;
        do {
            head = table[rnd.nextInt(table.length)];
        } while (head == null);
        int chain = 0;
        for (Node<V> n = head; n != null; n = n.next) chain++;
        Node<V> n = head;
        for (int pick = rnd.nextInt(chain); pick > 0; pick--) n = n.next;
        return n;
    }

    /**
     * One step of an HSCAN/SSCAN/ZSCAN: emits the members of the bucket at {@code cursor}
     * and returns the next cursor, 0 when done. The cursor counts in bit-reversed order
     * (Redis's dictScan), so buckets already visited stay visited when the table doubles
     * or halves between calls.
     */
    public long scan(long cursor, BiConsumer<byte[], V> emit) {
        if (size == 0) return 0;
        long mask = table.length - 1;
        for (Node<V> n = table[(int) (cursor & mask)]; n != null; n = n.next) emit.accept(n.member, n.value);
        long v = cursor | ~mask;
        return Long.reverse(Long.reverse(v) + 1);
    }

    /** The number of buckets (MEMORY USAGE and DEBUG HTSTATS-KEY report it). */
    public int buckets() {
        return table.length;
    }

    private static int capacityFor(int members) {
        return Integer.highestOneBit(Math.max(members, INITIAL_SIZE) - 1) << 1;
    }

    @SuppressWarnings("unchecked")
    private static <V> Node<V>[] newTable(int capacity) {
        return (Node<V>[]) new Node<?>[capacity];
    }

    private void resize(int capacity) {
        if (capacity == table.length) return;
        Node<V>[] next = newTable(capacity);
        int mask = capacity - 1;
        for (Node<V> head : table) {
            for (Node<V> n = head; n != null; ) {
                Node<V> following = n.next;
                int at = n.hash & mask;
                n.next = next[at];
                next[at] = n;
                n = following;
            }
        }
        table = next;
    }
}
