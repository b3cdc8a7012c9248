package dev.cairn.types;

import java.util.Arrays;

/**
 * The ordered half of a large sorted set ("skiplist" encoding): (score, member) pairs in
 * Redis's order (score, then member bytes as memcmp), in a B+tree whose inner nodes
 * count the elements under each child, so that finding an element's rank or the element
 * at a rank takes O(log n), like Redis's skip list with spans.
 *
 * <p>Why a B+tree rather than a skip list: a leaf holds up to {@link #LEAF_MAX} scores in
 * one {@code double[]} and their members in one array, about 12 bytes per element plus
 * the member itself, where a Java skip list node would cost an object and level arrays
 * per element. Range replies walk leaves sequentially.
 *
 * <p>Invariants: every leaf and inner node other than the root holds at least a quarter
 * of its capacity (deletes merge or rebalance neighbours); a separator in an inner node
 * is at most every key of the child to its right and greater than every key to its left;
 * {@code counts[i]} is the number of elements under {@code children[i]}; leaves are
 * linked in order both ways. Scores are never NaN; -0 and 0 compare equal, as in C.
 * Not thread-safe.
 */
public final class RankTree {
    static final int LEAF_MAX = 64;
    static final int INNER_MAX = 64;
    private static final int LEAF_MIN = LEAF_MAX / 4;
    private static final int INNER_MIN = INNER_MAX / 4;

    private abstract static sealed class Node permits Leaf, Inner {
        int size;
    }

    /** Up to LEAF_MAX elements in order. */
    private static final class Leaf extends Node {
        final double[] scores = new double[LEAF_MAX];
        final byte[][] members = new byte[LEAF_MAX][];
        Leaf prev;
        Leaf next;
    }

    /** Up to INNER_MAX children, the separators between them and their element counts. */
    private static final class Inner extends Node {
        final Node[] children = new Node[INNER_MAX];
        final int[] counts = new int[INNER_MAX];
        final double[] sepScores = new double[INNER_MAX - 1];
        final byte[][] sepMembers = new byte[INNER_MAX - 1][];
    }

    private Node root = new Leaf();
    private Leaf head = (Leaf) root;
    private Leaf tail = (Leaf) root;
    private int length;

    /**
     * Set while inserting after the last element: splits on the way then leave the full
     * node full and start a new one, so that elements added in order (timestamps as
     * scores) fill nodes completely instead of leaving every one half empty.
     */
    private boolean appending;
    /** A split's result travels up through these, set by the level that split. */
    private Node splitRight;
    private double splitScore;
    private byte[] splitMember;

    public RankTree() {}

    /**
     * A tree of {@code n} elements already in order, with full nodes (inserting one by one
     * would leave every leaf half empty, as each split leaves its left half behind).
     */
    public static RankTree build(double[] scores, byte[][] members, int n) {
        RankTree t = new RankTree();
        if (n == 0) return t;
        int leafCount = nodesFor(n, LEAF_MAX);
        Node[] level = new Node[leafCount];
        Leaf prev = null;
        int at = 0;
        for (int k = 0; k < leafCount; k++) {
            Leaf leaf = new Leaf();
            int take = share(n, leafCount, k);
            System.arraycopy(scores, at, leaf.scores, 0, take);
            System.arraycopy(members, at, leaf.members, 0, take);
            leaf.size = take;
            at += take;
            leaf.prev = prev;
            if (prev != null) prev.next = leaf;
            prev = leaf;
            level[k] = leaf;
        }
        t.head = (Leaf) level[0];
        t.tail = prev;
        while (level.length > 1) {
            int parents = nodesFor(level.length, INNER_MAX);
            Node[] up = new Node[parents];
            int child = 0;
            for (int k = 0; k < parents; k++) {
                Inner inner = new Inner();
                int take = share(level.length, parents, k);
                for (int c = 0; c < take; c++, child++) {
                    inner.children[c] = level[child];
                    inner.counts[c] = count(level[child]);
                    if (c > 0) {
                        Leaf first = leftmostLeaf(level[child]);
                        inner.sepScores[c - 1] = first.scores[0];
                        inner.sepMembers[c - 1] = first.members[0];
                    }
                }
                inner.size = take;
                up[k] = inner;
            }
            level = up;
        }
        t.root = level[0];
        t.length = n;
        return t;
    }

    /** How many nodes of capacity {@code max} hold {@code n} entries. */
    private static int nodesFor(int n, int max) {
        return (n + max - 1) / max;
    }

    /** Entries of node k when n entries spread evenly over {@code nodes} nodes. */
    private static int share(int n, int nodes, int k) {
        return n / nodes + (k < n % nodes ? 1 : 0);
    }

    private static Leaf leftmostLeaf(Node node) {
        while (node instanceof Inner inner) node = inner.children[0];
        return (Leaf) node;
    }

    public int length() {
        return length;
    }

    /** Redis's element order: by score, then by member bytes (unsigned, shorter first). */
    public static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        if (s1 < s2) return -1;
        if (s1 > s2) return 1;
        return Arrays.compareUnsigned(m1, m2);
    }

    // ---- changes -----------------------------------------------------------------------

    /** Adds an element; the member must not be present (the member table says so). */
    public void insert(double score, byte[] member) {
        splitRight = null;
        appending = length > 0 && compare(score, member, tail.scores[tail.size - 1], tail.members[tail.size - 1]) > 0;
        insert(root, score, member);
        if (splitRight != null) {
            Inner grown = new Inner();
            grown.children[0] = root;
            grown.counts[0] = count(root);
            grown.children[1] = splitRight;
            grown.counts[1] = count(splitRight);
            grown.sepScores[0] = splitScore;
            grown.sepMembers[0] = splitMember;
            grown.size = 2;
            root = grown;
            splitRight = null;
            splitMember = null;
        }
        length++;
    }

    private void insert(Node node, double score, byte[] member) {
        if (node instanceof Leaf leaf) {
            insertIntoLeaf(leaf, upperBound(leaf, score, member), score, member);
            return;
        }
        Inner inner = (Inner) node;
        int i = childFor(inner, score, member);
        insert(inner.children[i], score, member);
        inner.counts[i]++;
        if (splitRight != null) {
            Node right = splitRight;
            double sepScore = splitScore;
            byte[] sepMember = splitMember;
            splitRight = null;
            inner.counts[i] = count(inner.children[i]);
            insertChild(inner, i + 1, right, count(right), sepScore, sepMember);
        }
    }

    private void insertIntoLeaf(Leaf leaf, int at, double score, byte[] member) {
        if (leaf.size < LEAF_MAX) {
            shiftIn(leaf, at, score, member);
            return;
        }
        Leaf right = new Leaf();
        int half = appending ? LEAF_MAX : LEAF_MAX / 2;
        moveElements(leaf, half, right, 0, LEAF_MAX - half);
        right.size = LEAF_MAX - half;
        leaf.size = half;
        right.next = leaf.next;
        right.prev = leaf;
        if (leaf.next != null) leaf.next.prev = right;
        else tail = right;
        leaf.next = right;
        if (at <= half && half < LEAF_MAX) shiftIn(leaf, at, score, member);
        else shiftIn(right, at - half, score, member);
        splitRight = right;
        splitScore = right.scores[0];
        splitMember = right.members[0];
    }

    private static void shiftIn(Leaf leaf, int at, double score, byte[] member) {
        System.arraycopy(leaf.scores, at, leaf.scores, at + 1, leaf.size - at);
        System.arraycopy(leaf.members, at, leaf.members, at + 1, leaf.size - at);
        leaf.scores[at] = score;
        leaf.members[at] = member;
        leaf.size++;
    }

    /** Inserts a child at position {@code at}, with the separator before it; splits when full. */
    private void insertChild(Inner inner, int at, Node child, int count, double sepScore, byte[] sepMember) {
        if (inner.size == INNER_MAX) {
            Inner right = new Inner();
            int half = appending ? INNER_MAX - 1 : INNER_MAX / 2;
            // The separator between the halves moves up to the parent.
            double upScore = inner.sepScores[half - 1];
            byte[] upMember = inner.sepMembers[half - 1];
            int moved = INNER_MAX - half;
            System.arraycopy(inner.children, half, right.children, 0, moved);
            System.arraycopy(inner.counts, half, right.counts, 0, moved);
            System.arraycopy(inner.sepScores, half, right.sepScores, 0, moved - 1);
            System.arraycopy(inner.sepMembers, half, right.sepMembers, 0, moved - 1);
            Arrays.fill(inner.children, half, INNER_MAX, null);
            Arrays.fill(inner.sepMembers, half - 1, INNER_MAX - 1, null);
            right.size = moved;
            inner.size = half;
            if (at <= half) insertChildNoSplit(inner, at, child, count, sepScore, sepMember);
            else insertChildNoSplit(right, at - half, child, count, sepScore, sepMember);
            splitRight = right;
            splitScore = upScore;
            splitMember = upMember;
            return;
        }
        insertChildNoSplit(inner, at, child, count, sepScore, sepMember);
    }

    private static void insertChildNoSplit(Inner inner, int at, Node child, int count, double sepScore,
            byte[] sepMember) {
        System.arraycopy(inner.children, at, inner.children, at + 1, inner.size - at);
        System.arraycopy(inner.counts, at, inner.counts, at + 1, inner.size - at);
        System.arraycopy(inner.sepScores, at - 1, inner.sepScores, at, inner.size - at);
        System.arraycopy(inner.sepMembers, at - 1, inner.sepMembers, at, inner.size - at);
        inner.children[at] = child;
        inner.counts[at] = count;
        inner.sepScores[at - 1] = sepScore;
        inner.sepMembers[at - 1] = sepMember;
        inner.size++;
    }

    /** Removes the element; false when it is not there. */
    public boolean remove(double score, byte[] member) {
        if (!remove(root, score, member)) return false;
        length--;
        if (root instanceof Inner inner && inner.size == 1) root = inner.children[0];
        return true;
    }

    private boolean remove(Node node, double score, byte[] member) {
        if (node instanceof Leaf leaf) {
            int at = find(leaf, score, member);
            if (at < 0) return false;
            System.arraycopy(leaf.scores, at + 1, leaf.scores, at, leaf.size - at - 1);
            System.arraycopy(leaf.members, at + 1, leaf.members, at, leaf.size - at - 1);
            leaf.members[--leaf.size] = null;
            return true;
        }
        Inner inner = (Inner) node;
        int i = childFor(inner, score, member);
        if (!remove(inner.children[i], score, member)) return false;
        inner.counts[i]--;
        Node child = inner.children[i];
        if (child.size < (child instanceof Leaf ? LEAF_MIN : INNER_MIN)) rebalance(inner, i);
        return true;
    }

    /** Child i of inner has too few entries: merge it with a neighbour or take some over. */
    private void rebalance(Inner parent, int i) {
        int left = i > 0 ? i - 1 : i;
        int right = left + 1;
        if (right >= parent.size) return; // an only child (the root collapses it)
        Node a = parent.children[left];
        Node b = parent.children[right];
        int max = a instanceof Leaf ? LEAF_MAX : INNER_MAX;
        if (a.size + b.size <= max) {
            if (a instanceof Leaf la) mergeLeaves(la, (Leaf) b);
            else mergeInner((Inner) a, (Inner) b, parent.sepScores[left], parent.sepMembers[left]);
            parent.counts[left] += parent.counts[right];
            removeChild(parent, right);
            return;
        }
        int moving = (a.size + b.size) / 2 - Math.min(a.size, b.size);
        if (a instanceof Leaf la) {
            Leaf lb = (Leaf) b;
            if (la.size < lb.size) {
                moveElements(lb, 0, la, la.size, moving);
                la.size += moving;
                System.arraycopy(lb.scores, moving, lb.scores, 0, lb.size - moving);
                System.arraycopy(lb.members, moving, lb.members, 0, lb.size - moving);
                Arrays.fill(lb.members, lb.size - moving, lb.size, null);
                lb.size -= moving;
                parent.counts[left] += moving;
                parent.counts[right] -= moving;
            } else {
                System.arraycopy(lb.scores, 0, lb.scores, moving, lb.size);
                System.arraycopy(lb.members, 0, lb.members, moving, lb.size);
                moveElements(la, la.size - moving, lb, 0, moving);
                la.size -= moving;
                lb.size += moving;
                parent.counts[left] -= moving;
                parent.counts[right] += moving;
            }
            parent.sepScores[left] = lb.scores[0];
            parent.sepMembers[left] = lb.members[0];
        } else {
            rotateInner(parent, left, (Inner) a, (Inner) b, moving);
        }
    }

    private void mergeLeaves(Leaf a, Leaf b) {
        moveElements(b, 0, a, a.size, b.size);
        a.size += b.size;
        a.next = b.next;
        if (b.next != null) b.next.prev = a;
        else tail = a;
    }

    private static void mergeInner(Inner a, Inner b, double sepScore, byte[] sepMember) {
        a.sepScores[a.size - 1] = sepScore;
        a.sepMembers[a.size - 1] = sepMember;
        System.arraycopy(b.children, 0, a.children, a.size, b.size);
        System.arraycopy(b.counts, 0, a.counts, a.size, b.size);
        System.arraycopy(b.sepScores, 0, a.sepScores, a.size, b.size - 1);
        System.arraycopy(b.sepMembers, 0, a.sepMembers, a.size, b.size - 1);
        a.size += b.size;
    }

    /** Moves {@code moving} children between neighbours a and b through the parent's separator. */
    private static void rotateInner(Inner parent, int left, Inner a, Inner b, int moving) {
        int moved = 0;
        if (a.size < b.size) {
            for (int k = 0; k < moving; k++) {
                a.sepScores[a.size - 1] = parent.sepScores[left];
                a.sepMembers[a.size - 1] = parent.sepMembers[left];
                a.children[a.size] = b.children[0];
                a.counts[a.size] = b.counts[0];
                a.size++;
                moved += b.counts[0];
                parent.sepScores[left] = b.sepScores[0];
                parent.sepMembers[left] = b.sepMembers[0];
                removeFirstChild(b);
            }
            parent.counts[left] += moved;
            parent.counts[left + 1] -= moved;
        } else {
            for (int k = 0; k < moving; k++) {
                Node last = a.children[a.size - 1];
                int lastCount = a.counts[a.size - 1];
                System.arraycopy(b.children, 0, b.children, 1, b.size);
                System.arraycopy(b.counts, 0, b.counts, 1, b.size);
                System.arraycopy(b.sepScores, 0, b.sepScores, 1, b.size - 1);
                System.arraycopy(b.sepMembers, 0, b.sepMembers, 1, b.size - 1);
                b.children[0] = last;
                b.counts[0] = lastCount;
                b.sepScores[0] = parent.sepScores[left];
                b.sepMembers[0] = parent.sepMembers[left];
                b.size++;
                parent.sepScores[left] = a.sepScores[a.size - 2];
                parent.sepMembers[left] = a.sepMembers[a.size - 2];
                a.sepMembers[a.size - 2] = null;
                a.children[a.size - 1] = null;
                a.size--;
                moved += lastCount;
            }
            parent.counts[left] -= moved;
            parent.counts[left + 1] += moved;
        }
    }

    private static void removeFirstChild(Inner b) {
        System.arraycopy(b.children, 1, b.children, 0, b.size - 1);
        System.arraycopy(b.counts, 1, b.counts, 0, b.size - 1);
        System.arraycopy(b.sepScores, 1, b.sepScores, 0, b.size - 2);
        System.arraycopy(b.sepMembers, 1, b.sepMembers, 0, b.size - 2);
        b.children[b.size - 1] = null;
        b.sepMembers[b.size - 2] = null;
        b.size--;
    }

    /** Removes child {@code at} (never the first) and the separator before it. */
    private static void removeChild(Inner inner, int at) {
        System.arraycopy(inner.children, at + 1, inner.children, at, inner.size - at - 1);
        System.arraycopy(inner.counts, at + 1, inner.counts, at, inner.size - at - 1);
        System.arraycopy(inner.sepScores, at, inner.sepScores, at - 1, inner.size - at - 1);
        System.arraycopy(inner.sepMembers, at, inner.sepMembers, at - 1, inner.size - at - 1);
        inner.children[inner.size - 1] = null;
        inner.sepMembers[inner.size - 2] = null;
        inner.size--;
    }

    private static void moveElements(Leaf from, int fromAt, Leaf to, int toAt, int n) {
        System.arraycopy(from.scores, fromAt, to.scores, toAt, n);
        System.arraycopy(from.members, fromAt, to.members, toAt, n);
        if (from != to) Arrays.fill(from.members, fromAt, fromAt + n, null);
    }

    private static int count(Node node) {
        if (node instanceof Leaf) return node.size;
        Inner inner = (Inner) node;
        int n = 0;
        for (int i = 0; i < inner.size; i++) n += inner.counts[i];
        return n;
    }

    // ---- searching -----------------------------------------------------------------------

    /** The child whose range holds the key: after every separator at most the key. */
    private static int childFor(Inner inner, double score, byte[] member) {
        int lo = 0;
        int hi = inner.size - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(inner.sepScores[mid], inner.sepMembers[mid], score, member) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Index of the first element greater than the key. */
    private static int upperBound(Leaf leaf, double score, byte[] member) {
        int lo = 0;
        int hi = leaf.size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(leaf.scores[mid], leaf.members[mid], score, member) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static int find(Leaf leaf, double score, byte[] member) {
        int at = upperBound(leaf, score, member) - 1;
        if (at >= 0 && leaf.scores[at] == score && Arrays.equals(leaf.members[at], member)) return at;
        return -1;
    }

    /** The 0-based rank of the element, or -1 when it is not there. */
    public long rank(double score, byte[] member) {
        long rank = 0;
        Node node = root;
        while (node instanceof Inner inner) {
            int i = childFor(inner, score, member);
            for (int k = 0; k < i; k++) rank += inner.counts[k];
            node = inner.children[i];
        }
        int at = find((Leaf) node, score, member);
        return at < 0 ? -1 : rank + at;
    }

    /** A position at the element of 0-based rank {@code rank}, which must be in range. */
    public Position at(long rank) {
        Node node = root;
        while (node instanceof Inner inner) {
            int i = 0;
            while (rank >= inner.counts[i]) rank -= inner.counts[i++];
            node = inner.children[i];
        }
        return new Position((Leaf) node, (int) rank);
    }

    /** A position at the first element, or past the end when empty. */
    public Position first() {
        return new Position(head, head.size == 0 ? -1 : 0);
    }

    /** A position at the last element, or before the start when empty. */
    public Position last() {
        return new Position(tail, tail.size - 1);
    }

    /**
     * A position at the first element not "below" the bound, where {@code below} says
     * whether an element is still before the wanted range; elements must be ordered so
     * that all those below come first (scores for score ranges, members for lex ranges
     * when all scores are equal). Invalid when every element is below.
     */
    public Position firstNotBelow(Bound below) {
        Node node = root;
        while (node instanceof Inner inner) {
            int i = 0;
            while (i < inner.size - 1 && below.test(inner.sepScores[i], inner.sepMembers[i])) i++;
            node = inner.children[i];
        }
        Leaf leaf = (Leaf) node;
        int at = 0;
        while (at < leaf.size && below.test(leaf.scores[at], leaf.members[at])) at++;
        if (at < leaf.size) return new Position(leaf, at);
        return new Position(leaf.next, 0);
    }

    /**
     * A position at the last element that is "within" the bound (all such elements come
     * first, see {@link #firstNotBelow}); invalid when none is.
     */
    public Position lastWithin(Bound within) {
        Node node = root;
        while (node instanceof Inner inner) {
            int i = 0;
            while (i < inner.size - 1 && within.test(inner.sepScores[i], inner.sepMembers[i])) i++;
            node = inner.children[i];
        }
        Leaf leaf = (Leaf) node;
        int at = 0;
        while (at < leaf.size && within.test(leaf.scores[at], leaf.members[at])) at++;
        if (at > 0) return new Position(leaf, at - 1);
        return leaf.prev == null ? Position.none() : new Position(leaf.prev, leaf.prev.size - 1);
    }

    /** A test of one element against a range bound. */
    @FunctionalInterface
    public interface Bound {
        boolean test(double score, byte[] member);
    }

    /** Visits every element in order; the tree must not change during the visit. */
    public void forEach(ElementVisitor visitor) {
        for (Leaf leaf = head; leaf != null; leaf = leaf.next) {
            for (int i = 0; i < leaf.size; i++) visitor.visit(leaf.members[i], leaf.scores[i]);
        }
    }

    /** One element of an ordered walk. */
    @FunctionalInterface
    public interface ElementVisitor {
        void visit(byte[] member, double score);
    }

    /**
     * A place in the order, moving one element at a time both ways. Becomes invalid when
     * it moves past either end; invalidated by any change to the tree.
     */
    public static final class Position {
        private Leaf leaf;
        private int index;

        /** At the element {@code index} of the leaf; invalid when there is no such element. */
        private Position(Leaf leaf, int index) {
            boolean exists = leaf != null && index >= 0 && index < leaf.size;
            this.leaf = exists ? leaf : null;
            this.index = index;
        }

        /** A position at no element. */
        public static Position none() {
            return new Position(null, 0);
        }

        public boolean valid() {
            return leaf != null;
        }

        public double score() {
            return leaf.scores[index];
        }

        public byte[] member() {
            return leaf.members[index];
        }

        public void next() {
            if (leaf == null) return;
            if (++index < leaf.size) return;
            leaf = leaf.next;
            index = 0;
            // Only the root leaf of an empty tree is empty.
            if (leaf != null && leaf.size == 0) leaf = null;
        }

        public void prev() {
            if (leaf == null) return;
            if (--index >= 0) return;
            leaf = leaf.prev;
            if (leaf != null) index = leaf.size - 1;
        }
    }

    /** Leaves and inner nodes, for MEMORY USAGE style estimates and tests. */
    int nodeCount() {
        return nodeCount(root);
    }

    private static int nodeCount(Node node) {
        if (node instanceof Leaf) return 1;
        Inner inner = (Inner) node;
        int n = 1;
        for (int i = 0; i < inner.size; i++) n += nodeCount(inner.children[i]);
        return n;
    }

    /** Checks every invariant; for tests. Throws IllegalStateException on a violation. */
    void check() {
        int counted = check(root, true, true, null, 0, null, 0);
        if (counted != length) throw new IllegalStateException("length " + length + " but " + counted + " elements");
        int walked = 0;
        Leaf prev = null;
        for (Leaf leaf = head; leaf != null; prev = leaf, leaf = leaf.next) {
            if (leaf.prev != prev) throw new IllegalStateException("broken prev link");
            for (int i = 0; i < leaf.size; i++) {
                if (walked > 0 || i > 0) {
                    double ps = i > 0 ? leaf.scores[i - 1] : prev.scores[prev.size - 1];
                    byte[] pm = i > 0 ? leaf.members[i - 1] : prev.members[prev.size - 1];
                    if (compare(ps, pm, leaf.scores[i], leaf.members[i]) >= 0) throw new IllegalStateException("order");
                }
            }
            walked += leaf.size;
        }
        if (prev != tail) throw new IllegalStateException("tail");
        if (walked != length) throw new IllegalStateException("leaf walk " + walked);
    }

    private int check(Node node, boolean isRoot, boolean rightmost, byte[] loMember, double loScore, byte[] hiMember,
            double hiScore) {
        // Appending in order may leave the rightmost nodes short until more arrive.
        if (!isRoot && !rightmost && node.size < (node instanceof Leaf ? LEAF_MIN : INNER_MIN)) {
            throw new IllegalStateException("underfull node " + node.size);
        }
        if (node instanceof Leaf leaf) {
            for (int i = 0; i < leaf.size; i++) {
                if (loMember != null && compare(leaf.scores[i], leaf.members[i], loScore, loMember) < 0) {
                    throw new IllegalStateException("below separator");
                }
                if (hiMember != null && compare(leaf.scores[i], leaf.members[i], hiScore, hiMember) >= 0) {
                    throw new IllegalStateException("above separator");
                }
            }
            return leaf.size;
        }
        Inner inner = (Inner) node;
        if (inner.size < 2 && !rightmost) throw new IllegalStateException("inner node with one child");
        int total = 0;
        for (int i = 0; i < inner.size; i++) {
            byte[] lm = i == 0 ? loMember : inner.sepMembers[i - 1];
            double ls = i == 0 ? loScore : inner.sepScores[i - 1];
            byte[] hm = i == inner.size - 1 ? hiMember : inner.sepMembers[i];
            double hs = i == inner.size - 1 ? hiScore : inner.sepScores[i];
            int n = check(inner.children[i], false, rightmost && i == inner.size - 1, lm, ls, hm, hs);
            if (n != inner.counts[i]) throw new IllegalStateException("count " + inner.counts[i] + " but " + n);
            total += n;
        }
        return total;
    }
}
