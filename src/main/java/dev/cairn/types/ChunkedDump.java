package dev.cairn.types;

import java.util.Arrays;
import java.util.List;

/**
 * A filter that BF.SCANDUMP / CF.SCANDUMP read out in chunks and BF.LOADCHUNK /
 * CF.LOADCHUNK write back: a header (every setting and count, no table data), then the
 * table bytes of the sub-filters one after another, addressed by offset. The serialized
 * form ({@link #serialize}, what RDB and DEBUG DIGEST use) is the header then all the
 * table data.
 *
 * <p>A filter says what its header and tables are; how the tables are read and written
 * by offset is the same for every filter, so it lives here.
 */
public interface ChunkedDump {
    /** Above this many bytes a serialized form does not fit a Java array. */
    long MAX_ARRAY = Integer.MAX_VALUE - 8;

    /** The serialized form without the table data. */
    byte[] header();

    /** The sub-filters' tables in order: the live arrays, which loading writes into. */
    List<byte[]> tables();

    /** Bytes of table data after the header. */
    default long dataLength() {
        long n = 0;
        for (byte[] t : tables()) n += t.length;
        return n;
    }

    /** {@code length} bytes of table data from {@code offset}. */
    default byte[] data(long offset, int length) {
        byte[] out = new byte[length];
        copy(offset, out, 0, length, false);
        return out;
    }

    /** Writes a chunk of table data at {@code offset}; false if it does not fit. */
    default boolean loadData(long offset, byte[] chunk) {
        if (offset < 0 || offset + chunk.length > dataLength()) return false;
        copy(offset, chunk, 0, chunk.length, true);
        return true;
    }

    /** The header followed by all the table data. */
    default byte[] serialize() {
        byte[] head = header();
        long total = head.length + dataLength();
        if (total > MAX_ARRAY) throw new IllegalStateException("filter too large to serialize");
        byte[] out = Arrays.copyOf(head, (int) total);
        copy(0, out, head.length, (int) (total - head.length), false);
        return out;
    }

    /** Fills the tables from a serialized form whose table data starts at {@code from} (and is known to fit). */
    default void loadTables(byte[] serialized, int from) {
        copy(0, serialized, from, serialized.length - from, true);
    }

    /**
     * Copies {@code length} bytes between the table data at {@code offset} and
     * {@code buf[at..]}: into the tables when {@code intoTables}, else out of them.
     */
    private void copy(long offset, byte[] buf, int at, int length, boolean intoTables) {
        int done = 0;
        long start = 0;
        for (byte[] t : tables()) {
            long end = start + t.length;
            if (offset + done < end && done < length) {
                int from = (int) (offset + done - start);
                int n = Math.min(length - done, t.length - from);
                if (intoTables) System.arraycopy(buf, at + done, t, from, n);
                else System.arraycopy(t, from, buf, at + done, n);
                done += n;
            }
            start = end;
        }
    }
}
