package dev.cairn.types;

import java.util.Arrays;

/**
 * A packed sequence of byte strings in one array, the compact encoding of small hashes
 * and sorted sets (Redis's listpack): each entry is its length as a varint followed by
 * its bytes. A hash stores field, value, field, value...; a sorted set member, score,
 * member, score... in score order.
 *
 * <p>Why one array: a small collection then costs one object and one array instead of a
 * node per member, which is most of the memory of a server holding millions of small
 * hashes. Lookups scan, which is fast for the few hundred entries the encoding is used for.
 *
 * <p>Entries are addressed by their offset in the array. Every change allocates a new
 * array of the exact size (Redis reallocs), so offsets taken before a change are invalid
 * after it. Not thread-safe.
 */
public final class Listpack {
    private static final byte[] NONE = new byte[0];

    private byte[] data;
    private int count;

    public Listpack() {
        this.data = NONE;
    }

    private Listpack(byte[] data, int count) {
        this.data = data;
        this.count = count;
    }

    /**
     * A listpack over a packed array of {@code count} entries taken from {@link #array()}
     * and {@link #count()} of another: a value holding millions of small collections can
     * keep just the array and work on it through a short-lived listpack.
     */
    public static Listpack of(byte[] data, int count) {
        return new Listpack(data, count);
    }

    /**
     * An independent copy. It shares the array: changes never write into an existing
     * array, so sharing is safe and copying costs nothing until one side changes.
     */
    public Listpack copy() {
        return new Listpack(data, count);
    }

    /** Number of entries. */
    public int count() {
        return count;
    }

    /** Bytes of the packed array. */
    public int bytes() {
        return data.length;
    }

    // ---- reading ---------------------------------------------------------------------

    /** Offset of the first entry; equal to {@link #end()} when empty. */
    public int first() {
        return 0;
    }

    /** The offset past the last entry. */
    public int end() {
        return data.length;
    }

    /** Offset of the entry after the one at {@code offset}. */
    public int next(int offset) {
        return start(offset) + length(offset);
    }

    /** Offset of the entry {@code index} (0-based), walking from the front. */
    public int offsetOf(int index) {
        int off = 0;
        for (int i = 0; i < index; i++) off = next(off);
        return off;
    }

    /** Length of the entry's bytes. */
    public int length(int offset) {
        int len = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = data[offset++];
            len |= (b & 0x7f) << shift;
            if (b >= 0) return len;
        }
    }

    /** Offset of the entry's first byte. */
    public int start(int offset) {
        while (data[offset] < 0) offset++;
        return offset + 1;
    }

    /** A copy of the entry's bytes. */
    public byte[] get(int offset) {
        int s = start(offset);
        return Arrays.copyOfRange(data, s, s + length(offset));
    }

    /** The packed array itself, for reading an entry in place with {@link #start}/{@link #length}. */
    public byte[] array() {
        return data;
    }

    /** True when the entry's bytes equal {@code value}. */
    public boolean equalsAt(int offset, byte[] value) {
        int len = length(offset);
        if (len != value.length) return false;
        int s = start(offset);
        return Arrays.equals(data, s, s + len, value, 0, len);
    }

    /** Compares the entry's bytes with {@code value} as unsigned bytes (memcmp order). */
    public int compareAt(int offset, byte[] value) {
        int s = start(offset);
        return Arrays.compareUnsigned(data, s, s + length(offset), value, 0, value.length);
    }

    /**
     * Offset of the first entry equal to {@code value} among the entries at {@code from},
     * then every {@code stride}-th one (2 for the keys of field/value pairs); -1 if none.
     */
    public int find(byte[] value, int from, int stride) {
        for (int off = from; off < data.length; ) {
            if (equalsAt(off, value)) return off;
            for (int i = 0; i < stride && off < data.length; i++) off = next(off);
        }
        return -1;
    }

    // ---- changing --------------------------------------------------------------------

    /** Appends entries at the end. */
    public void append(byte[]... values) {
        insert(data.length, values);
    }

    /** Inserts entries before the entry at {@code offset} ({@link #end()} appends). */
    public void insert(int offset, byte[]... values) {
        int added = 0;
        for (byte[] v : values) added += varintSize(v.length) + v.length;
        byte[] grown = new byte[data.length + added];
        System.arraycopy(data, 0, grown, 0, offset);
        int at = offset;
        for (byte[] v : values) {
            at = writeVarint(grown, at, v.length);
            System.arraycopy(v, 0, grown, at, v.length);
            at += v.length;
        }
        System.arraycopy(data, offset, grown, at, data.length - offset);
        data = grown;
        count += values.length;
    }

    /** Replaces the entry at {@code offset} with {@code value}. */
    public void replace(int offset, byte[] value) {
        int oldEnd = next(offset);
        int size = varintSize(value.length) + value.length;
        byte[] changed = new byte[data.length - (oldEnd - offset) + size];
        System.arraycopy(data, 0, changed, 0, offset);
        int at = writeVarint(changed, offset, value.length);
        System.arraycopy(value, 0, changed, at, value.length);
        System.arraycopy(data, oldEnd, changed, at + value.length, data.length - oldEnd);
        data = changed;
    }

    /** Deletes {@code n} entries starting at {@code offset}. */
    public void delete(int offset, int n) {
        int end = offset;
        for (int i = 0; i < n; i++) end = next(end);
        byte[] shrunk = new byte[data.length - (end - offset)];
        System.arraycopy(data, 0, shrunk, 0, offset);
        System.arraycopy(data, end, shrunk, offset, data.length - end);
        data = shrunk.length == 0 ? NONE : shrunk;
        count -= n;
    }

    private static int varintSize(int n) {
        int size = 1;
        while ((n >>>= 7) != 0) size++;
        return size;
    }

    private static int writeVarint(byte[] out, int at, int n) {
        while ((n & ~0x7f) != 0) {
            out[at++] = (byte) ((n & 0x7f) | 0x80);
            n >>>= 7;
        }
        out[at++] = (byte) n;
        return at;
    }
}
