package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.types.ListValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ring buffer against a plain ArrayList model: random operations at both ends and
 * in the middle, with the ring wrapping around, growing and shrinking.
 */
class ListValueTest {
    @Test
    void behavesLikeAListUnderRandomOperations() {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 3L));
        for (int round = 0; round < 20; round++) {
            ListValue list = new ListValue();
            List<String> model = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                String v = Integer.toString(rnd.nextInt(6));
                int op = rnd.nextInt(model.isEmpty() ? 3 : 10);
                switch (op) {
                    case 0 -> {
                        list.addFirst(v.getBytes());
                        model.addFirst(v);
                    }
                    case 1 -> {
                        list.addLast(v.getBytes());
                        model.addLast(v);
                    }
                    case 2 -> {
                        int at = rnd.nextInt(model.size() + 1);
                        list.insert(at, v.getBytes());
                        model.add(at, v);
                    }
                    case 3 -> assertEquals(model.removeFirst(), new String(list.removeFirst()));
                    case 4 -> assertEquals(model.removeLast(), new String(list.removeLast()));
                    case 5 -> {
                        int at = rnd.nextInt(model.size());
                        list.set(at, v.getBytes());
                        model.set(at, v);
                    }
                    case 6 -> {
                        int from = rnd.nextInt(model.size());
                        int count = rnd.nextInt(model.size() - from + 1);
                        list.removeRange(from, count);
                        model.subList(from, from + count).clear();
                    }
                    case 7 -> {
                        long limit = rnd.nextInt(4);
                        boolean fromTail = rnd.nextBoolean();
                        int removed = list.removeEqual(v.getBytes(), limit, fromTail);
                        assertEquals(removeEqual(model, v, limit, fromTail), removed);
                    }
                    case 8 -> assertEquals(model.indexOf(v), list.indexOf(v.getBytes()));
                    default -> {
                        // Big pushes make the ring grow, big removals shrink it.
                        for (int i = 0; i < 50; i++) {
                            list.addLast(v.getBytes());
                            model.addLast(v);
                        }
                    }
                }
                assertEquals(model, contents(list), "after operation " + op + " at step " + step);
            }
        }
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
        assertEquals("quicklist", copy.encoding());
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

    private static List<String> contents(ListValue list) {
        List<String> out = new ArrayList<>();
        list.forEach(e -> out.add(new String(e)));
        return out;
    }
}
