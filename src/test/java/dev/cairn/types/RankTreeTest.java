package dev.cairn.types;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The order-statistic B+tree against a TreeSet model: random inserts and removes through
 * splits, merges and rebalancing, with every invariant checked along the way.
 */
class RankTreeTest {
    private record Element(double score, byte[] member) {}

    private static final Comparator<Element> ORDER = (a, b) -> RankTree.compare(a.score, a.member, b.score, b.member);

    @Test
    void randomInsertsAndRemovesKeepOrderRanksAndInvariants() {
        Random rnd = new Random(42);
        RankTree tree = new RankTree();
        TreeSet<Element> model = new TreeSet<>(ORDER);
        for (int round = 0; round < 40_000; round++) {
            boolean insert = model.size() < 50 || rnd.nextInt(100) < (round < 20_000 ? 60 : 35);
            if (insert) {
                Element e = new Element(rnd.nextInt(500), ("m" + rnd.nextInt(100_000)).getBytes(StandardCharsets.US_ASCII));
                if (model.add(e)) tree.insert(e.score, e.member);
            } else {
                Element e = pick(model, rnd);
                model.remove(e);
                assertTrue(tree.remove(e.score, e.member));
                assertFalse(tree.remove(e.score, e.member));
            }
            if (round % 997 == 0) verify(tree, model);
        }
        while (!model.isEmpty()) {
            Element e = pick(model, rnd);
            model.remove(e);
            assertTrue(tree.remove(e.score, e.member));
            if (model.size() % 501 == 0) verify(tree, model);
        }
        verify(tree, model);
        assertFalse(tree.first().valid());
        assertFalse(tree.last().valid());
    }

    @Test
    void builtTreesAreFullAndValid() {
        for (int n : new int[] {0, 1, 63, 64, 65, 200, 4096, 4097, 70_000}) {
            double[] scores = new double[n];
            byte[][] members = new byte[n][];
            TreeSet<Element> model = new TreeSet<>(ORDER);
            for (int i = 0; i < n; i++) {
                scores[i] = i / 3;
                members[i] = String.format("%08d", i).getBytes(StandardCharsets.US_ASCII);
                model.add(new Element(scores[i], members[i]));
            }
            RankTree tree = RankTree.build(scores, members, n);
            verify(tree, model);
            for (int i = 0; i < n; i += 7) {
                tree.remove(scores[i], members[i]);
                model.remove(new Element(scores[i], members[i]));
            }
            verify(tree, model);
        }
    }

    @Test
    void elementsAddedInOrderFillTheirNodes() {
        RankTree tree = new RankTree();
        TreeSet<Element> model = new TreeSet<>(ORDER);
        for (int i = 0; i < 100_000; i++) {
            byte[] m = ("m" + i).getBytes(StandardCharsets.US_ASCII);
            tree.insert(i, m);
            model.add(new Element(i, m));
        }
        verify(tree, model);
        // Full leaves: about n / 64 of them, not n / 32.
        assertTrue(tree.nodeCount() < 100_000 / 60, "nodes: " + tree.nodeCount());
        Random rnd = new Random(3);
        while (model.size() > 10) {
            Element e = pick(model, rnd);
            model.remove(e);
            tree.remove(e.score, e.member);
            if (model.size() % 5000 == 0) verify(tree, model);
        }
        verify(tree, model);
    }

    @Test
    void negativeZeroEqualsZero() {
        RankTree tree = new RankTree();
        tree.insert(-0.0, "b".getBytes());
        tree.insert(0.0, "a".getBytes());
        assertEquals(0, tree.rank(0.0, "a".getBytes()));
        assertEquals(1, tree.rank(0.0, "b".getBytes()));
        assertTrue(tree.remove(0.0, "b".getBytes()));
    }

    private static Element pick(TreeSet<Element> model, Random rnd) {
        Element probe = new Element(rnd.nextInt(Math.max(500, (int) model.last().score + 1)), new byte[0]);
        Element e = model.ceiling(probe);
        return e != null ? e : model.first();
    }

    private static void verify(RankTree tree, TreeSet<Element> model) {
        tree.check();
        assertEquals(model.size(), tree.length());
        List<Element> list = new ArrayList<>(model);
        RankTree.Position p = tree.first();
        for (Element e : list) {
            assertTrue(p.valid());
            assertEquals(e.score, p.score());
            assertArrayEquals(e.member, p.member());
            p.next();
        }
        assertFalse(p.valid());
        p = tree.last();
        for (int i = list.size() - 1; i >= 0; i--, p.prev()) assertArrayEquals(list.get(i).member, p.member());
        assertFalse(p.valid());
        for (int i = 0; i < list.size(); i += Math.max(1, list.size() / 50)) {
            Element e = list.get(i);
            assertEquals(i, tree.rank(e.score, e.member));
            assertArrayEquals(e.member, tree.at(i).member());
            double min = e.score;
            RankTree.Position first = tree.firstNotBelow((s, m) -> s < min);
            assertEquals(model.ceiling(new Element(min, new byte[0])).member(), first.member());
            RankTree.Position last = tree.lastWithin((s, m) -> s <= min);
            Element expected = model.lower(new Element(Math.nextUp(min), new byte[0]));
            assertArrayEquals(expected.member, last.member());
        }
    }
}
