package dev.cairn.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The slow log (Redis's slowlog.c): the most recent commands whose execution took at
 * least {@code slowlog-log-slower-than} microseconds, newest first, at most
 * {@code slowlog-max-len} of them. Each entry keeps a trimmed copy of the arguments, so a
 * huge command does not stay in memory because it was slow. Command thread only.
 */
public final class SlowLog {
    /** Arguments kept per entry; the last kept one says how many more there were. */
    static final int MAX_ARGC = 32;
    /** Bytes kept per argument; the rest is summarised. */
    static final int MAX_STRING = 128;

    /** One logged command as SLOWLOG GET reports it. */
    public record Entry(long id, long timestamp, long micros, List<byte[]> argv, String clientAddr, String clientName) {}

    private final Deque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    /**
     * Logs the command if it was slow enough, then trims the log to {@code maxLen}
     * (which also applies a lowered slowlog-max-len). A negative threshold disables it.
     */
    public void record(long thresholdMicros, long maxLen, byte[][] argv, long micros, String addr, String name) {
        if (thresholdMicros < 0) return;
        if (micros >= thresholdMicros) {
            entries.addFirst(new Entry(nextId++, System.currentTimeMillis() / 1000, micros, trim(argv), addr, name));
        }
        while (entries.size() > maxLen) entries.removeLast();
    }

    /** Redis's slowlogCreateEntry trimming: at most 32 arguments and 128 bytes each. */
    static List<byte[]> trim(byte[][] argv) {
        int kept = Math.min(argv.length, MAX_ARGC);
        byte[][] out = new byte[kept][];
        for (int j = 0; j < kept; j++) {
            if (kept != argv.length && j == kept - 1) {
                out[j] = ascii("... (" + (argv.length - kept + 1) + " more arguments)");
            } else if (argv[j].length > MAX_STRING) {
                byte[] suffix = ascii("... (" + (argv[j].length - MAX_STRING) + " more bytes)");
                byte[] s = Arrays.copyOf(argv[j], MAX_STRING + suffix.length);
                System.arraycopy(suffix, 0, s, MAX_STRING, suffix.length);
                out[j] = s;
            } else {
                out[j] = argv[j];
            }
        }
        return List.of(out);
    }

    /** Entries newest first. */
    public Iterable<Entry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    public void reset() {
        entries.clear();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
