package dev.cairn.persistence;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code cairn-check-rdb <file>}: reads a whole RDB file with {@link RdbReader} and
 * reports in the manner of redis-check-rdb: the aux fields and databases with the offset
 * after each, the checksum, then {@code \o/ RDB looks OK! \o/} and the key counts, or
 * {@code --- RDB ERROR DETECTED ---} with the reason, what was being read, and exit
 * status 1.
 */
public final class CheckRdb {
    /** redis-check-rdb's names of the value types, by type byte. */
    private static final String[] TYPE_NAMES = {"string", "list-linked", "set-hashtable", "zset-v1",
        "hash-hashtable", "zset-v2", "module-pre-release", "module-value", "", "hash-zipmap", "list-ziplist",
        "set-intset", "zset-ziplist", "hash-ziplist", "quicklist", "stream", "hash-listpack", "zset-listpack",
        "quicklist-v2", "stream-v2"};

    private final PrintStream out;
    private long keys;
    private long expires;
    private long alreadyExpired;

    CheckRdb(PrintStream out) {
        this.out = out;
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("Usage: cairn-check-rdb <rdb-file-name>");
            System.exit(1);
        }
        System.exit(new CheckRdb(System.out).check(args[0]) ? 0 : 1);
    }

    /** Checks the file; true when it reads completely. */
    boolean check(String path) {
        return check(path, path);
    }

    /** Checks the file, naming it {@code shownName} (cairn-check-aof names a base file as its manifest does). */
    boolean check(String path, String shownName) {
        out.println("[offset 0] Checking RDB file " + shownName);
        InputStream file;
        try {
            file = new BufferedInputStream(new FileInputStream(path));
        } catch (IOException e) {
            return false;
        }
        RdbReader reader = new RdbReader(file, true, RdbReader.Limits.DEFAULT);
        long now = System.currentTimeMillis();
        try (file) {
            int version = reader.read(new RdbReader.Visitor() {
                @Override
                public void aux(String name, byte[] value) {
                    out.println("[offset " + reader.offset() + "] AUX FIELD " + cString(name.getBytes(StandardCharsets.ISO_8859_1)) + " = '"
                            + cString(value) + "'");
                }

                @Override
                public void selectDb(int db) {
                    out.println("[offset " + reader.offset() + "] Selecting DB ID " + db);
                }

                @Override
                public void resizeDb(long size, long expiresInDb) {}

                @Override
                public void function(byte[] libraryCode) {}

                @Override
                public void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq) {
                    keys++;
                    if (expireAtMillis >= 0) {
                        expires++;
                        if (expireAtMillis < now) alreadyExpired++;
                    }
                }
            });
            if (version >= 5) out.println("[offset " + reader.offset() + "] " + reader.checksumReport());
            out.println("[offset " + reader.offset() + "] \\o/ RDB looks OK! \\o/");
            counts();
            return true;
        } catch (EOFException e) {
            error(reader, "Unexpected EOF reading RDB file");
        } catch (IOException e) {
            error(reader, "Error reading the RDB file: " + e.getMessage());
        } catch (RdbFormatException e) {
            error(reader, e.getMessage());
        }
        return false;
    }

    /** The text up to its first NUL byte, as C's printf shows it. */
    private static String cString(byte[] s) {
        int end = 0;
        while (end < s.length && s[end] != 0) end++;
        return new String(s, 0, end, StandardCharsets.ISO_8859_1);
    }

    private void error(RdbReader reader, String reason) {
        out.println("--- RDB ERROR DETECTED ---");
        out.println("[offset " + reader.offset() + "] " + reason);
        out.println("[additional info] While doing: " + reader.doing());
        if (reader.currentKey() != null) {
            out.println("[additional info] Reading key '" + new String(reader.currentKey(), StandardCharsets.ISO_8859_1) + "'");
        }
        int type = reader.currentType();
        if (type != -1) {
            String name = type < TYPE_NAMES.length ? TYPE_NAMES[type] : "unknown";
            out.println("[additional info] Reading type " + type + " (" + name + ")");
        }
        counts();
    }

    private void counts() {
        out.println("[info] " + keys + " keys read");
        out.println("[info] " + expires + " expires");
        out.println("[info] " + alreadyExpired + " already expired");
    }
}
