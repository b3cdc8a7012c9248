package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.types.SetTable;
import dev.cairn.types.SetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The set value classes on their own: IntSet's packing, SetTable's two member forms, SetValue's conversion. */
class SetValueTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> members(SetValue set) {
        List<String> out = new ArrayList<>();
        set.forEach(m -> out.add(new String(m, StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] b(long n) {
        return b(Long.toString(n));
    }

    /** Bytes per member of an intset, from the size of its Redis blob. */
    private static long width(SetValue s) {
        return (s.intsetBytes() - 8) / s.size();
    }

    @Test
    void intsetKeepsMembersSortedAndWidensOnDemand() {
        SetValue s = SetValue.emptyIntset();
        assertTrue(s.add(b(5), 512));
        assertTrue(s.add(b(-3), 512));
        assertFalse(s.add(b(5), 512));
        assertEquals(2, width(s));
        assertTrue(s.add(b(100_000), 512));
        assertEquals(4, width(s));
        assertTrue(s.add(b(Long.MIN_VALUE), 512));
        assertEquals(8, width(s));
        assertEquals(List.of(Long.toString(Long.MIN_VALUE), "-3", "5", "100000"), members(s));
        assertEquals(8 + 4 * 8, s.intsetBytes());
        assertTrue(s.remove(b(Long.MIN_VALUE)));
        assertEquals(8, width(s), "an intset never narrows");
        assertFalse(s.contains(b(Long.MIN_VALUE)));
        assertTrue(s.contains(b(100_000)));
        assertFalse(s.remove(b(1L << 40)));
        assertEquals("intset", s.encoding());
    }

    @Test
    void intsetAgainstAReferenceSet() {
        Random rnd = new Random(7);
        SetValue s = SetValue.emptyIntset();
        TreeSet<Long> reference = new TreeSet<>();
        for (int i = 0; i < 20_000; i++) {
            long v = switch (rnd.nextInt(3)) {
                case 0 -> rnd.nextInt(1000) - 500;
                case 1 -> rnd.nextInt();
                default -> rnd.nextLong() >> rnd.nextInt(64);
            };
            if (rnd.nextInt(3) == 0) assertEquals(reference.remove(v), s.remove(b(v)));
            else assertEquals(reference.add(v), s.add(b(v), Long.MAX_VALUE));
        }
        assertEquals("intset", s.encoding());
        assertEquals(reference.size(), s.size());
        assertEquals(reference.stream().map(String::valueOf).toList(), members(s));
        SetValue copy = s.copy();
        copy.add(b(12345678901L), Long.MAX_VALUE);
        assertEquals(reference.size(), s.size());
        assertEquals(reference.size() + (reference.contains(12345678901L) ? 0 : 1), copy.size());
    }

    @Test
    void tableHoldsIntegersAndBytesApart() {
        SetTable t = new SetTable();
        assertTrue(t.add(b("12")));
        assertTrue(t.add(b("012")));
        assertFalse(t.addInteger(12));
        assertTrue(t.containsInteger(12));
        assertTrue(t.contains(b("012")));
        assertFalse(t.contains(b("+12")));
        assertTrue(t.remove(b("12")));
        assertFalse(t.containsInteger(12));
        assertTrue(t.contains(b("012")));
        assertEquals(1, t.size());
    }

    @Test
    void tableAgainstAReferenceSetThroughResizes() {
        Random rnd = new Random(11);
        SetTable t = new SetTable();
        Set<String> reference = new HashSet<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 5000; i++) {
                String m = rnd.nextBoolean() ? Integer.toString(rnd.nextInt(4000)) : "m" + rnd.nextInt(4000);
                assertEquals(reference.add(m), t.add(b(m)));
            }
            for (int i = 0; i < 6000; i++) {
                String m = rnd.nextBoolean() ? Integer.toString(rnd.nextInt(4000)) : "m" + rnd.nextInt(4000);
                assertEquals(reference.remove(m), t.remove(b(m)));
            }
            assertEquals(reference.size(), t.size());
            assertTrue(t.buckets() >= t.size() && t.buckets() <= Math.max(4, t.size() * 10));
        }
        while (t.size() > 0) {
            String m = new String(t.random(true), StandardCharsets.UTF_8);
            assertTrue(reference.remove(m), m);
        }
        assertEquals(Set.of(), reference);
    }

    @Test
    void setValueConvertsOnce() {
        SetValue s = SetValue.forFirstMember(b("1"));
        assertEquals("intset", s.encoding());
        assertEquals(0, s.size());
        s.add(b("1"), 512);
        s.add(b("3"), 512);
        s.add(b("2"), 512);
        assertEquals(List.of("1", "2", "3"), members(s));
        s.add(b("x"), 512);
        assertEquals("hashtable", s.encoding());
        s.remove(b("x"));
        assertEquals("hashtable", s.encoding());
        assertEquals(Set.of("1", "2", "3"), new HashSet<>(members(s)));
        SetValue limited = SetValue.emptyIntset();
        limited.add(b("1"), 2);
        limited.add(b("2"), 2);
        assertEquals("intset", limited.encoding());
        limited.add(b("3"), 2);
        assertEquals("hashtable", limited.encoding());
        assertEquals("hashtable", SetValue.forFirstMember(b("-0")).encoding());
    }

    @Test
    void membersIteratorGivesIntegersAsNumbers() {
        SetValue s = SetValue.emptyTable(0);
        s.add(b("7"), 512);
        s.add(b("seven"), 512);
        int integers = 0;
        for (SetValue.Members m = s.members(); m.next(); ) {
            if (m.member() == null) {
                assertEquals(7, m.integer());
                integers++;
            } else {
                assertEquals("seven", new String(m.member(), StandardCharsets.UTF_8));
            }
            assertTrue(s.contains(m.member(), m.integer()));
        }
        assertEquals(1, integers);
        SetValue ints = SetValue.emptyIntset();
        ints.add(b("-2"), 512);
        SetValue.Members m = ints.members();
        assertTrue(m.next());
        assertNull(m.member());
        assertEquals("-2", new String(m.bytes(), StandardCharsets.UTF_8));
        assertFalse(m.next());
    }

    @Test
    void copiesAreIndependent() {
        SetValue table = SetValue.emptyTable(0);
        for (int i = 0; i < 100; i++) table.add(b(i % 2 == 0 ? "m" + i : Integer.toString(i)), 512);
        SetValue copy = table.copy();
        copy.remove(b("m0"));
        copy.add(b("new"), 512);
        assertTrue(table.contains(b("m0")));
        assertFalse(table.contains(b("new")));
        assertEquals(100, table.size());
        assertEquals(100, copy.size());
    }
}
