package dev.cairn.types;

import java.util.Arrays;

/**
 * A string value kept in a growable byte buffer: what Redis calls the {@code raw}
 * encoding. Values modified in place (APPEND, SETRANGE, SETBIT, BITFIELD) and built by
 * BITOP live here, so that repeated appends are amortised O(1); a string set whole is
 * stored as a plain {@code byte[]} instead (see {@link Strings}).
 *
 * <p>One value is held here without having been modified: INCRBYFLOAT's result, which
 * Redis stores as text even when it reads as an integer ({@code INCRBYFLOAT k 1} leaves
 * an {@code embstr}, never an {@code int}). It is marked unmodified until
 * {@link Strings#mutable} hands it out for writing.
 *
 * <p>Invariant: {@code length <= buffer.length}; bytes past {@code length} are zero.
 */
public final class RawString {
    private byte[] buffer;
    private int length;
    private boolean modified = true;

    public RawString(byte[] initial, int extraCapacity) {
        this.buffer = Arrays.copyOf(initial, initial.length + extraCapacity);
        this.length = initial.length;
    }

    private RawString(byte[] adopted) {
        this.buffer = adopted;
        this.length = adopted.length;
    }

    /** A raw string over {@code bytes}, which the caller gives up (no copy). */
    public static RawString adopt(byte[] bytes) {
        return new RawString(bytes);
    }

    /** INCRBYFLOAT's text result: reported as embstr/raw by length, never as int. */
    public static RawString text(byte[] bytes) {
        RawString r = new RawString(bytes);
        r.modified = false;
        return r;
    }

    public int length() {
        return length;
    }

    /** False only for a {@link #text} value not yet written to. */
    public boolean modified() {
        return modified;
    }

    void markModified() {
        modified = true;
    }

    /** The live bytes; valid from 0 to {@link #length()}, do not keep past a write. */
    public byte[] buffer() {
        return buffer;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buffer, length);
    }

    public void append(byte[] data) {
        ensureLength(length + data.length);
        System.arraycopy(data, 0, buffer, length - data.length, data.length);
    }

    /** Overwrites bytes from {@code offset}, growing the string (zero-filled) as needed. */
    public void write(int offset, byte[] data) {
        ensureLength(offset + data.length);
        System.arraycopy(data, 0, buffer, offset, data.length);
    }

    /**
     * Grows the string to {@code newLength}, zero-filled, with doubling of the buffer
     * up to 1 MB and 1 MB steps after that (Redis's sdsMakeRoomFor greed).
     */
    public void ensureLength(int newLength) {
        if (newLength <= length) return;
        if (newLength > buffer.length) {
            long capacity = newLength < 1024 * 1024 ? (long) newLength * 2 : (long) newLength + 1024 * 1024;
            buffer = Arrays.copyOf(buffer, (int) Math.min(capacity, Integer.MAX_VALUE - 8));
        }
        length = newLength;
    }

    /** Bytes this value occupies on the heap (MEMORY USAGE). */
    public long memoryBytes() {
        return 16 + 16L + buffer.length;
    }
}
