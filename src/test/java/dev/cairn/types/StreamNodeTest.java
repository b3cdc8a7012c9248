package dev.cairn.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A node's packed entries give back every ID and element as appended, at the edges of the ID space too. */
class StreamNodeTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void idsAndElementsComeBackAsAppended() {
        byte[][] master = {b("f"), b("g")};
        StreamValue.Node node = new StreamValue.Node(5, 7, master);
        long[][] ids = {{5, 7}, {5, 8}, {6, 0}, {Long.MAX_VALUE, Long.MAX_VALUE}, {-1L, 0}, {-1L, -1L},
                        // Below the master (a node Redis appended into after XSETID): the delta wraps.
                        {0, 0}, {4, -1L}};
        byte[][][] entries = new byte[ids.length][][];
        for (int i = 0; i < ids.length; i++) {
            entries[i] = i % 3 == 0
                    ? new byte[][] {b("f"), b("v" + i), b("g"), b("x".repeat(i * 100))}
                    : new byte[][] {b("other" + i), b(""), b("h"), b("y".repeat(200 * i))};
            node.append(ids[i][0], ids[i][1], i == 2 ? StreamValue.DELETED : 0, entries[i]);
        }
        assertEquals(ids.length, node.count());
        assertEquals(ids.length - 1, node.live());
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i][0], node.ms(i), "ms of " + i);
            assertEquals(ids[i][1], node.seq(i), "seq of " + i);
            assertEquals(entries[i].length, node.elements(i));
            for (int j = 0; j < entries[i].length; j++) assertArrayEquals(entries[i][j], node.element(i, j));
        }
        node.shrinkToFit();
        StreamValue.Node copy = node.copy();
        for (int i = 0; i < ids.length; i++) {
            assertEquals(ids[i][0], copy.ms(i));
            assertEquals(ids[i][1], copy.seq(i));
            assertArrayEquals(entries[i][entries[i].length - 1], copy.element(i, entries[i].length - 1));
        }
    }
}
