package dev.cairn.server;

import java.util.ArrayList;
import java.util.List;

/**
 * The latency distribution of one command, for INFO latencystats: a log-linear
 * histogram of nanoseconds with two significant digits, the resolution Redis's HDR
 * histogram uses, so the percentiles read back are the same bucket bounds Redis prints
 * (a 10 µs call reports {@code 10.047}).
 *
 * <p>Values below 256 ns have a bucket each; above, every power of two is split into
 * 128 equal buckets. Bucket arrays are allocated on first use, so a command whose calls
 * all take a few microseconds holds only a handful of them. Command thread only.
 */
public final class LatencyHistogram {
    /** Lowest and highest trackable values in nanoseconds (Redis's 1 ns .. 1 s). */
    static final long MIN_NANOS = 1;
    static final long MAX_NANOS = 1_000_000_000L;
    private static final int LINEAR = 256;
    private static final int HALF = LINEAR / 2;
    /** Bits of a value kept exactly: 8, so the buckets of a power of two are 2^8/2 = 128. */
    private static final int SUB_BITS = 8;

    /** counts[0] covers 0..255 one by one; counts[m] covers [128 << m, 256 << m) in steps of 2^m. */
    private final long[][] counts = new long[64 - Long.numberOfLeadingZeros(MAX_NANOS) - SUB_BITS + 1][];
    private long total;

    /** Records one call that took {@code micros} microseconds, as Redis does (in ns, clamped). */
    public void recordMicros(long micros) {
        long nanos = Math.clamp(micros * 1000, MIN_NANOS, MAX_NANOS);
        int magnitude = magnitude(nanos);
        long[] bucket = counts[magnitude];
        if (bucket == null) bucket = counts[magnitude] = new long[magnitude == 0 ? LINEAR : HALF];
        bucket[index(nanos, magnitude)]++;
        total++;
    }

    public long count() {
        return total;
    }

    /**
     * The value at a percentile, in nanoseconds: the highest value of the bucket where
     * the running count reaches {@code percentile}% of all calls (rounded half up, at
     * least one call), the HDR histogram's definition.
     */
    public long valueAtPercentile(double percentile) {
        double p = Math.min(percentile, 100.0);
        long target = Math.max(1, (long) (p / 100 * total + 0.5));
        long seen = 0;
        for (int m = 0; m < counts.length; m++) {
            long[] bucket = counts[m];
            if (bucket == null) continue;
            for (int i = 0; i < bucket.length; i++) {
                seen += bucket[i];
                if (seen >= target) {
                    long lowest = m == 0 ? i : (long) (i + HALF) << m;
                    return p == 0 ? lowest : lowest + (1L << m) - 1;
                }
            }
        }
        return 0;
    }

    /**
     * The cumulative distribution LATENCY HISTOGRAM reports: walking the levels 1024 ns,
     * 2048 ns, ... (the HDR histogram's logarithmic iteration from 1024 with base 2), the
     * count of calls at or below each level's highest equivalent value, for the levels
     * where the count grows, labelled in microseconds. Pairs of {micros, cumulative count}.
     */
    public List<long[]> cumulativeByPowersOfTwo() {
        List<long[]> points = new ArrayList<>();
        long previous = 0;
        for (long level = 1024; previous < total && level <= 2 * MAX_NANOS; level <<= 1) {
            long highest = highestEquivalent(level);
            long cumulative = countAtOrBelow(highest);
            if (cumulative > previous) points.add(new long[] {highest / 1000, cumulative});
            previous = cumulative;
        }
        return points;
    }

    /** The largest value that falls in the same bucket as {@code nanos}. */
    private static long highestEquivalent(long nanos) {
        int m = magnitude(nanos);
        return m == 0 ? nanos : ((nanos >>> m) << m) + (1L << m) - 1;
    }

    private long countAtOrBelow(long nanos) {
        long seen = 0;
        for (int m = 0; m < counts.length; m++) {
            long[] bucket = counts[m];
            if (bucket == null) continue;
            for (int i = 0; i < bucket.length; i++) {
                long lowest = m == 0 ? i : (long) (i + HALF) << m;
                if (lowest > nanos) return seen;
                seen += bucket[i];
            }
        }
        return seen;
    }

    private static int magnitude(long nanos) {
        int bits = 64 - Long.numberOfLeadingZeros(nanos);
        return bits <= SUB_BITS ? 0 : bits - SUB_BITS;
    }

    private static int index(long nanos, int magnitude) {
        return magnitude == 0 ? (int) nanos : (int) (nanos >>> magnitude) - HALF;
    }
}
