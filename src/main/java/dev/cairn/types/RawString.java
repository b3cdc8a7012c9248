package dev.cairn.types;

import java.util.Arrays;

/**
 * A string value that has been modified in place (APPEND, SETRANGE, SETBIT, ...): a byte
 * buffer with spare capacity, so that repeated appends are amortised O(1). This is what
 * Redis calls the {@code raw} encoding; a string set whole is stored as a plain
 * {@code byte[]} instead (see {@link Strings}).
 *
 * <p>Invariant: {@code length <= buffer.length}; bytes past {@code length} are zero.
 */
public final class RawString {
    private byte[] buffer;
    private int length;

    public RawString(byte[] initial, int extraCapacity) {
        this.buffer = Arrays.copyOf(initial, initial.length + extraCapacity);
        this.length = initial.length;
    }

    public int length() {
        return length;
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
