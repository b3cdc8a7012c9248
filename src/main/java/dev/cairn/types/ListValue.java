package dev.cairn.types;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * A list value: its elements in a circular array (a ring buffer), so pushing and popping
 * at either end and reading any index are O(1), and a range is read without walking
 * nodes. Redis 7.0 keeps every list in a quicklist and OBJECT ENCODING says so; the ring
 * serves the same commands with one array of references and each element's own bytes.
 *
 * <p>Invariants: the capacity is a power of two (so an index wraps with a mask), the
 * elements are {@code items[(head + i) & mask]} for {@code 0 <= i < size}, and every
 * other slot is null so removed elements can be collected. Indexes here are 0-based
 * from the head and already checked by the caller. Not thread-safe.
 */
public final class ListValue implements CollectionValue {
    private static final int MIN_CAPACITY = 4;

    private byte[][] items;
    private int head;
    private int size;
    /** Whether the last push was at the head (MEMORY USAGE models Redis's nodes from it). */
    private boolean pushedAtHead;

    public ListValue() {
        items = new byte[MIN_CAPACITY][];
    }

    private ListValue(byte[][] items, int size, boolean pushedAtHead) {
        this.items = items;
        this.size = size;
        this.pushedAtHead = pushedAtHead;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    /** Redis 7.0 reports every list as a quicklist, whatever its size. */
    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long size() {
        return size;
    }

    /** Number of elements as an int, for indexing. */
    public int length() {
        return size;
    }

    @Override
    public ListValue copy() {
        byte[][] copy = new byte[items.length][];
        for (int i = 0; i < size; i++) copy[i] = get(i);
        // Elements are never written into, so the copy may share them.
        return new ListValue(copy, size, pushedAtHead);
    }

    // ---- reading -------------------------------------------------------------------------

    /** The element at index i from the head. */
    public byte[] get(int i) {
        return items[(head + i) & (items.length - 1)];
    }

    /** Replaces the element at index i (LSET). */
    public void set(int i, byte[] value) {
        items[(head + i) & (items.length - 1)] = value;
    }

    /** Index of the first element equal to {@code value} from the head, or -1. */
    public int indexOf(byte[] value) {
        for (int i = 0; i < size; i++) {
            if (Arrays.equals(get(i), value)) return i;
        }
        return -1;
    }

    /** True when the most recent push (LPUSH, LMOVE ... LEFT) was at the head. */
    public boolean pushedAtHead() {
        return pushedAtHead;
    }

    /** Visits the elements from head to tail. */
    public void forEach(Consumer<byte[]> action) {
        for (int i = 0; i < size; i++) action.accept(get(i));
    }

    // ---- both ends -----------------------------------------------------------------------

    public void addFirst(byte[] value) {
        pushedAtHead = true;
        if (size == items.length) grow();
        head = (head - 1) & (items.length - 1);
        items[head] = value;
        size++;
    }

    public void addLast(byte[] value) {
        pushedAtHead = false;
        if (size == items.length) grow();
        items[(head + size) & (items.length - 1)] = value;
        size++;
    }

    /** Removes and returns the head element; the list must not be empty. */
    public byte[] removeFirst() {
        byte[] value = items[head];
        items[head] = null;
        head = (head + 1) & (items.length - 1);
        size--;
        shrinkIfSparse();
        return value;
    }

    /** Removes and returns the tail element; the list must not be empty. */
    public byte[] removeLast() {
        int at = (head + size - 1) & (items.length - 1);
        byte[] value = items[at];
        items[at] = null;
        size--;
        shrinkIfSparse();
        return value;
    }

    // ---- the middle ----------------------------------------------------------------------

    /**
     * Inserts {@code value} so that it ends up at index {@code at} (0 to size), moving
     * the shorter side of the list by one slot.
     */
    public void insert(int at, byte[] value) {
        if (size == items.length) grow();
        int mask = items.length - 1;
        if (at < size - at) {
            head = (head - 1) & mask;
            for (int i = 0; i < at; i++) items[(head + i) & mask] = items[(head + i + 1) & mask];
        } else {
            for (int i = size; i > at; i--) items[(head + i) & mask] = items[(head + i - 1) & mask];
        }
        items[(head + at) & mask] = value;
        size++;
    }

    /** Removes {@code count} elements starting at index {@code from}. */
    public void removeRange(int from, int count) {
        if (count <= 0) return;
        int mask = items.length - 1;
        int after = size - from - count;
        if (from < after) {
            // Close the gap by moving the head side right.
            for (int i = from - 1; i >= 0; i--) items[(head + i + count) & mask] = items[(head + i) & mask];
            for (int i = 0; i < count; i++) items[(head + i) & mask] = null;
            head = (head + count) & mask;
        } else {
            for (int i = from; i < from + after; i++) items[(head + i) & mask] = items[(head + i + count) & mask];
            for (int i = size - count; i < size; i++) items[(head + i) & mask] = null;
        }
        size -= count;
        shrinkIfSparse();
    }

    /**
     * Removes up to {@code limit} elements equal to {@code value} (all of them when limit
     * is 0), the first ones from the head, or from the tail when {@code fromTail} (LREM).
     * Returns how many were removed.
     */
    public int removeEqual(byte[] value, long limit, boolean fromTail) {
        int mask = items.length - 1;
        int removed = 0;
        if (!fromTail) {
            int kept = 0;
            for (int i = 0; i < size; i++) {
                byte[] e = items[(head + i) & mask];
                if ((limit == 0 || removed < limit) && Arrays.equals(e, value)) removed++;
                else items[(head + kept++) & mask] = e;
            }
            for (int i = kept; i < size; i++) items[(head + i) & mask] = null;
        } else {
            int kept = 0;
            for (int i = size - 1; i >= 0; i--) {
                byte[] e = items[(head + i) & mask];
                if ((limit == 0 || removed < limit) && Arrays.equals(e, value)) removed++;
                else items[(head + size - 1 - kept++) & mask] = e;
            }
            for (int i = 0; i < size - kept; i++) items[(head + i) & mask] = null;
            head = (head + size - kept) & mask;
        }
        size -= removed;
        shrinkIfSparse();
        return removed;
    }

    // ---- capacity ------------------------------------------------------------------------

    private void grow() {
        if (items.length == 1 << 30) throw new IllegalStateException("list too long");
        resize(items.length * 2);
    }

    /** Gives back memory after pops and trims: the array stays at least a quarter full. */
    private void shrinkIfSparse() {
        if (items.length > MIN_CAPACITY && size < items.length >>> 2) {
            resize(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(size, 1)) << 1));
        }
    }

    private void resize(int capacity) {
        byte[][] bigger = new byte[capacity][];
        int mask = items.length - 1;
        for (int i = 0; i < size; i++) bigger[i] = items[(head + i) & mask];
        items = bigger;
        head = 0;
    }
}
