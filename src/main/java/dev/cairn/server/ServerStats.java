package dev.cairn.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters of INFO stats, commandstats and errorstats. Reset by CONFIG RESETSTAT.
 * Written from the command thread; INFO reads them on the same thread.
 */
public final class ServerStats {
    public long connectionsReceived;
    public long commandsProcessed;
    public long rejectedConnections;
    public long expiredKeys;
    public long evictedKeys;
    /** Connections closed by client eviction (maxmemory-clients). */
    public long evictedClients;
    /**
     * Time spent over maxmemory (INFO total/current_eviction_exceeded_time): when the
     * current period began (System.nanoTime, 0 when not over) and the ended periods' sum.
     */
    public long evictionExceededSince;
    public long evictionExceededNanos;
    public long keyspaceHits;
    public long keyspaceMisses;
    public long netInputBytes;
    public long netOutputBytes;
    public long totalErrorReplies;
    public long unexpectedErrorReplies;
    public long ioReadsProcessed;
    public long ioWritesProcessed;
    public long clientQueryBufferLimitDisconnections;
    public long clientOutputBufferLimitDisconnections;
    /** Read events on client sockets and reply batches written (INFO total_reads/writes_processed). */
    public long totalReadsProcessed;
    public long totalWritesProcessed;
    /** The highest used_memory seen by the cron or INFO (used_memory_peak). */
    public long peakMemory;

    private final Map<String, CommandStats> commands = new ConcurrentHashMap<>();
    private final Map<String, Long> errors = new TreeMap<>();

    /** Instantaneous rates: samples of (time, commands, in bytes, out bytes). */
    private static final int SAMPLES = 16;
    private final long[][] samples = new long[3][SAMPLES];
    private final long[] lastValue = new long[3];
    private long lastSampleMillis;
    private int sampleIndex;

    public CommandStats command(String fullName) {
        // A plain read first: computeIfAbsent may lock the bin even when the entry exists.
        CommandStats known = commands.get(fullName);
        return known != null ? known : commands.computeIfAbsent(fullName, k -> new CommandStats());
    }

    public Map<String, CommandStats> commandStats() {
        return commands;
    }

    /** Counts an error reply under its code (the first word: ERR, WRONGTYPE, ...). */
    public void error(String text) {
        totalErrorReplies++;
        int space = text.indexOf(' ');
        String code = space < 0 ? text : text.substring(0, space);
        // Redis caps the number of distinct codes to keep INFO bounded.
        if (errors.size() >= 128 && !errors.containsKey(code)) return;
        errors.merge(code, 1L, Long::sum);
    }

    public Map<String, Long> errorStats() {
        return errors;
    }

    /** Called by the cron: records a sample for the instantaneous_* figures. */
    void sample(long nowMillis) {
        long[] current = {commandsProcessed, netInputBytes, netOutputBytes};
        long elapsed = Math.max(nowMillis - lastSampleMillis, 1);
        if (lastSampleMillis != 0) {
            for (int i = 0; i < 3; i++) samples[i][sampleIndex] = (current[i] - lastValue[i]) * 1000 / elapsed;
            sampleIndex = (sampleIndex + 1) % SAMPLES;
        }
        System.arraycopy(current, 0, lastValue, 0, 3);
        lastSampleMillis = nowMillis;
    }

    private long average(int metric) {
        long sum = 0;
        for (long v : samples[metric]) sum += v;
        return sum / SAMPLES;
    }

    public long instantaneousOps() {
        return average(0);
    }

    public long instantaneousInputBytes() {
        return average(1);
    }

    public long instantaneousOutputBytes() {
        return average(2);
    }

    /** Milliseconds spent over maxmemory in the current period (0 when within the limit). */
    public long currentEvictionExceededMillis() {
        return evictionExceededSince == 0 ? 0 : (System.nanoTime() - evictionExceededSince) / 1_000_000;
    }

    /** Milliseconds spent over maxmemory in every period, the current one included. */
    public long totalEvictionExceededMillis() {
        return evictionExceededNanos / 1_000_000 + currentEvictionExceededMillis();
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        connectionsReceived = commandsProcessed = rejectedConnections = expiredKeys = evictedKeys = evictedClients = 0;
        keyspaceHits = keyspaceMisses = netInputBytes = netOutputBytes = 0;
        totalErrorReplies = unexpectedErrorReplies = ioReadsProcessed = ioWritesProcessed = 0;
        clientQueryBufferLimitDisconnections = clientOutputBufferLimitDisconnections = 0;
        totalReadsProcessed = totalWritesProcessed = 0;
        evictionExceededSince = evictionExceededNanos = 0;
        commands.clear();
        errors.clear();
        for (long[] s : samples) java.util.Arrays.fill(s, 0);
    }
}
