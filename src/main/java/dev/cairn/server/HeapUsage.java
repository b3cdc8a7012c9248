package dev.cairn.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process memory figures MEMORY STATS and MEMORY DOCTOR report. Where Redis counts
 * the bytes its allocator handed out, Cairn counts the Java heap in use; the heap the JVM
 * has reserved plays the allocator's "active" memory and the process resident set size
 * its RSS. The peak is sampled by the cron, as Redis samples its own.
 */
public final class HeapUsage {
    private static final Path STATM = Path.of("/proc/self/statm");
    private static final long PAGE_SIZE = 4096;

    private final long startup;
    private long peak;

    HeapUsage() {
        this.startup = used();
        this.peak = startup;
    }

    /** Heap bytes in use now. */
    public long used() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Heap bytes the JVM has reserved from the system. */
    public long committed() {
        return Runtime.getRuntime().totalMemory();
    }

    /** Resident set size of the process, or the committed heap where /proc is missing. */
    public long resident() {
        try {
            String[] fields = Files.readString(STATM).trim().split("\\s+");
            return Long.parseLong(fields[1]) * PAGE_SIZE;
        } catch (IOException | RuntimeException e) {
            return committed();
        }
    }

    /** Heap in use when the server started. */
    public long startup() {
        return startup;
    }

    /** The highest heap use sampled so far (including now). */
    public long peak() {
        sample();
        return peak;
    }

    /** Called by the cron: remembers the peak. */
    void sample() {
        long now = used();
        if (now > peak) peak = now;
    }
}
