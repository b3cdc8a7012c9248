package dev.cairn.server;

import io.netty.util.internal.PlatformDependent;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
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

    /**
     * Heap in use plus direct (off-heap) buffer memory (used_memory). Both figures are
     * counters the JVM and Netty keep anyway, so this is cheap enough for every cron tick.
     */
    public static long usedMemory() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory() + directMemory();
    }

    /** Netty's count of the direct memory it allocated, or the JVM's direct buffer pool. */
    private static long directMemory() {
        long netty = PlatformDependent.usedDirectMemory();
        if (netty >= 0) return netty;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) return pool.getMemoryUsed();
        }
        return 0;
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
