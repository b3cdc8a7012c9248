package dev.cairn.persistence;

/** Builds an RDB byte stream in a growable in-memory buffer; the owner drains it to a file/socket. Not thread-safe. */
public final class RdbWriter {
    public static final int RDB_VERSION = 10;

    public RdbWriter(boolean compress) {
    }

    public void header() { throw new UnsupportedOperationException(); }
    public void aux(String name, String value) { throw new UnsupportedOperationException(); }
    public void aux(String name, long value) { throw new UnsupportedOperationException(); }
    public void selectDb(int db) { throw new UnsupportedOperationException(); }
    public void resizeDb(long size, long expires) { throw new UnsupportedOperationException(); }
    public void function(byte[] libraryCode) { throw new UnsupportedOperationException(); }
    public void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq) { throw new UnsupportedOperationException(); }
    public void value(Object value) { throw new UnsupportedOperationException(); }
    public void eof() { throw new UnsupportedOperationException(); }
    public int size() { throw new UnsupportedOperationException(); }
    public void drainTo(java.io.OutputStream out) throws java.io.IOException { throw new UnsupportedOperationException(); }
    public byte[] toByteArray() { throw new UnsupportedOperationException(); }
    public static byte[] dumpPayload(Object value) { throw new UnsupportedOperationException(); }
}
