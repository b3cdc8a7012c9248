package dev.cairn.types;

import dev.cairn.protocol.Numbers;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The "hashtable" encoding of sets: a chained hash table of members, shaped like
 * {@link MemberTable} (power-of-two sizes, load factor 1, shrinking under a tenth full,
 * reverse-binary SSCAN cursors) but holding no values, and holding a member that is a
 * canonical decimal integer as the number itself.
 *
 * <p>Why numbers are kept apart: sets of ids are the common big sets, and a member such as
 * "1234567" would otherwise cost a node and a byte array (about 48 bytes); as a number it
 * costs one 24-byte node. Each member has exactly one form: the bytes of a member are an
 * integer node exactly when Redis's string2ll accepts them (no sign but '-', no leading
 * zero, at most 20 characters), which is also the test for an intset member, so the number
 * prints back to the same bytes.
 *
 * <p>Not thread-safe.
 */
public final class SetTable {
    private static final Node[] EMPTY = new Node[0];
    private static final int INITIAL_SIZE = 4;
    /** Seeds the hash of integer members (byte members use {@link SeededHash}). */
    private static final long INTEGER_SEED = ThreadLocalRandom.current().nextLong();

    /** One member, chained within its bucket. */
    abstract static sealed class Node permits BytesNode, IntegerNode {
        final int hash;
        Node next;

        Node(int hash) {
            this.hash = hash;
        }

        /** The member's bytes (a new array for an integer member). */
        abstract byte[] bytes();
    }

    static final class BytesNode extends Node {
        final byte[] member;

        BytesNode(byte[] member, int hash) {
            super(hash);
            this.member = member;
        }

        @Override
        byte[] bytes() {
            return member;
        }
    }

    static final class IntegerNode extends Node {
        final long value;

        IntegerNode(long value, int hash) {
            super(hash);
            this.value = value;
        }

        @Override
        byte[] bytes() {
            return Strings.integer(value);
        }
    }

    private Node[] table = EMPTY;
    private int size;

    public SetTable() {}

    /** A table sized for {@code expected} members, so that filling it never resizes. */
    public SetTable(int expected) {
        if (expected > 0) table = new Node[capacityFor(expected)];
    }

    public int size() {
        return size;
    }

    /** The number of buckets (MEMORY USAGE reports their pointers). */
    public int buckets() {
        return table.length;
    }

    public boolean contains(byte[] member) {
        if (size == 0) return false;
        Long integer = Numbers.parseStrictLong(member);
        if (integer != null) return containsInteger(integer);
        return findBytes(member, SeededHash.of(member)) != null;
    }

    public boolean containsInteger(long value) {
        if (size == 0) return false;
        int h = hashOf(value);
        for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && n instanceof IntegerNode i && i.value == value) return true;
        }
        return false;
    }

    /** Adds the member (keeping the array); false when it was already present. */
    public boolean add(byte[] member) {
        Long integer = Numbers.parseStrictLong(member);
        if (integer != null) return addInteger(integer);
        int h = SeededHash.of(member);
        if (size > 0 && findBytes(member, h) != null) return false;
        link(new BytesNode(member, h));
        return true;
    }

    public boolean addInteger(long value) {
        if (containsInteger(value)) return false;
        link(new IntegerNode(value, hashOf(value)));
        return true;
    }

    /** Removes the member; false when it was absent. */
    public boolean remove(byte[] member) {
        if (size == 0) return false;
        Long integer = Numbers.parseStrictLong(member);
        if (integer != null) return removeInteger(integer);
        int h = SeededHash.of(member);
        Node n = findBytes(member, h);
        if (n == null) return false;
        unlink(n);
        return true;
    }

    public boolean removeInteger(long value) {
        if (size == 0) return false;
        int h = hashOf(value);
        for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && n instanceof IntegerNode i && i.value == value) {
                unlink(n);
                return true;
            }
        }
        return false;
    }

    /** The chain of a bucket, for iteration in bucket order (0 until {@link #buckets()}). */
    Node bucket(int index) {
        return table[index];
    }

    /**
     * A random member (a random non-empty bucket, then a random node of its chain, as
     * Redis's dictGetRandomKey), removed from the table when {@code remove}. The table
     * must not be empty.
     */
    public byte[] random(boolean remove) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        Node head;
        do {
            head = table[rnd.nextInt(table.length)];
        } while (head == null);
        int chain = 0;
        for (Node n = head; n != null; n = n.next) chain++;
        Node n = head;
        for (int pick = rnd.nextInt(chain); pick > 0; pick--) n = n.next;
        byte[] member = n.bytes();
        if (remove) unlink(n);
        return member;
    }

    /**
     * One step of SSCAN: emits the members of the bucket at {@code cursor} and returns the
     * next cursor, 0 when done. The cursor counts in bit-reversed order (Redis's dictScan),
     * so buckets already visited stay visited when the table doubles or halves between calls.
     */
    public long scan(long cursor, Consumer<byte[]> emit) {
        if (size == 0) return 0;
        long mask = table.length - 1;
        for (Node n = table[(int) (cursor & mask)]; n != null; n = n.next) emit.accept(n.bytes());
        long v = cursor | ~mask;
        return Long.reverse(Long.reverse(v) + 1);
    }

    /** An independent table with the same members (COPY). */
    public SetTable copy() {
        SetTable copy = new SetTable(size);
        for (Node head : table) {
            for (Node n = head; n != null; n = n.next) {
                copy.link(n instanceof IntegerNode i ? new IntegerNode(i.value, i.hash) : new BytesNode(n.bytes(), n.hash));
            }
        }
        return copy;
    }

    private Node findBytes(byte[] member, int h) {
        for (Node n = table[h & (table.length - 1)]; n != null; n = n.next) {
            if (n.hash == h && n instanceof BytesNode b && Arrays.equals(b.member, member)) return n;
        }
        return null;
    }

    private void link(Node n) {
        if (size >= table.length) resize(capacityFor(size + 1));
        int at = n.hash & (table.length - 1);
        n.next = table[at];
        table[at] = n;
        size++;
    }

    private void unlink(Node target) {
        int at = target.hash & (table.length - 1);
        Node prev = null;
        for (Node n = table[at]; n != null; prev = n, n = n.next) {
            if (n == target) {
                if (prev == null) table[at] = n.next;
                else prev.next = n.next;
                n.next = null;
                size--;
                // Redis shrinks a set's table as soon as it is under 10% full (htNeedsResize).
                if (table.length > INITIAL_SIZE && (long) size * 10 < table.length) resize(capacityFor(size));
                return;
            }
        }
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

    private static int capacityFor(int members) {
        return Integer.highestOneBit(Math.max(members, INITIAL_SIZE) - 1) << 1;
    }

    private void resize(int capacity) {
        if (capacity == table.length) return;
        Node[] next = new Node[capacity];
        int mask = capacity - 1;
        for (Node head : table) {
            for (Node n = head; n != null; ) {
                Node following = n.next;
                int at = n.hash & mask;
                n.next = next[at];
                next[at] = n;
                n = following;
            }
        }
        table = next;
    }
}
