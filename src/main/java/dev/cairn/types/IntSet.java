package dev.cairn.types;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The "intset" encoding of small sets of integers: the members sorted ascending and packed
 * in one array, each 2, 4 or 8 bytes wide (little-endian), as Redis's intset. Every member
 * has the width of the widest one; adding a member that does not fit widens them all, and
 * nothing ever narrows them again (Redis never downgrades an intset either).
 *
 * <p>Why packed: a set of a few hundred small numbers then costs one array of a few hundred
 * bytes, and membership is a binary search. The array keeps some spare room at its end so
 * that adding members in ascending order does not copy the whole array each time.
 *
 * <p>Not thread-safe.
 */
public final class IntSet {
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NONE = new byte[0];

    private byte[] data = NONE;
    private int width = 2;
    private int length;

    public IntSet() {}

    private IntSet(byte[] data, int width, int length) {
        this.data = data;
        this.width = width;
        this.length = length;
    }

    public IntSet copy() {
        return new IntSet(Arrays.copyOf(data, length * width), width, length);
    }

    public int size() {
        return length;
    }

    /** Bytes per member: 2, 4 or 8. */
    public int width() {
        return width;
    }

    /** The size of Redis's intset blob for these members: an 8-byte header and the packed values. */
    public long blobLength() {
        return 8L + (long) length * width;
    }

    /** The member at a position in ascending order. */
    public long get(int index) {
        return read(data, width, index);
    }

    public boolean contains(long value) {
        return widthOf(value) <= width && search(value) >= 0;
    }

    /** A member picked uniformly at random; the set must not be empty. */
    public long random() {
        return get(ThreadLocalRandom.current().nextInt(length));
    }

    /** Adds the value; false when it was already a member. */
    public boolean add(long value) {
        int needed = widthOf(value);
        if (needed > width) {
            widen(needed, value);
            return true;
        }
        int at = search(value);
        if (at >= 0) return false;
        int insertion = -at - 1;
        ensureRoom(length + 1);
        System.arraycopy(data, insertion * width, data, (insertion + 1) * width, (length - insertion) * width);
        write(data, width, insertion, value);
        length++;
        return true;
    }

    /** Removes the value; false when it was not a member. */
    public boolean remove(long value) {
        if (widthOf(value) > width) return false;
        int at = search(value);
        if (at < 0) return false;
        System.arraycopy(data, (at + 1) * width, data, at * width, (length - at - 1) * width);
        length--;
        // Give back room once three quarters of the array are unused.
        if (data.length > 64 && length * width < data.length / 4) data = Arrays.copyOf(data, length * width * 2);
        return true;
    }

    /** The width a value needs: the smallest of 2, 4, 8 bytes that holds it. */
    static int widthOf(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) return 2;
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) return 4;
        return 8;
    }

    /** Position of the value, or (-(insertion point) - 1) as Arrays.binarySearch. */
    private int search(long value) {
        int low = 0;
        int high = length - 1;
        if (length > 0) {
            // Values past either end are common (ascending inserts): answer them without a search.
            if (value > get(high)) return -(length + 1);
            if (value < get(0)) return -1;
        }
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long v = get(mid);
            if (v < value) low = mid + 1;
            else if (v > value) high = mid - 1;
            else return mid;
        }
        return -(low + 1);
    }

    /**
     * Rewrites every member at the wider width and adds the value that needed it: being
     * out of the old width's range, it is smaller or larger than every member.
     */
    private void widen(int newWidth, long value) {
        byte[] wider = new byte[Math.max(8, (length + 1) * newWidth)];
        int offset = value < 0 ? 1 : 0;
        for (int i = 0; i < length; i++) write(wider, newWidth, i + offset, get(i));
        write(wider, newWidth, value < 0 ? 0 : length, value);
        data = wider;
        width = newWidth;
        length++;
    }

    private void ensureRoom(int members) {
        int needed = members * width;
        if (needed <= data.length) return;
        data = Arrays.copyOf(data, Math.max(needed, Math.max(8, data.length + (data.length >> 1))));
    }

    private static long read(byte[] data, int width, int index) {
        return switch (width) {
            case 2 -> (short) SHORTS.get(data, index * 2);
            case 4 -> (int) INTS.get(data, index * 4);
            default -> (long) LONGS.get(data, index * 8);
        };
    }

    private static void write(byte[] data, int width, int index, long value) {
        switch (width) {
            case 2 -> SHORTS.set(data, index * 2, (short) value);
            case 4 -> INTS.set(data, index * 4, (int) value);
            default -> LONGS.set(data, index * 8, value);
        }
    }
}
