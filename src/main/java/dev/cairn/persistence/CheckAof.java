package dev.cairn.persistence;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code cairn-check-aof [--fix|--truncate-to-timestamp <ts>] <file.manifest|file.aof>}, in
 * the manner of redis-check-aof 7.0: checks a multi-part AOF (through its manifest) or a
 * single file (an old-style AOF, possibly with an RDB preamble), reports where the last
 * whole command ends, and with {@code --fix} truncates the file there after asking.
 *
 * <p>{@code --truncate-to-timestamp} cuts the AOF at the first {@code #TS:} annotation
 * (written with aof-timestamp-enabled) later than the given unix time, to restore the
 * data as it was then. Only the last file may be cut; a cut at the very start of a file,
 * or in a file other than the last, is refused, as in Redis.
 */
public final class CheckAof {
    private static final String USAGE = "Usage: cairn-check-aof [--fix|--truncate-to-timestamp $timestamp] "
            + "<file.manifest|file.aof>";

    private final PrintStream out;
    private final boolean fix;
    /** The unix time to cut the AOF at; 0 when not asked to (as in Redis, 0 means off). */
    private final long toTimestamp;
    private final BufferedReader answers;
    /** The line reached: redis-check-aof counts lines across the files of a manifest. */
    private long line = 1;

    private CheckAof(PrintStream out, boolean fix, long toTimestamp, InputStream answers) {
        this.out = out;
        this.fix = fix;
        this.toTimestamp = toTimestamp;
        this.answers = new BufferedReader(new InputStreamReader(answers, StandardCharsets.ISO_8859_1));
    }

    public static void main(String[] args) {
        System.exit(run(System.out, System.in, args));
    }

    /** Runs the tool on its command-line arguments; returns the exit status. */
    static int run(PrintStream out, InputStream answers, String... args) {
        boolean fix = false;
        long toTimestamp = 0;
        String path;
        if (args.length == 1) {
            path = args[0];
        } else if (args.length == 2 && args[0].equals("--fix")) {
            fix = true;
            path = args[1];
        } else if (args.length == 3 && args[0].equals("--truncate-to-timestamp")) {
            Long ts = strtoll(args[1], true);
            if (ts == null) {
                out.println("Invalid timestamp, aborting...");
                return 1;
            }
            toTimestamp = ts;
            path = args[2];
        } else {
            out.println(USAGE);
            return 1;
        }
        return new CheckAof(out, fix, toTimestamp, answers).check(path) ? 0 : 1;
    }

    /**
     * C's strtoll over the whole text: blanks and a sign allowed, an empty text is 0; null
     * when characters are left, and on overflow unless {@code saturate} (redis-check-aof
     * takes the saturated value of its argument, but refuses an annotation out of range).
     */
    private static Long strtoll(String text, boolean saturate) {
        int p = 0;
        int n = text.length();
        while (p < n && " \t\n\r\f\u000b".indexOf(text.charAt(p)) >= 0) p++;
        boolean negative = false;
        if (p < n && (text.charAt(p) == '+' || text.charAt(p) == '-')) negative = text.charAt(p++) == '-';
        int digits = p;
        long value = 0;
        boolean overflow = false;
        for (; p < n && text.charAt(p) >= '0' && text.charAt(p) <= '9'; p++) {
            int d = text.charAt(p) - '0';
            if (value > (Long.MAX_VALUE - d) / 10) overflow = true;
            else value = value * 10 + d;
        }
        // Without digits strtoll consumes nothing: only an empty text is then accepted.
        if (p == digits) return n == 0 ? 0L : null;
        if (p != n) return null;
        if (overflow) return saturate ? (negative ? Long.MIN_VALUE : Long.MAX_VALUE) : null;
        return negative ? -value : value;
    }

    /** A cut refused or an invalid annotation: the tool stops with status 1. */
    private static final class Abort extends Exception {
        Abort() {
            super(null, null, false, false);
        }
    }

    /** Checks (and with --fix repairs) the file or the AOF its manifest describes; true when valid. */
    private boolean check(String path) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            out.println("Cannot open file " + path + ": No such file or directory");
            return false;
        }
        try {
            if (isManifest(file)) return checkMultiPart(file, path);
            out.println("Start checking Old-Style AOF");
            return checkFile(file, path, path, "AOF", true);
        } catch (IOException e) {
            out.println("Failed to read from AOF " + path + ", aborting...");
            return false;
        } catch (Abort e) {
            return false;
        }
    }

    private static boolean isManifest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(5);
            return new String(head, StandardCharsets.ISO_8859_1).equals("file ");
        }
    }

    private boolean checkMultiPart(Path manifestFile, String manifestPath) throws IOException, Abort {
        out.println("Start checking Multi Part AOF");
        AofManifest manifest;
        try {
            manifest = AofManifest.read(manifestFile);
        } catch (AofManifest.InvalidManifest e) {
            out.println("Invalid AOF manifest file format: " + e.getMessage());
            return false;
        }
        Path dir = manifestFile.toAbsolutePath().getParent();
        // How redis-check-aof names a part in its messages: the manifest's directory as given.
        String dirText = dirname(manifestPath);
        int total = (manifest.base() == null ? 0 : 1) + manifest.incrs().size();
        int index = 0;
        if (manifest.base() != null) {
            index++;
            Path base = dir.resolve(manifest.base().name());
            boolean rdb = Files.exists(base) && AofLoader.startsWithRdb(base);
            out.println("Start to check BASE AOF (" + (rdb ? "RDB" : "RESP") + " format).");
            if (!checkPart(base, dirText, manifest.base().name(), "BASE AOF", index == total)) return false;
        }
        if (!manifest.incrs().isEmpty()) out.println("Start to check INCR files.");
        for (AofManifest.FileInfo f : manifest.incrs()) {
            index++;
            if (!checkPart(dir.resolve(f.name()), dirText, f.name(), "INCR AOF", index == total)) return false;
        }
        out.println("All AOF files and manifest are valid");
        return true;
    }

    /** C's dirname: "." for a bare name, "/" for the root. */
    private static String dirname(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        int slash = p.lastIndexOf('/');
        if (slash < 0) return ".";
        p = p.substring(0, slash);
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p.isEmpty() ? "/" : p;
    }

    private boolean checkPart(Path file, String dirText, String name, String kind, boolean last)
            throws IOException, Abort {
        if (!Files.exists(file)) {
            out.println("Cannot open file " + name + ": No such file or directory");
            return false;
        }
        if (Files.size(file) == 0) {
            out.println(kind + " " + name + " is empty");
            return true;
        }
        return checkFile(file, dirText + "/" + name, name, kind, last);
    }

    /**
     * One file: the RDB preamble if any, then the commands; the report and the fix.
     *
     * @param filepath how messages about the file as a file name it (its path)
     * @param name how the report names it
     * @param last whether it is the AOF's last file, the only one that may be cut
     */
    private boolean checkFile(Path file, String filepath, String name, String kind, boolean last)
            throws IOException, Abort {
        long size = Files.size(file);
        Scan scan;
        if (AofLoader.startsWithRdb(file)) {
            if (!new CheckRdb(out).check(file.toString(), name)) {
                out.println("RDB preamble of AOF file is not sane, aborting.");
                return false;
            }
            out.println("RDB preamble is OK, proceeding with AOF tail...");
            scan = new Scan(size, line);
        } else {
            scan = scan(file, filepath, last);
        }
        if (scan.cutAt >= 0) {
            truncate(file, scan.cutAt);
            out.println("Successfully truncated AOF " + name + " to timestamp " + toTimestamp);
            return true;
        }
        if (toTimestamp != 0 && scan.okUpTo == size) {
            out.println("Truncate nothing in AOF " + name + " to timestamp " + toTimestamp);
            out.println(kind + " " + name + " is valid");
            return true;
        }
        out.println("AOF analyzed: filename=" + name + ", size=" + size + ", ok_up_to=" + scan.okUpTo
                + ", ok_up_to_line=" + scan.line + ", diff=" + (size - scan.okUpTo));
        if (scan.okUpTo == size) {
            out.println(kind + " " + name + " is valid");
            return true;
        }
        if (!fix || !last) {
            out.println("AOF " + name + " is not valid. Use the --fix option to try fixing it.");
            return false;
        }
        out.println("This will shrink the AOF " + name + " from " + size + " bytes, with " + (size - scan.okUpTo)
                + " bytes, to " + scan.okUpTo + " bytes");
        out.print("Continue? [y/N]: ");
        out.flush();
        String answer = answers.readLine();
        if (answer == null || !answer.toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
            out.println("Aborting...");
            return false;
        }
        try {
            truncate(file, scan.okUpTo);
        } catch (IOException e) {
            out.println("Failed to truncate AOF " + name);
            return false;
        }
        out.println("Successfully truncated AOF " + name);
        return true;
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(size);
            ch.force(true);
        }
    }

    /**
     * Where the last whole command (outside MULTI) ends, and the line reached; or, with
     * --truncate-to-timestamp, where the file is to be cut (-1 when not).
     */
    private record Scan(long okUpTo, long line, long cutAt) {
        Scan(long okUpTo, long line) {
            this(okUpTo, line, -1);
        }
    }

    /**
     * redis-check-aof's walk: commands read one by one, with the offset of the last whole
     * command that is not inside a MULTI; the first problem is printed with the offset of
     * the read that failed.
     */
    private Scan scan(Path file, String filepath, boolean last) throws IOException, Abort {
        try (Reader r = new Reader(new BufferedInputStream(Files.newInputStream(file), 1 << 16), line)) {
            long pos = 0;
            int multi = 0;
            String error = null;
            while (true) {
                if (multi == 0) pos = r.offset;
                int first = r.peek();
                if (first == -1) break;
                if (first == '#') {
                    long annotationStart = r.offset;
                    String annotation = r.readLine();
                    if (toTimestamp != 0 && annotation.startsWith("#TS:")
                            && annotationTimestamp(annotation) > toTimestamp) {
                        refuseCut(filepath, annotationStart, last);
                        line = r.line;
                        return new Scan(pos, r.line, annotationStart);
                    }
                    continue;
                }
                if (first != '*') {
                    out.println("AOF " + r.name(file) + " format error");
                    break;
                }
                long argc = r.readLong('*');
                if (argc < 0) {
                    error = r.error;
                    break;
                }
                String command = null;
                boolean valid = true;
                for (long i = 0; i < argc; i++) {
                    byte[] arg = r.readString();
                    if (arg == null) {
                        valid = false;
                        break;
                    }
                    if (i == 0) command = new String(arg, StandardCharsets.ISO_8859_1);
                }
                if (!valid) {
                    error = r.error;
                    break;
                }
                if (command != null && command.equalsIgnoreCase("multi")) {
                    if (multi++ > 0) {
                        error = r.at("Unexpected MULTI");
                        break;
                    }
                } else if (command != null && command.equalsIgnoreCase("exec")) {
                    if (--multi != 0) {
                        error = r.at("Unexpected EXEC");
                        break;
                    }
                }
            }
            if (error == null && multi > 0 && r.peek() == -1) error = r.at("Reached EOF before reading EXEC for MULTI");
            if (error != null) out.println(error);
            line = r.line;
            return new Scan(pos, r.line);
        }
    }

    /**
     * The time of a {@code #TS:} line, read as redis-check-aof reads it (strtol up to the
     * line's CR: blanks and a sign allowed, no digits reads 0); an annotation that is not
     * that stops the tool.
     */
    private long annotationTimestamp(String line) throws Abort {
        String text = line.substring(4);
        int cr = text.indexOf('\r');
        Long ts = cr < 0 ? null : strtoll(text.substring(0, cr), false);
        if (ts == null) {
            out.println("Invalid timestamp annotation");
            throw new Abort();
        }
        return ts;
    }

    /** Redis refuses to cut a file at its very start, or a file that is not the last. */
    private void refuseCut(String filepath, long offset, boolean last) throws Abort {
        if (offset == 0) {
            out.println("AOF " + filepath + " has nothing before timestamp " + toTimestamp + ", aborting...");
            throw new Abort();
        }
        if (!last) {
            out.println("Failed to truncate AOF " + filepath + " to timestamp " + toTimestamp + " to offset " + offset
                    + " because it is not the last file.");
            out.println("If you insist, please delete all files after this file according to the manifest file and "
                    + "delete the corresponding records in manifest file manually. Then re-run redis-check-aof.");
            throw new Abort();
        }
    }

    /** Reads the RESP of an AOF with the offsets and line numbers redis-check-aof reports. */
    private static final class Reader implements AutoCloseable {
        private final InputStream in;
        long offset;
        long line;
        /** Offset of the last payload read, where redis-check-aof reports a problem. */
        private long errorOffset;
        String error;

        Reader(InputStream in, long line) {
            this.in = in;
            this.line = line;
        }

        String name(Path file) {
            return file.getFileName().toString();
        }

        int peek() throws IOException {
            in.mark(1);
            int b = in.read();
            in.reset();
            return b;
        }

        String at(String message) {
            return String.format("0x%16x: %s", errorOffset, message);
        }

        String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != -1) {
                offset++;
                sb.append((char) b);
                if (b == '\n') break;
            }
            return b == -1 && sb.isEmpty() ? null : sb.toString();
        }

        /** {@code <prefix><number>\r\n}; -1 with {@link #error} set when it is not there. */
        long readLong(char prefix) throws IOException {
            String text = readLine();
            if (text == null) return -1;
            line++;
            if (text.charAt(0) != prefix) {
                error = at("Expected prefix '" + prefix + "', got: '" + text.charAt(0) + "'");
                return -1;
            }
            try {
                return Long.parseLong(text.substring(1).strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        /** {@code $<len>\r\n<bytes>\r\n}; null with {@link #error} set when incomplete. */
        byte[] readString() throws IOException {
            long len = readLong('$');
            if (len < 0) return null;
            errorOffset = offset;
            byte[] data = in.readNBytes((int) len + 2);
            offset += data.length;
            if (data.length < len + 2) {
                error = at("Expected to read " + (len + 2) + " bytes, got " + data.length + " bytes");
                return null;
            }
            line++;
            return java.util.Arrays.copyOf(data, (int) len);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
