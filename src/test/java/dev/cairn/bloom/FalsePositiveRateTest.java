package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.types.BloomFilter;
import dev.cairn.types.CuckooFilter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Measured false-positive rates: n items in, 1,000,000 items that were never added probed,
 * and the share the filter wrongly claims. Statistics, not timing: the bounds are the
 * filters' configured error rates (plus sampling noise where the expected rate is close to
 * the bound). The table is printed.
 */
class FalsePositiveRateTest {
    private static final int PROBES = 1_000_000;

    private static byte[] item(String prefix, int i) {
        return (prefix + i).getBytes(StandardCharsets.US_ASCII);
    }

    /** Adds n items, checks none is missed, and returns the false-positive rate of PROBES absent ones. */
    private static double bloomRate(BloomFilter f, int n) {
        for (int i = 0; i < n; i++) f.add(item("member:", i));
        for (int i = 0; i < n; i++) assertTrue(f.contains(item("member:", i)), "false negative");
        int positives = 0;
        for (int i = 0; i < PROBES; i++) if (f.contains(item("absent:", i))) positives++;
        return (double) positives / PROBES;
    }

    @Test
    void bloomFiltersStayWithinTheirErrorRate() {
        // capacity, error rate, items added (more than the capacity: the filter scales)
        long[][] cases = {{1000, 1000}, {10000, 10000}, {100000, 100000}, {10000, 100000}, {1000, 50000}};
        double[] errors = {0.01, 0.001, 0.01, 0.01, 0.001};
        StringBuilder table = new StringBuilder(String.format("%n%-10s %-8s %-8s %-8s %-10s %-9s%n",
                "capacity", "error", "items", "filters", "measured", "bytes/item"));
        for (int k = 0; k < cases.length; k++) {
            BloomFilter f = BloomFilter.create(errors[k], cases[k][0], BloomFilter.DEFAULT_EXPANSION);
            double rate = bloomRate(f, (int) cases[k][1]);
            table.append(String.format("%-10d %-8s %-8d %-8d %-10.6f %-9.2f%n", cases[k][0], errors[k], cases[k][1],
                    f.filters(), rate, (double) f.bytes() / cases[k][1]));
            // A filter scaled many times has an expected rate just below its error rate (the
            // tightened sub-filters' rates sum to error * (1 - 0.5^filters)), so the measured rate
            // gets three standard deviations of sampling noise on top of the bound.
            double allowed = errors[k] + 3 * Math.sqrt(errors[k] / PROBES);
            assertTrue(rate <= allowed, "rate " + rate + " above " + allowed + " for capacity " + cases[k][0]);
        }
        System.out.println("Bloom filter false-positive rates (" + PROBES + " absent items probed):" + table);
    }

    /**
     * A non-scaling filter filled to capacity has exactly the requested rate by the
     * formulas (rounded bit and hash counts put it within a few percent either side).
     */
    @Test
    void fullNonScalingFilterIsNearItsErrorRate() {
        BloomFilter f = BloomFilter.create(0.01, 10000, 0);
        double rate = bloomRate(f, 10000);
        assertEquals(1, f.filters());
        System.out.printf("non-scaling 10000 / 0.01 at capacity: %.6f%n", rate);
        assertTrue(rate <= 0.011 && rate >= 0.008, "rate " + rate);
    }

    /**
     * A Cuckoo filter's rate is at most 2 * bucket size / 255 per sub-filter (each lookup
     * compares the 8-bit fingerprint with the slots of two buckets).
     */
    @Test
    void cuckooFiltersStayWithinTheFingerprintBound() {
        int[][] cases = {{1000, 2, 900}, {10000, 2, 9000}, {100000, 4, 95000}, {10000, 2, 50000}};
        StringBuilder table = new StringBuilder(String.format("%n%-10s %-7s %-8s %-8s %-10s %-9s%n",
                "capacity", "bucket", "items", "filters", "measured", "bound"));
        for (int[] k : cases) {
            CuckooFilter f = CuckooFilter.create(k[0], k[1], CuckooFilter.DEFAULT_MAX_ITERATIONS, 1);
            for (int i = 0; i < k[2]; i++) assertEquals(CuckooFilter.ADDED, f.insert(item("member:", i)));
            for (int i = 0; i < k[2]; i++) assertTrue(f.contains(item("member:", i)), "false negative");
            int positives = 0;
            for (int i = 0; i < PROBES; i++) if (f.contains(item("absent:", i))) positives++;
            double rate = (double) positives / PROBES;
            double bound = 2.0 * k[1] / 255 * f.filters();
            table.append(String.format("%-10d %-7d %-8d %-8d %-10.6f %-9.6f%n", k[0], k[1], k[2], f.filters(), rate, bound));
            assertTrue(rate <= bound, "rate " + rate + " above " + bound);
        }
        System.out.println("Cuckoo filter false-positive rates (" + PROBES + " absent items probed):" + table);
    }
}
