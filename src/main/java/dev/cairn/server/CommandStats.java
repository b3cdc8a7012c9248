package dev.cairn.server;

/** Per-command counters reported by INFO commandstats (Redis's cmdstat_* lines). */
public final class CommandStats {
    long calls;
    long microseconds;
    long rejectedCalls;
    long failedCalls;
    /** Created at the first call timed while latency tracking is on (INFO latencystats). */
    private LatencyHistogram latency;

    public long calls() {
        return calls;
    }

    public long microseconds() {
        return microseconds;
    }

    public long rejectedCalls() {
        return rejectedCalls;
    }

    public long failedCalls() {
        return failedCalls;
    }

    /** The latency distribution, or null when no call has been tracked. */
    public LatencyHistogram latency() {
        return latency;
    }

    void recordLatency(long micros) {
        if (latency == null) latency = new LatencyHistogram();
        latency.recordMicros(micros);
    }
}
