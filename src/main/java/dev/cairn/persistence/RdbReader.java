package dev.cairn.persistence;

public final class RdbReader {
    public interface Visitor {
        void aux(String name, byte[] value);
        void selectDb(int db);
        void resizeDb(long size, long expires);
        void function(byte[] libraryCode);
        void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq);
    }

    public RdbReader(java.io.InputStream in, boolean sanitize) {
    }

    public int read(Visitor v) throws java.io.IOException, RdbFormatException { throw new UnsupportedOperationException(); }

    public static Object readDumpPayload(byte[] payload, boolean sanitize) throws RdbFormatException { throw new UnsupportedOperationException(); }
}
