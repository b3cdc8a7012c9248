package dev.cairn.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency monitor (Redis's latency.c): for each event class ("command",
 * "fast-command", "expire-cycle", ...) a ring of the last {@value #SAMPLES} per-second
 * maxima of latencies that reached {@code latency-monitor-threshold} milliseconds, plus
 * the all-time maximum. Event series are created on first use. Command thread only.
 */
public final class LatencyMonitor {
    /** Samples kept per event (LATENCY_TS_LEN). */
    static final int SAMPLES = 160;

    /** One second's worst latency of an event. */
    public record Sample(long time, long millis) {}

    /** The samples of one event class. */
    public static final class Series {
        private final long[] times = new long[SAMPLES];
        private final long[] latencies = new long[SAMPLES];
        private int next;
        private long max;

        /** Adds a sample, or raises the current second's sample if there already is one. */
        void add(long now, long millis) {
            if (millis > max) max = millis;
            int previous = (next + SAMPLES - 1) % SAMPLES;
            if (times[previous] == now) {
                if (millis > latencies[previous]) latencies[previous] = millis;
                return;
            }
            times[next] = now;
            latencies[next] = millis;
            next = (next + 1) % SAMPLES;
        }

        /** The samples oldest first. */
        public List<Sample> samples() {
            List<Sample> out = new ArrayList<>();
            for (int j = 0; j < SAMPLES; j++) {
                int i = (next + j) % SAMPLES;
                if (times[i] != 0) out.add(new Sample(times[i], latencies[i]));
            }
            return out;
        }

        /** The newest sample. */
        public Sample latest() {
            int last = (next + SAMPLES - 1) % SAMPLES;
            return new Sample(times[last], latencies[last]);
        }

        /** The highest latency ever recorded for the event. */
        public long allTimeMax() {
            return max;
        }
    }

    private final Map<String, Series> events = new LinkedHashMap<>();

    /**
     * Records {@code millis} for the event when monitoring is on ({@code threshold} > 0)
     * and the latency reached the threshold (Redis's latencyAddSampleIfNeeded).
     */
    public void addSampleIfNeeded(long threshold, String event, long millis) {
        if (threshold > 0 && millis >= threshold) addSample(event, System.currentTimeMillis() / 1000, millis);
    }

    /** Records a latency observed at {@code unixSeconds} (Redis's latencyAddSample). */
    public void addSample(String event, long unixSeconds, long millis) {
        events.computeIfAbsent(event, e -> new Series()).add(unixSeconds, millis);
    }

    /** Every event with samples, in the order they first occurred. */
    public Map<String, Series> events() {
        return Collections.unmodifiableMap(events);
    }

    /** The series of an event, exact name, or null. */
    public Series series(String event) {
        return events.get(event);
    }

    /** Forgets the event (case-insensitive), or every event when null; returns how many. */
    public int reset(String event) {
        int before = events.size();
        events.keySet().removeIf(name -> event == null || name.equalsIgnoreCase(event));
        return before - events.size();
    }
}
