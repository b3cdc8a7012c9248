package dev.cairn.persistence;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis 7.0's AOF manifest ({@code appendonly.aof.manifest} in the AOF directory): which
 * files make up the AOF, one per line as {@code file <name> seq <n> type <b|h|i>}: the
 * base (an RDB or commands), the incremental files in order, and history files that a
 * finished rewrite left to delete. Immutable: a change makes a new manifest, written to a
 * temporary file, fsynced and renamed over the old one.
 */
public record AofManifest(FileInfo base, List<FileInfo> incrs, List<FileInfo> history) {
    public static final String EXTENSION = ".manifest";

    /** One file of the AOF: its name in the directory, sequence number and type letter. */
    public record FileInfo(String name, long seq, char type) {}

    /** A manifest file that cannot be read: Redis's messages for it. */
    public static final class InvalidManifest extends Exception {
        InvalidManifest(String message) {
            super(message);
        }
    }

    public static AofManifest empty() {
        return new AofManifest(null, List.of(), List.of());
    }

    /** Parses a manifest's text, with Redis's checks and error texts. */
    public static AofManifest parse(String text) throws InvalidManifest {
        FileInfo base = null;
        List<FileInfo> incrs = new ArrayList<>();
        List<FileInfo> history = new ArrayList<>();
        long lastIncrSeq = 0;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] words = line.split("\\s+");
            if (words.length % 2 != 0) throw new InvalidManifest("Invalid AOF manifest file format");
            String name = null;
            long seq = -1;
            char type = 0;
            for (int i = 0; i < words.length; i += 2) {
                switch (words[i]) {
                    case "file" -> name = words[i + 1];
                    case "seq" -> {
                        try {
                            seq = Long.parseLong(words[i + 1]);
                        } catch (NumberFormatException e) {
                            throw new InvalidManifest("Invalid AOF manifest file format");
                        }
                    }
                    case "type" -> type = words[i + 1].length() == 1 ? words[i + 1].charAt(0) : 0;
                    default -> { } // Redis ignores unknown keys, for later versions' sake.
                }
            }
            if (name == null || seq < 0 || type == 0) throw new InvalidManifest("Invalid AOF manifest file format");
            FileInfo info = new FileInfo(name, seq, type);
            switch (type) {
                case 'b' -> {
                    if (base != null) throw new InvalidManifest("Found duplicate base file information");
                    base = info;
                }
                case 'h' -> history.add(info);
                case 'i' -> {
                    if (seq <= lastIncrSeq) throw new InvalidManifest("Found a non-monotonic sequence number");
                    lastIncrSeq = seq;
                    incrs.add(info);
                }
                default -> throw new InvalidManifest("Unknown AOF file type");
            }
        }
        return new AofManifest(base, List.copyOf(incrs), List.copyOf(history));
    }

    public static AofManifest read(Path file) throws IOException, InvalidManifest {
        return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
    }

    /** The text Redis writes: base, history, then the incremental files. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        if (base != null) line(sb, base);
        for (FileInfo h : history) line(sb, h);
        for (FileInfo i : incrs) line(sb, i);
        return sb.toString();
    }

    private static void line(StringBuilder sb, FileInfo f) {
        sb.append("file ").append(f.name()).append(" seq ").append(f.seq()).append(" type ").append(f.type())
                .append('\n');
    }

    /** Writes the manifest as {@code target}: a temporary file, fsynced, renamed over it. */
    public void write(Path target) throws IOException {
        Path temp = target.resolveSibling("temp-" + target.getFileName());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text().getBytes(StandardCharsets.ISO_8859_1)));
            ch.force(true);
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public long lastIncrSeq() {
        return incrs.isEmpty() ? 0 : incrs.getLast().seq();
    }

    public long baseSeq() {
        return base == null ? 0 : base.seq();
    }

    /** With one more incremental file (a rewrite starting, or the first start). */
    public AofManifest withIncr(FileInfo incr) {
        List<FileInfo> list = new ArrayList<>(incrs);
        list.add(incr);
        return new AofManifest(base, List.copyOf(list), history);
    }

    /**
     * After a rewrite: {@code newBase} replaces the base and every incremental file before
     * {@code firstKept} becomes history.
     */
    public AofManifest rewritten(FileInfo newBase, long firstKept) {
        List<FileInfo> hist = new ArrayList<>(history);
        if (base != null) hist.add(new FileInfo(base.name(), base.seq(), 'h'));
        List<FileInfo> kept = new ArrayList<>();
        for (FileInfo i : incrs) {
            if (i.seq() < firstKept) hist.add(new FileInfo(i.name(), i.seq(), 'h'));
            else kept.add(i);
        }
        return new AofManifest(newBase, List.copyOf(kept), List.copyOf(hist));
    }

    public AofManifest withoutHistory() {
        return new AofManifest(base, incrs, List.of());
    }
}
