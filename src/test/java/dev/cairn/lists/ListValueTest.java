package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.types.ListValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The packed list against a plain ArrayList model: random operations at both ends and in
 * the middle, with elements small, medium (two-byte lengths) and bigger than a node, so
 * nodes fill, split, merge, empty and get trimmed; under byte limits (negative fill) and
 * element-count limits (positive fill).
 */
class ListValueTest {
    @ParameterizedTest
    @ValueSource(ints = {-2, -1, -5, 1, 3, 128})
    void behavesLikeAListUnderRandomOperations(int fill) {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 3L) * 31 + fill);
        for (int round = 0; round < 12; round++) {
            ListValue list = new ListValue(fill);
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 2500; step++) {
                String v = value(rnd);
                int op = rnd.nextInt(model.isEmpty() ? 3 : 13);
                switch (op) {
                    case 0 -> {
                        list.addFirst(bytes(v));
                        model.addFirst(v);
                    }
                    case 1 -> {
                        list.addLast(bytes(v));
                        model.addLast(v);
                    }
                    case 2 -> {
                        int at = rnd.nextInt(model.size() + 1);
                        list.insert(at, bytes(v));
                        model.add(at, v);
                    }
                    case 3 -> assertEquals(model.removeFirst(), string(list.removeFirst()));
                    case 4 -> assertEquals(model.removeLast(), string(list.removeLast()));
                    case 5 -> {
                        int at = rnd.nextInt(model.size());
                        list.set(at, bytes(v));
                        model.set(at, v);
                    }
                    case 6 -> {
                        int from = rnd.nextInt(model.size());
                        int count = rnd.nextInt(Math.min(model.size() - from, 1 + rnd.nextInt(400)) + 1);
                        list.removeRange(from, count);
                        model.subList(from, from + count).clear();
                    }
                    case 7 -> {
                        // Values repeat among the small ones, so matches span nodes.
                        String small = Integer.toString(rnd.nextInt(6));
                        long limit = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(40);
                        boolean fromTail = rnd.nextBoolean();
                        int removed = list.removeEqual(bytes(small), limit, fromTail);
                        assertEquals(removeEqual(model, small, limit, fromTail), removed);
                    }
                    case 8 -> {
                        String small = Integer.toString(rnd.nextInt(8));
                        assertEquals(model.indexOf(small), list.indexOf(bytes(small)));
                    }
                    case 9 -> {
                        int at = rnd.nextInt(model.size());
                        assertEquals(model.get(at), string(list.get(at)));
                    }
                    case 10 -> {
                        // LTRIM: both ends at once.
                        int head = rnd.nextInt(Math.min(model.size(), 300) + 1);
                        int tail = rnd.nextInt(Math.min(model.size() - head, 300) + 1);
                        list.removeRange(0, head);
                        list.removeRange(list.length() - tail, tail);
                        model.subList(0, head).clear();
                        model.subList(model.size() - tail, model.size()).clear();
                    }
                    default -> {
                        // Runs of pushes at one end, then pops at the other (a queue).
                        boolean head = rnd.nextBoolean();
                        int n = rnd.nextInt(300);
                        for (int i = 0; i < n; i++) {
                            String s = Integer.toString(rnd.nextInt(10));
                            if (head) {
                                list.addFirst(bytes(s));
                                model.addFirst(s);
                            } else {
                                list.addLast(bytes(s));
                                model.addLast(s);
                            }
                        }
                        for (int i = 0; i < n / 2 && !model.isEmpty(); i++) {
                            String expected = head ? model.removeLast() : model.removeFirst();
                            assertEquals(expected, string(head ? list.removeLast() : list.removeFirst()));
                        }
                    }
                }
                assertEquals(model.size(), list.length(), "after operation " + op + " at step " + step);
                if (step % 25 == 0 || model.size() < 30) check(list, model, fill, "after operation " + op + " at step " + step);
            }
            check(list, model, fill, "at the end of round " + round);
        }
    }

    @Test
    void cursorsWalkBothWaysFromAnyIndex() {
        ListValue list = new ListValue(-1);
        List<String> model = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            String v = "e" + i + "x".repeat(i % 200);
            if (i % 2 == 0) {
                list.addLast(bytes(v));
                model.addLast(v);
            } else {
                list.addFirst(bytes(v));
                model.addFirst(v);
            }
        }
        for (int from : new int[] {0, 1, 77, 2500, 4998, 4999}) {
            ListValue.Cursor forward = list.cursor(from, true);
            for (int i = from; i < model.size(); i++) {
                assertTrue(forward.next());
                assertEquals(model.get(i), new String(forward.buffer(), forward.offset(), forward.length(), StandardCharsets.ISO_8859_1));
            }
            assertTrue(!forward.next());
            ListValue.Cursor backward = list.cursor(from, false);
            for (int i = from; i >= 0; i--) {
                assertTrue(backward.next());
                assertEquals(model.get(i), string(backward.copy()));
            }
            assertTrue(!backward.next());
        }
    }

    @Test
    void aLongListIsPackedInFullNodes() {
        ListValue left = new ListValue();
        ListValue right = new ListValue();
        byte[] element = bytes("xxx");
        for (int i = 0; i < 200_000; i++) {
            left.addFirst(element);
            right.addLast(element);
        }
        // 5 bytes an element (3 and two length bytes) in nodes of up to 8 KB.
        long data = 200_000L * 5;
        for (ListValue list : new ListValue[] {left, right}) {
            assertEquals(200_000, list.length());
            assertTrue(list.nodeCount() <= data / 8000 + 1, "nodes: " + list.nodeCount());
            assertTrue(list.allocatedBytes() < data * 1.05, "allocated: " + list.allocatedBytes());
        }
        // Popping everything gives the nodes back.
        for (int i = 0; i < 200_000; i++) left.removeLast();
        assertEquals(0, left.nodeCount());
        assertEquals(0, left.allocatedBytes());
    }

    @Test
    void canonicalIntegersTakeTheirTwosComplementBytes() {
        ListValue list = new ListValue();
        for (int i = 0; i < 100_000; i++) list.addLast(bytes(Integer.toString(1_000_000 + i)));
        // 3 bytes of payload and 2 framing bytes, against 9 for the digits as bytes.
        assertTrue(list.allocatedBytes() < 100_000L * 5 * 1.05, "allocated: " + list.allocatedBytes());
        String[] edges = {"0", "-1", "127", "128", "-128", "-129", "32767", "-32768", "8388607", "-8388609",
                "2147483648", "-9223372036854775808", "9223372036854775807", "007", "-0", "+5", "18446744073709551616"};
        ListValue mixed = new ListValue();
        for (String e : edges) mixed.addFirst(bytes(e));
        for (int i = 0; i < edges.length; i++) {
            assertEquals(edges[edges.length - 1 - i], string(mixed.get(i)));
            assertEquals(edges.length - 1 - i, mixed.indexOf(bytes(edges[i])));
        }
        assertEquals(-1, mixed.indexOf(bytes("7")));
        assertEquals(-1, mixed.indexOf(bytes("5")));
    }

    @Test
    void elementsBiggerThanANodeGetTheirOwnNode() {
        ListValue list = new ListValue(-1);
        byte[] big = new byte[100_000];
        big[0] = 7;
        big[99_999] = 9;
        list.addLast(bytes("a"));
        list.addLast(big);
        list.addFirst(big);
        list.addLast(bytes("b"));
        assertEquals(4, list.nodeCount());
        // big, a, big, b
        assertArrayEquals(big, list.get(0));
        assertArrayEquals(big, list.get(2));
        list.set(0, bytes("c"));
        assertEquals("c", string(list.get(0)));
        assertEquals("a", string(list.get(1)));
        assertEquals("b", string(list.removeLast()));
        assertArrayEquals(big, list.removeLast());
    }

    @Test
    void aCopyIsIndependent() {
        ListValue list = new ListValue();
        for (int i = 0; i < 10; i++) list.addFirst(Integer.toString(i).getBytes());
        ListValue copy = list.copy();
        list.removeFirst();
        copy.addLast("x".getBytes());
        assertEquals(9, list.length());
        assertEquals(11, copy.length());
        assertEquals("9", new String(copy.get(0)));
        assertEquals("x", new String(copy.get(10)));
        assertEquals("8", new String(list.get(0)));
        assertEquals("quicklist", copy.encoding());
    }

    /**
     * Mostly small values and integers (canonical ones stored as integers, others as
     * strings), some needing two length bytes, a few bigger than a 4 KB node.
     */
    private static String value(Random rnd) {
        int kind = rnd.nextInt(20);
        if (kind < 10) return Integer.toString(rnd.nextInt(10));
        if (kind < 13) return Long.toString(rnd.nextLong() >> rnd.nextInt(64));
        if (kind < 15) {
            // Integer-looking strings that are not canonical stay strings.
            return new String[] {"007", "-0", "+1", " 1", "1 ", "-", "", "99999999999999999999", "-9223372036854775809",
                    "9223372036854775807", "-9223372036854775808", "0", "-1", "127", "128", "-128", "-129"}[rnd.nextInt(17)];
        }
        if (kind < 19) return "m".repeat(100 + rnd.nextInt(300)) + rnd.nextInt(10);
        return "L".repeat(3000 + rnd.nextInt(12000)) + rnd.nextInt(10);
    }

    private static void check(ListValue list, List<String> model, int fill, String when) {
        assertEquals(model, contents(list), when);
        if (!model.isEmpty()) {
            assertEquals(model.getLast(), string(list.get(model.size() - 1)), when);
            ListValue.Cursor backward = list.cursor(model.size() - 1, false);
            for (int i = model.size() - 1; i >= 0; i--) {
                assertTrue(backward.next(), when);
                assertTrue(backward.equalTo(bytes(model.get(i))), when);
            }
        }
        // No empty nodes; a count limit holds.
        assertTrue(list.nodeCount() <= model.size(), when);
        if (fill > 0) assertTrue((long) list.nodeCount() * fill >= model.size(), when);
        assertTrue(list.allocatedBytes() >= 0 && (model.isEmpty() == (list.allocatedBytes() == 0)), when);
    }

    private static int removeEqual(List<String> model, String v, long limit, boolean fromTail) {
        int removed = 0;
        for (int k = 0; k < model.size(); ) {
            int i = fromTail ? model.size() - 1 - k : k;
            if ((limit == 0 || removed < limit) && model.get(i).equals(v)) {
                // The next element to look at now has the same distance from the end.
                model.remove(i);
                removed++;
                continue;
            }
            k++;
        }
        return removed;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String string(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static List<String> contents(ListValue list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(string(e)));
        return out;
    }
}
