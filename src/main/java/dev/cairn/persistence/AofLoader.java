package dev.cairn.persistence;

import dev.cairn.server.Client;
import dev.cairn.server.Server;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Loads one file of an AOF (Redis's loadSingleAppendOnlyFile): an RDB (a base written
 * with aof-use-rdb-preamble, or an old AOF with an RDB preamble) followed by commands, or
 * commands alone, each run through the dispatcher on a client with no connection.
 * Annotations ({@code #TS:...}) are skipped. A file that ends in the middle of a command
 * (or of a MULTI) is truncated: loaded up to the last whole command when allowed,
 * refused otherwise.
 */
final class AofLoader {
    enum Result { OK, EMPTY, NOT_EXIST, TRUNCATED }

    private final Server server;
    private final Client fake;
    /** Commands run from the current file (for the log). */
    private long commands;

    AofLoader(Server server) {
        this.server = server;
        this.fake = Client.internal(server);
    }

    /**
     * Loads {@code file}. {@code last}: the last file of the AOF, the only one that may be
     * truncated (when {@code truncatedOk}, it is cut at the last whole command).
     */
    Result load(Path file, boolean last, boolean truncatedOk) throws IOException {
        if (!Files.exists(file)) return Result.NOT_EXIST;
        long size = Files.size(file);
        if (size == 0) return Result.EMPTY;
        String name = file.getFileName().toString();
        boolean rdb = startsWithRdb(file);
        long rdbLength = 0;
        if (rdb) {
            server.log().notice("Reading RDB base file on AOF loading...");
            try (InputStream rdbIn = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                loadRdb(rdbIn, name);
            }
            // A .base.rdb is an RDB alone; an old AOF with a preamble goes on with commands,
            // which start where the RDB ends (the RDB reader reads ahead, so it is measured).
            rdbLength = name.endsWith(".rdb") ? size : rdbLength(file, name);
        }
        CommandInput in = new CommandInput(Files.newInputStream(file));
        long validUpTo = 0;
        long validBeforeMulti = 0;
        boolean inMulti = false;
        try (in) {
            if (rdb) {
                in.skip(rdbLength);
                validUpTo = rdbLength;
            }
            while (true) {
                int first = in.read();
                if (first == -1) break;
                if (first == '#') {
                    // An annotation: skipped up to its end of line.
                    int b;
                    while ((b = in.read()) != '\n') {
                        if (b == -1) throw truncated();
                    }
                    validUpTo = in.count;
                    continue;
                }
                if (first != '*') throw badFormat(name);
                long argc = in.number();
                if (argc == CommandInput.EOF) throw truncated();
                if (argc < 1 || argc > Integer.MAX_VALUE) throw badFormat(name);
                byte[][] argv = new byte[(int) argc][];
                for (int j = 0; j < argc; j++) {
                    int dollar = in.read();
                    if (dollar == -1) throw truncated();
                    if (dollar != '$') throw badFormat(name);
                    long len = in.number();
                    if (len == CommandInput.EOF) throw truncated();
                    if (len < 0 || len > Integer.MAX_VALUE - 2) throw badFormat(name);
                    byte[] arg = in.bytes((int) len);
                    if (arg == null || in.read() == -1 || in.read() == -1) throw truncated();
                    argv[j] = arg;
                }
                if (is(argv[0], "multi")) {
                    validBeforeMulti = validUpTo;
                    inMulti = true;
                } else if (is(argv[0], "exec")) {
                    inMulti = false;
                }
                if (!server.dispatcher().loadCommand(fake, argv)) {
                    throw new AppendOnlyFile.LoadRefused("Unknown command '"
                            + new String(argv[0], StandardCharsets.ISO_8859_1) + "' reading the append only file " + name);
                }
                commands++;
                validUpTo = in.count;
            }
            if (inMulti) {
                server.log().warning("Revert incomplete MULTI/EXEC transaction in AOF file " + name);
                fake.transaction().discard();
                validUpTo = validBeforeMulti;
                throw new Truncation();
            }
            return Result.OK;
        } catch (Truncation t) {
            if (inMulti) fake.transaction().discard();
            if (!last || !truncatedOk) {
                throw new AppendOnlyFile.LoadRefused("Unexpected end of file reading the append only file " + name + ". You can: "
                        + "1) Make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. "
                        + "2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and "
                        + "restart the server.");
            }
            server.log().warning("!!! Warning: short read while loading the AOF file " + name + "!!!");
            server.log().warning("!!! Truncating the AOF " + name + " at offset " + validUpTo + " !!!");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(validUpTo);
                ch.force(true);
            } catch (IOException e) {
                server.log().warning("Error truncating the AOF file " + name + ": " + e.getMessage());
                throw new AppendOnlyFile.LoadRefused("Error truncating the AOF file " + name);
            }
            server.log().warning("AOF " + name + " loaded anyway because aof-load-truncated is enabled");
            return Result.TRUNCATED;
        }
    }

    /** Ends the reading of a file that stops in the middle of a command. */
    private static final class Truncation extends RuntimeException {
        Truncation() {
            super(null, null, false, false);
        }
    }

    private static Truncation truncated() {
        return new Truncation();
    }

    private static AppendOnlyFile.LoadRefused badFormat(String name) {
        return new AppendOnlyFile.LoadRefused("Bad file format reading the append only file " + name
                + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }

    /** Whether the argument is this (lower-case) word, in any case. */
    private static boolean is(byte[] arg, String word) {
        if (arg.length != word.length()) return false;
        for (int i = 0; i < arg.length; i++) {
            if (Character.toLowerCase((char) (arg[i] & 0xff)) != word.charAt(i)) return false;
        }
        return true;
    }

    static boolean startsWithRdb(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(5);
            return new String(head, StandardCharsets.ISO_8859_1).equals("REDIS");
        }
    }

    /** Where the RDB preamble of an old-style AOF ends. */
    private static long rdbLength(Path file, String name) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            RdbReader reader = new RdbReader(in, false);
            reader.read(new RdbReader.Visitor() {
                @Override
                public void aux(String auxName, byte[] value) {}

                @Override
                public void selectDb(int db) {}

                @Override
                public void resizeDb(long size, long expires) {}

                @Override
                public void function(byte[] libraryCode) {}

                @Override
                public void entry(byte[] key, Object value, long expireAtMillis, long lruIdleSeconds, int lfuFreq) {}
            });
            return reader.offset();
        } catch (RdbFormatException e) {
            throw badFormat(name);
        }
    }

    /** The RDB part: its keys go into the keyspace as they are read. */
    private void loadRdb(InputStream in, String name) throws IOException {
        try {
            RdbLoader.Result r = RdbLoader.load(server, in, false);
            server.log().notice("Done loading RDB, keys loaded: " + r.keysLoaded() + ", keys expired: "
                    + r.keysExpired() + ".");
        } catch (RdbFormatException e) {
            server.log().warning("Error reading the RDB base file " + name + ", AOF loading aborted");
            throw new AppendOnlyFile.LoadRefused("Bad file format reading the append only file " + name
                    + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
        }
    }

    /**
     * The file's bytes through a buffer of its own, counting what was consumed (the
     * offset of the last whole command), with the two reads RESP needs: a number up to
     * its CRLF and a run of bytes.
     */
    private static final class CommandInput implements AutoCloseable {
        /** {@link #number} at the end of the file. */
        static final long EOF = Long.MIN_VALUE;
        /** {@link #number} on a line that is not a number. */
        static final long NOT_A_NUMBER = Long.MIN_VALUE + 1;

        private final InputStream in;
        private final byte[] buf = new byte[1 << 16];
        private int pos;
        private int limit;
        long count;

        CommandInput(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) return false;
            pos = 0;
            limit = n;
            return true;
        }

        int read() throws IOException {
            if (pos == limit && !fill()) return -1;
            count++;
            return buf[pos++] & 0xff;
        }

        /** Digits (optionally negative) up to CRLF; {@link #EOF} or {@link #NOT_A_NUMBER}. */
        long number() throws IOException {
            long n = 0;
            boolean negative = false;
            boolean digits = false;
            boolean bad = false;
            while (true) {
                int b = read();
                if (b == -1) return EOF;
                if (b == '\n') break;
                if (b == '\r') continue;
                if (b == '-' && !digits && !negative) {
                    negative = true;
                } else if (b >= '0' && b <= '9' && n < Long.MAX_VALUE / 10) {
                    n = n * 10 + (b - '0');
                    digits = true;
                } else {
                    bad = true;
                }
            }
            if (bad || !digits) return NOT_A_NUMBER;
            return negative ? -n : n;
        }

        /** The next {@code len} bytes, or null when the file ends first. */
        byte[] bytes(int len) throws IOException {
            byte[] out = new byte[len];
            int done = 0;
            while (done < len) {
                if (pos == limit && !fill()) return null;
                int n = Math.min(len - done, limit - pos);
                System.arraycopy(buf, pos, out, done, n);
                pos += n;
                done += n;
                count += n;
            }
            return out;
        }

        void skip(long n) throws IOException {
            while (n > 0) {
                if (pos == limit && !fill()) return;
                int step = (int) Math.min(n, limit - pos);
                pos += step;
                count += step;
                n -= step;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
