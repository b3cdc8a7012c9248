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
        CountingInput in = new CountingInput(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
        long validUpTo = 0;
        long validBeforeMulti = 0;
        boolean inMulti = false;
        try (in) {
            if (rdb) {
                in.skipNBytes(rdbLength);
                validUpTo = rdbLength;
            }
            while (true) {
                int first = in.read();
                if (first == -1) break;
                if (first == '#') {
                    // An annotation: skipped up to its end of line.
                    if (readLine(in) == null) throw truncated(name);
                    validUpTo = in.count;
                    continue;
                }
                if (first != '*') throw badFormat(name);
                String countLine = readLine(in);
                if (countLine == null) throw truncated(name);
                int argc = parseCount(countLine, name);
                if (argc < 1) throw badFormat(name);
                byte[][] argv = new byte[argc][];
                for (int j = 0; j < argc; j++) {
                    int dollar = in.read();
                    if (dollar == -1) throw truncated(name);
                    if (dollar != '$') throw badFormat(name);
                    String lenLine = readLine(in);
                    if (lenLine == null) throw truncated(name);
                    int len = parseCount(lenLine, name);
                    byte[] arg = in.readNBytes(len);
                    if (arg.length < len) throw truncated(name);
                    int cr = in.read();
                    int lf = in.read();
                    if (cr == -1 || lf == -1) throw truncated(name);
                    argv[j] = arg;
                }
                String command = new String(argv[0], StandardCharsets.ISO_8859_1);
                if (command.equalsIgnoreCase("multi")) {
                    validBeforeMulti = validUpTo;
                    inMulti = true;
                } else if (command.equalsIgnoreCase("exec")) {
                    inMulti = false;
                }
                if (!server.dispatcher().loadCommand(fake, argv)) {
                    throw new AppendOnlyFile.LoadRefused("Unknown command '" + command + "' reading the append only file " + name);
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

    private static Truncation truncated(String name) {
        return new Truncation();
    }

    private static AppendOnlyFile.LoadRefused badFormat(String name) {
        return new AppendOnlyFile.LoadRefused("Bad file format reading the append only file " + name
                + ": make a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>");
    }

    private static int parseCount(String line, String name) throws AppendOnlyFile.LoadRefused {
        try {
            return Integer.parseInt(line);
        } catch (NumberFormatException e) {
            throw badFormat(name);
        }
    }

    /** A line up to \r\n (without it), or null at the end of the file. */
    private static String readLine(CountingInput in) throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b == -1) return null;
            if (b == '\n') break;
            sb.append((char) b);
        }
        int n = sb.length();
        if (n > 0 && sb.charAt(n - 1) == '\r') sb.setLength(n - 1);
        return sb.toString();
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

    /** An input stream that counts the bytes read (the offset of the last whole command). */
    private static final class CountingInput extends InputStream {
        private final InputStream in;
        long count;

        CountingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b != -1) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
