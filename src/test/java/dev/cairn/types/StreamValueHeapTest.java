package dev.cairn.types;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.types.StreamValue.Id;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The heap estimate of a stream is kept as nodes come, go and grow (it is measured after
 * every XADD); these random appends, deletes and trims check it against a count of the
 * nodes made from scratch after every step.
 */
class StreamValueHeapTest {
    @Test
    void theKeptEstimateEqualsACountOfTheNodes() {
        Random random = new Random(7);
        for (long[] limits : new long[][] {{4096, 100}, {200, 0}, {0, 3}, {64, 1}}) {
            StreamValue s = new StreamValue();
            List<Id> ids = new ArrayList<>();
            long ms = 1;
            for (int step = 0; step < 3000; step++) {
                int op = random.nextInt(10);
                if (op < 6 || ids.isEmpty()) {
                    Id id = new Id(ms, random.nextInt(3));
                    ms += 1 + random.nextInt(2);
                    s.append(id, fields(random), limits[0], limits[1]);
                    ids.add(id);
                } else if (op < 9) {
                    s.delete(ids.remove(random.nextInt(ids.size())));
                } else {
                    s.trim(Math.max(0, s.length() - random.nextInt(20)), null, random.nextBoolean(), 0);
                    ids.removeIf(id -> s.get(id) == null);
                }
                assertEquals(countedFromScratch(s), s.heapBytes(), "after step " + step);
            }
            StreamValue copy = s.copy();
            assertEquals(countedFromScratch(copy), copy.heapBytes(), "a copy");
        }
    }

    private static byte[][] fields(Random random) {
        int pairs = random.nextInt(3) == 0 ? 2 : 1;
        byte[][] fv = new byte[pairs * 2][];
        for (int i = 0; i < fv.length; i++) {
            fv[i] = ("v" + "x".repeat(random.nextInt(i % 2 == 0 ? 3 : 40))).getBytes(StandardCharsets.US_ASCII);
        }
        return fv;
    }

    /** StreamValue#heapBytes for a stream without groups, from its nodes as they are now. */
    private static long countedFromScratch(StreamValue s) {
        long n = 96 + 8L * s.nodeSlots();
        for (int i = 0; i < s.nodeCount(); i++) n += s.node(i).heapBytes();
        return n;
    }
}
