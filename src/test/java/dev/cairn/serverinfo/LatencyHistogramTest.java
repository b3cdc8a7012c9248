package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.server.LatencyHistogram;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The percentiles read back are the bucket bounds Redis's HDR histogram reports. */
class LatencyHistogramTest {
    @Test
    void singleValuesReadBackAsTheirBucketsHighestValue() {
        // Figures printed by redis-server 7.0 for calls of 0, 1, 6 and 10 microseconds.
        assertEquals(1, single(0));
        assertEquals(1003, single(1));
        assertEquals(6015, single(6));
        assertEquals(10047, single(10));
        assertEquals(1002438655, single(10_000_000)); // clamped to one second
    }

    @Test
    void percentilesCountCallsRoundedHalfUp() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 98; i++) h.recordMicros(1);
        h.recordMicros(100);
        h.recordMicros(1000);
        assertEquals(1003, h.valueAtPercentile(50));
        assertEquals(100351, h.valueAtPercentile(99));
        assertEquals(1003519, h.valueAtPercentile(99.9));
        assertEquals(1003519, h.valueAtPercentile(100));
        assertEquals(1000, h.valueAtPercentile(0));
        assertEquals(100, h.count());
    }

    @Test
    void cumulativeDistributionUsesRedisPowerOfTwoLabels() {
        // redis-server 7.0 labels LATENCY HISTOGRAM buckets 1, 2, 4, 8, 16, 33, 66, 132, 264, ...
        LatencyHistogram h = new LatencyHistogram();
        h.recordMicros(1);
        h.recordMicros(1);
        h.recordMicros(3);
        h.recordMicros(200);
        List<long[]> points = h.cumulativeByPowersOfTwo();
        assertEquals(List.of("1=2", "4=3", "264=4"),
                points.stream().map(p -> p[0] + "=" + p[1]).toList());
        assertEquals(List.of(), new LatencyHistogram().cumulativeByPowersOfTwo());
    }

    private static long single(long micros) {
        LatencyHistogram h = new LatencyHistogram();
        h.recordMicros(micros);
        return h.valueAtPercentile(50);
    }
}
