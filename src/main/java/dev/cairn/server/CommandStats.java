package dev.cairn.server;

/** Per-command counters reported by INFO commandstats (Redis's cmdstat_* lines). */
public final class CommandStats {
    long calls;
    long microseconds;
    long rejectedCalls;
    long failedCalls;

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
}
