package dev.cairn.types;

/**
 * A filter that BF.SCANDUMP / CF.SCANDUMP read out in chunks and BF.LOADCHUNK /
 * CF.LOADCHUNK write back: a header (every setting and count, no table data), then the
 * table bytes of the sub-filters one after another, addressed by offset.
 * {@code header() + data(0, dataLength())} is exactly {@code serialize()}.
 */
public interface ChunkedDump {
    /** The serialized form without the table data. */
    byte[] header();

    /** Bytes of table data after the header. */
    long dataLength();

    /** {@code length} bytes of table data from {@code offset}. */
    byte[] data(long offset, int length);

    /** Writes a chunk of table data at {@code offset}; false if it does not fit. */
    boolean loadData(long offset, byte[] chunk);
}
