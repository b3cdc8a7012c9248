package dev.cairn.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory as INFO memory reports it. Redis counts what its allocator
 * handed out; the JVM equivalent is the heap in use plus Netty's buffer memory
 * ({@link #usedMemory}). The resident set size comes from the kernel.
 */
public final class ProcessMemory {
    private ProcessMemory() {}

    /** Heap in use plus the memory of Netty's buffers (used_memory). */
    public static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider p) {
            used += p.metric().usedDirectMemory();
        }
        return used;
    }

    /** Heap the JVM has reserved from the OS (the allocator's "active" memory). */
    public static long committedHeap() {
        return Runtime.getRuntime().totalMemory();
    }

    /** Resident set size in bytes (VmRSS in /proc/self/status), or 0 where unavailable. */
    public static long residentSetSize() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb = line.substring(6).trim().split("\\s+")[0];
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux: report no figure rather than a guess.
        }
        return 0;
    }

    /** Physical memory of the machine (or the container's limit, as the JVM sees it). */
    public static long totalSystemMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return 0;
    }
}
