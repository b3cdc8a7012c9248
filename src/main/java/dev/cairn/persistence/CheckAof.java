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
 * {@code cairn-check-aof [--fix] <file.manifest|file.aof>}, in the manner of
 * redis-check-aof 7.0: checks a multi-part AOF (through its manifest) or a single file
 * (an old-style AOF, possibly with an RDB preamble), reports where the last whole command
 * ends, and with {@code --fix} truncates the file there after asking.
 */
public final class CheckAof {
    private final PrintStream out;
    private final boolean fix;
    private final BufferedReader answers;

    CheckAof(PrintStream out, boolean fix, InputStream answers) {
        this.out = out;
        this.fix = fix;
        this.answers = new BufferedReader(new InputStreamReader(answers, StandardCharsets.ISO_8859_1));
    }

    public static void main(String[] args) {
        boolean fix = false;
        String path = null;
        if (args.length == 1) {
            path = args[0];
        } else if (args.length == 2 && args[0].equals("--fix")) {
            fix = true;
            path = args[1];
        }
        if (path == null) {
            System.out.println("Usage: cairn-check-aof [--fix] <file.manifest|file.aof>");
            System.exit(1);
        }
        System.exit(new CheckAof(System.out, fix, System.in).check(path) ? 0 : 1);
    }

    /** Checks (and with --fix repairs) the file or the AOF its manifest describes; true when valid. */
    boolean check(String path) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file)) {
            out.println("Cannot open file " + path + ": No such file or directory");
            return false;
        }
        try {
            if (isManifest(file)) return checkMultiPart(file);
            out.println("Start checking Old-Style AOF");
            return checkFile(file, path, "AOF", true);
        } catch (IOException e) {
            out.println("Failed to read from AOF " + path + ", aborting...");
            return false;
        }
    }

    private static boolean isManifest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(5);
            return new String(head, StandardCharsets.ISO_8859_1).equals("file ");
        }
    }

    private boolean checkMultiPart(Path manifestFile) throws IOException {
        out.println("Start checking Multi Part AOF");
        AofManifest manifest;
        try {
            manifest = AofManifest.read(manifestFile);
        } catch (AofManifest.InvalidManifest e) {
            out.println("Invalid AOF manifest file format: " + e.getMessage());
            return false;
        }
        Path dir = manifestFile.toAbsolutePath().getParent();
        int total = (manifest.base() == null ? 0 : 1) + manifest.incrs().size();
        int index = 0;
        if (manifest.base() != null) {
            index++;
            Path base = dir.resolve(manifest.base().name());
            boolean rdb = Files.exists(base) && AofLoader.startsWithRdb(base);
            out.println("Start to check BASE AOF (" + (rdb ? "RDB" : "RESP") + " format).");
            if (!checkPart(base, manifest.base().name(), "BASE AOF", index == total)) return false;
        }
        out.println("Start to check INCR files.");
        for (AofManifest.FileInfo f : manifest.incrs()) {
            index++;
            if (!checkPart(dir.resolve(f.name()), f.name(), "INCR AOF", index == total)) return false;
        }
        out.println("All AOF files and manifest are valid");
        return true;
    }

    private boolean checkPart(Path file, String name, String kind, boolean last) throws IOException {
        if (!Files.exists(file)) {
            out.println("Cannot open file " + name + ": No such file or directory");
            return false;
        }
        if (Files.size(file) == 0) {
            out.println(kind + " " + name + " is empty");
            return true;
        }
        return checkFile(file, name, kind, last);
    }

    /** One file: the RDB preamble if any, then the commands; the report and the fix. */
    private boolean checkFile(Path file, String name, String kind, boolean fixable) throws IOException {
        long size = Files.size(file);
        Scan scan;
        if (AofLoader.startsWithRdb(file)) {
            if (!new CheckRdb(out).check(file.toString(), name)) {
                out.println("RDB preamble of AOF file is not sane, aborting.");
                return false;
            }
            out.println("RDB preamble is OK, proceeding with AOF tail...");
            scan = new Scan(size, 1);
        } else {
            scan = scan(file);
        }
        out.println("AOF analyzed: filename=" + name + ", size=" + size + ", ok_up_to=" + scan.okUpTo
                + ", ok_up_to_line=" + scan.line + ", diff=" + (size - scan.okUpTo));
        if (scan.okUpTo == size) {
            out.println(kind + " " + name + " is valid");
            return true;
        }
        if (!fix || !fixable) {
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
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(scan.okUpTo);
            ch.force(true);
        } catch (IOException e) {
            out.println("Failed to truncate AOF " + name);
            return false;
        }
        out.println("Successfully truncated AOF " + name);
        return true;
    }

    /** Where the last whole command (outside MULTI) ends, and the line reached. */
    private record Scan(long okUpTo, long line) {}

    /**
     * redis-check-aof's walk: commands read one by one, with the offset of the last whole
     * command that is not inside a MULTI; the first problem is printed with the offset of
     * the read that failed.
     */
    private Scan scan(Path file) throws IOException {
        try (Reader r = new Reader(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            long pos = 0;
            int multi = 0;
            String error = null;
            while (true) {
                if (multi == 0) pos = r.offset;
                int first = r.peek();
                if (first == -1) break;
                if (first == '#') {
                    r.readLine();
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
            return new Scan(pos, r.line);
        }
    }

    /** Reads the RESP of an AOF with the offsets and line numbers redis-check-aof reports. */
    private static final class Reader implements AutoCloseable {
        private final InputStream in;
        long offset;
        long line = 1;
        /** Offset of the last payload read, where redis-check-aof reports a problem. */
        private long errorOffset;
        String error;

        Reader(InputStream in) {
            this.in = in;
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
