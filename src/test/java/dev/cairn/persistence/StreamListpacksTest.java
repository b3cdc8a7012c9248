package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.types.StreamValue;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A stream node's size as {@link StreamValue} measures it (which decides where nodes
 * split, as in Redis) is the size of the listpack {@link StreamListpacks} writes for it,
 * and the listpack reads back into the same entries: random entries with integer-like and
 * long values, shared and other fields, deletions.
 */
class StreamListpacksTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String value(Random rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> String.valueOf(rnd.nextInt(200) - 100);
            case 1 -> String.valueOf(rnd.nextLong());
            case 2 -> String.valueOf(rnd.nextInt(1 << 24) - (1 << 23));
            case 3 -> "x".repeat(rnd.nextInt(5000));
            case 4 -> "0" + rnd.nextInt(100);
            default -> "v".repeat(rnd.nextInt(80));
        };
    }

    @Test
    void measuredSizeIsTheWrittenListpacksSize() throws Exception {
        Random rnd = new Random(3);
        for (int round = 0; round < 20; round++) {
            StreamValue s = new StreamValue();
            long ms = rnd.nextInt(1000);
            for (int i = 0; i < 400; i++) {
                ms += rnd.nextInt(3) == 0 ? rnd.nextLong(1L << 40) : rnd.nextInt(2);
                int fields = 1 + rnd.nextInt(3);
                byte[][] fv = new byte[2 * fields][];
                for (int f = 0; f < fields; f++) {
                    fv[2 * f] = b(rnd.nextInt(4) == 0 ? value(rnd) : "f" + f);
                    fv[2 * f + 1] = b(value(rnd));
                }
                s.append(new StreamValue.Id(ms, i), fv, round % 2 == 0 ? 4096 : 0, round % 3 == 0 ? 0 : 100);
                if (rnd.nextInt(5) == 0) s.delete(new StreamValue.Id(ms, i - rnd.nextInt(3)));
            }
            for (int n = 0; n < s.nodeCount(); n++) {
                StreamValue.Node node = s.node(n);
                byte[] lp = StreamListpacks.encode(node);
                assertEquals(lp.length, node.listpackBytes(), "round " + round + " node " + n);
                StreamValue.Node back = StreamListpacks.decode(node.masterMs, node.masterSeq, lp);
                assertEquals(node.count(), back.count());
                for (int i = 0; i < node.count(); i++) {
                    assertEquals(node.id(i), back.id(i));
                    assertEquals(node.flags(i), back.flags(i));
                    assertEquals(node.elements(i), back.elements(i));
                    for (int j = 0; j < node.elements(i); j++) assertArrayEquals(node.element(i, j), back.element(i, j));
                }
                assertArrayEquals(lp, StreamListpacks.encode(back));
            }
        }
    }
}
