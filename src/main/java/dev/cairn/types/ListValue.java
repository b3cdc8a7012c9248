package dev.cairn.types;

import dev.cairn.protocol.Numbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * A list value, kept as Redis 7.0 keeps every list (a quicklist): a sequence of packed
 * nodes, each one byte array holding its elements back to back. A list of millions of
 * elements is then a few thousand arrays instead of millions of tiny ones, which the
 * garbage collector would have to trace, and an element costs its bytes plus two length
 * bytes instead of a reference and an array header.
 *
 * <p><b>Entry encoding.</b> An entry is a framing word W written in LEB128 (7 bits a byte,
 * least significant first, the high bit set on every byte but the last), W/2 bytes of
 * payload, then W's bytes again in reverse order. The prefix is read walking forward, the
 * suffix walking backward (its first byte read is the least significant), so an entry is
 * found from either side. W is even for an element kept as its bytes (W = 2 * length) and
 * odd for a canonical integer string (Redis's string2ll: "12", not "012" or "+1"), kept as
 * Redis's listpack keeps it, in the fewest two's complement bytes (W = 2 * bytes + 1); it is
 * read back as its digits, which are exactly the bytes pushed. An element under 64 bytes
 * costs its length + 2, an integer 3 to 10 bytes. The encoding is canonical: equal elements
 * have equal entries, so searches (LREM, LINSERT's pivot) compare entries as bytes.
 *
 * <p><b>Nodes.</b> A node's array holds its entries in {@code data[start, end)}; the rest is
 * free space. The head node keeps its free space in front (pushes at the head write just
 * before {@code start}), the tail node behind {@code end}, a sole node on both sides, so
 * pushing and popping at either end writes or reads one entry without moving the others.
 * When an end node runs out of room on its side it is moved to a larger array (doubling)
 * or recentred, which keeps pushes amortized O(1). A node admits an entry while it stays
 * within the node limit: {@code fill} as Redis's {@code list-max-listpack-size} (negative:
 * -1 to -5 for 4 to 64 KB of entries; positive: that many elements, and at most 8 KB). An
 * element bigger than the limit gets a node of its own. The nodes are kept in a ring of
 * references, so adding or dropping an end node is O(1).
 *
 * <p><b>Invariants:</b> no node is empty; {@code size} is the sum of the nodes' counts;
 * {@code allocated} is the sum of their arrays' lengths (the heap estimate uses it);
 * nodes[(first + k) & mask] for 0 <= k < nodeCount are the nodes head to tail and every
 * other ring slot is null. Inner nodes are never pushed into, so their arrays are trimmed
 * when they stop being an end. Changes in the middle (LSET, LINSERT, LREM, LTRIM) repack
 * the nodes they touch and merge them with a neighbour when both fit one node.
 *
 * <p>The node layout is Cairn's: what Redis would hold (MEMORY USAGE, DEBUG OBJECT, RDB)
 * is laid out separately by {@code persistence.QuicklistNodes}, in pushing order. Indexes
 * here are 0-based from the head and already checked by the caller; an index is found by
 * walking the nodes from the nearer end, as Redis does. Not thread-safe.
 */
public final class ListValue implements CollectionValue {
    /** Redis's default list-max-listpack-size: nodes of up to 8 KB. */
    private static final int DEFAULT_FILL = -2;
    /** The node limits of list-max-listpack-size -1 to -5. */
    private static final int[] FILL_BYTES = {4096, 8192, 16384, 32768, 65536};
    /** A node limited by a count of elements still stays within this many bytes. */
    private static final int SAFETY_BYTES = 8192;
    /** The first node of a list starts this small: most lists are short. */
    private static final int FIRST_CAPACITY = 16;
    /** The ring starts with one slot: most lists fit one node. */
    private static final int MIN_SLOTS = 1;
    /** A pop that only drops the element. */
    private static final ElementVisitor SKIP = (buf, offset, length) -> {};

    /** One node: entries in data[start, end). */
    private static final class Node {
        byte[] data;
        int start;
        int end;
        int count;

        Node(byte[] data, int start, int end, int count) {
            this.data = data;
            this.start = start;
            this.end = end;
            this.count = count;
        }

        int used() {
            return end - start;
        }
    }

    /** Receives elements in place: {@code buf[offset, offset + length)}, valid only during the call. */
    @FunctionalInterface
    public interface ElementVisitor {
        void element(byte[] buf, int offset, int length);
    }

    private final int maxBytes;
    private final int maxCount;
    private Node[] nodes = new Node[MIN_SLOTS];
    private int first;
    private int nodeCount;
    private int size;
    private long allocated;
    /** Whether the last push was at the head (QuicklistNodes models Redis's nodes from it). */
    private boolean pushedAtHead;

    public ListValue() {
        this(DEFAULT_FILL);
    }

    /** A list whose nodes are bounded as list-max-listpack-size {@code fill} bounds Redis's. */
    public ListValue(int fill) {
        if (fill < 0) {
            maxBytes = FILL_BYTES[Math.min(-fill, FILL_BYTES.length) - 1];
            maxCount = Integer.MAX_VALUE;
        } else {
            maxBytes = SAFETY_BYTES;
            maxCount = Math.max(fill, 1);
        }
    }

    /** A copy's list, with the same node limits. */
    private ListValue(int maxBytes, int maxCount) {
        this.maxBytes = maxBytes;
        this.maxCount = maxCount;
    }

    @Override
    public ValueType type() {
        return ValueType.LIST;
    }

    /** Redis 7.0 reports every list as a quicklist, whatever its size. */
    @Override
    public String encoding() {
        return "quicklist";
    }

    @Override
    public long size() {
        return size;
    }

    /** Number of elements as an int, for indexing. */
    public int length() {
        return size;
    }

    /** Number of nodes (for the heap estimate and tests). */
    public int nodeCount() {
        return nodeCount;
    }

    /** Length of the ring of node references. */
    public int nodeSlots() {
        return nodes.length;
    }

    /** Bytes of all the nodes' arrays together. */
    public long allocatedBytes() {
        return allocated;
    }

    /** True when the most recent push (LPUSH, LMOVE ... LEFT) was at the head. */
    public boolean pushedAtHead() {
        return pushedAtHead;
    }

    @Override
    public ListValue copy() {
        ListValue copy = new ListValue(maxBytes, maxCount);
        copy.nodes = new Node[nodes.length];
        for (int k = 0; k < nodeCount; k++) {
            Node n = node(k);
            copy.nodes[k] = new Node(n.data.clone(), n.start, n.end, n.count);
        }
        copy.nodeCount = nodeCount;
        copy.size = size;
        copy.allocated = allocated;
        copy.pushedAtHead = pushedAtHead;
        return copy;
    }

    // ---- entries -------------------------------------------------------------------------

    private static int varintBytes(int v) {
        return v < 1 << 7 ? 1 : v < 1 << 14 ? 2 : v < 1 << 21 ? 3 : v < 1 << 28 ? 4 : 5;
    }

    /** Bytes of an entry whose framing word is {@code word}: its payload and the word twice. */
    private static int entrySize(int word) {
        return (word >>> 1) + 2 * varintBytes(word);
    }

    /** The element as a canonical integer (Redis's string2ll, as listpacks store them), or null. */
    private static Long integerValue(byte[] v) {
        if (v.length == 0 || v.length > 20) return null;
        byte b = v[0];
        if (b != '-' && (b < '0' || b > '9')) return null;
        return Numbers.parseStrictLong(v);
    }

    /** Bytes of x's shortest two's complement form (1 to 8). */
    private static int integerBytes(long x) {
        int n = 1;
        while (n < 8 && (x < -(1L << (8 * n - 1)) || x >= 1L << (8 * n - 1))) n++;
        return n;
    }

    /** The framing word of an element: 2 * length for bytes, 2 * payload + 1 for an integer x. */
    private static int wordOf(byte[] v, Long x) {
        if (x != null) return 2 * integerBytes(x) + 1;
        // The word is an int: elements of 1 GB and more (past the default 512 MB bulk limit) do not fit.
        if (v.length >= 1 << 30) throw new IllegalArgumentException("list element of 1 GB or more");
        return 2 * v.length;
    }

    /** Writes the entry of v (x: v as an integer, or null) at p; returns where it ends. */
    private static int writeEntry(byte[] d, int p, int word, byte[] v, Long x) {
        int h = varintBytes(word);
        int payload = word >>> 1;
        int suffix = p + h + payload + h - 1;
        int w = word;
        for (int i = 0; i < h; i++) {
            byte b = (byte) ((w & 0x7f) | (i < h - 1 ? 0x80 : 0));
            d[p + i] = b;
            d[suffix - i] = b;
            w >>>= 7;
        }
        if (x == null) {
            System.arraycopy(v, 0, d, p + h, payload);
        } else {
            long y = x;
            for (int i = 0; i < payload; i++, y >>= 8) d[p + h + i] = (byte) y;
        }
        return p + 2 * h + payload;
    }

    /** The entry of v alone (what an equal element's entry is, byte for byte). */
    private static byte[] entryOf(byte[] v) {
        Long x = integerValue(v);
        int word = wordOf(v, x);
        byte[] entry = new byte[entrySize(word)];
        writeEntry(entry, 0, word, v, x);
        return entry;
    }

    private static boolean sameEntry(byte[] d, int p, int size, byte[] entry) {
        return size == entry.length && Arrays.equals(d, p, p + size, entry, 0, size);
    }

    private static long readInteger(byte[] d, int at, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) v = v << 8 | (d[at + i] & 0xff);
        int unused = 64 - 8 * bytes;
        return v << unused >> unused;
    }

    /** Writes v's decimal digits at the start of {@code out} (20 bytes); returns their count. */
    private static int formatInteger(long v, byte[] out) {
        int p = 20;
        // Digits of a negative number, so that Long.MIN_VALUE needs no special case.
        long x = v < 0 ? v : -v;
        do {
            out[--p] = (byte) ('0' - x % 10);
            x /= 10;
        } while (x != 0);
        if (v < 0) out[--p] = '-';
        int length = 20 - p;
        System.arraycopy(out, p, out, 0, length);
        return length;
    }

    /** Shows the element of the entry at p to {@code into}: bytes in place, an integer as its digits. */
    private static void show(byte[] d, int p, int word, ElementVisitor into) {
        int payload = p + varintBytes(word);
        if ((word & 1) == 0) {
            into.element(d, payload, word >>> 1);
        } else {
            byte[] digits = new byte[20];
            into.element(digits, 0, formatInteger(readInteger(d, payload, word >>> 1), digits));
        }
    }

    /** A copy of the element of the entry at p. */
    private static byte[] element(byte[] d, int p, int word) {
        int payload = p + varintBytes(word);
        if ((word & 1) == 0) return Arrays.copyOfRange(d, payload, payload + (word >>> 1));
        byte[] digits = new byte[20];
        return Arrays.copyOf(digits, formatInteger(readInteger(d, payload, word >>> 1), digits));
    }

    /** The framing word of the entry that starts at p. */
    private static int wordAt(byte[] d, int p) {
        int b = d[p];
        if (b >= 0) return b;
        int v = b & 0x7f;
        int shift = 7;
        do {
            b = d[++p];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }

    /** The framing word of the entry that ends at e. */
    private static int wordBefore(byte[] d, int e) {
        int b = d[e - 1];
        if (b >= 0) return b;
        int v = b & 0x7f;
        int shift = 7;
        int p = e - 1;
        do {
            b = d[--p];
            v |= (b & 0x7f) << shift;
            shift += 7;
        } while (b < 0);
        return v;
    }

    /** The offset of a node's entry j (0 to count; count gives its end), walking from the nearer side. */
    private static int offsetOf(Node n, int j) {
        byte[] d = n.data;
        if (j <= n.count - j) {
            int p = n.start;
            for (int i = 0; i < j; i++) p += entrySize(wordAt(d, p));
            return p;
        }
        int p = n.end;
        for (int i = n.count; i > j; i--) p -= entrySize(wordBefore(d, p));
        return p;
    }

    // ---- the ring of nodes ---------------------------------------------------------------

    private Node node(int k) {
        return nodes[(first + k) & (nodes.length - 1)];
    }

    private boolean admits(Node n, int need) {
        return n.count < maxCount && n.used() + need <= maxBytes;
    }

    private void addNodeFirst(Node n) {
        if (nodeCount == nodes.length) resizeRing(nodes.length * 2);
        first = (first - 1) & (nodes.length - 1);
        nodes[first] = n;
        nodeCount++;
        allocated += n.data.length;
    }

    private void addNodeLast(Node n) {
        if (nodeCount == nodes.length) resizeRing(nodes.length * 2);
        nodes[(first + nodeCount) & (nodes.length - 1)] = n;
        nodeCount++;
        allocated += n.data.length;
    }

    private void dropFirstNode() {
        allocated -= nodes[first].data.length;
        nodes[first] = null;
        first = (first + 1) & (nodes.length - 1);
        nodeCount--;
        shrinkRingIfSparse();
    }

    private void dropLastNode() {
        int at = (first + nodeCount - 1) & (nodes.length - 1);
        allocated -= nodes[at].data.length;
        nodes[at] = null;
        nodeCount--;
        shrinkRingIfSparse();
    }

    private void shrinkRingIfSparse() {
        if (nodes.length > MIN_SLOTS && nodeCount < nodes.length >>> 2) resizeRing(nodes.length >>> 1);
    }

    private void resizeRing(int slots) {
        Node[] ring = new Node[slots];
        for (int k = 0; k < nodeCount; k++) ring[k] = node(k);
        nodes = ring;
        first = 0;
    }

    /**
     * Replaces the nodes k to m (inclusive) by {@code replacement}, merging the ends of
     * the result with their outer neighbours when both fit one node.
     */
    private void replaceNodes(int k, int m, List<Node> replacement) {
        List<Node> all = new ArrayList<>(nodeCount - (m - k + 1) + replacement.size());
        for (int i = 0; i < k; i++) all.add(node(i));
        int joinLeft = all.size();
        all.addAll(replacement);
        int joinRight = all.size();
        for (int i = m + 1; i < nodeCount; i++) all.add(node(i));
        // The seams around the new nodes: right one first so the left index stays valid.
        mergeAt(all, joinRight);
        mergeAt(all, joinLeft);
        install(all);
    }

    /** Makes these nodes, head to tail, the list's ring (the element count is the caller's). */
    private void install(List<Node> all) {
        int slots = MIN_SLOTS;
        while (slots < all.size()) slots <<= 1;
        nodes = all.toArray(new Node[slots]);
        first = 0;
        nodeCount = all.size();
        allocated = 0;
        for (Node n : all) allocated += n.data.length;
    }

    /** Merges nodes i-1 and i of the list when both fit one node. */
    private void mergeAt(List<Node> all, int i) {
        if (i <= 0 || i >= all.size()) return;
        Node a = all.get(i - 1);
        Node b = all.get(i);
        if ((long) a.count + b.count > maxCount || a.used() + b.used() > maxBytes) return;
        byte[] d = new byte[a.used() + b.used()];
        System.arraycopy(a.data, a.start, d, 0, a.used());
        System.arraycopy(b.data, b.start, d, a.used(), b.used());
        all.set(i - 1, new Node(d, 0, d.length, a.count + b.count));
        all.remove(i);
    }

    /** The node holding index i and i's place in it, as node << 32 | place; i == size gives the tail's end. */
    private long locate(int i) {
        if (i <= size - i) {
            int k = 0;
            Node n = node(0);
            while (i >= n.count && k < nodeCount - 1) {
                i -= n.count;
                n = node(++k);
            }
            return (long) k << 32 | i;
        }
        int k = nodeCount - 1;
        int fromTail = size - i;
        Node n = node(k);
        while (fromTail > n.count) {
            fromTail -= n.count;
            n = node(--k);
        }
        return (long) k << 32 | (n.count - fromTail);
    }

    /** Packs entries into exact-size nodes within the node limit. */
    private final class Packer {
        final List<Node> out = new ArrayList<>();
        byte[] buf = new byte[64];
        int len;
        int count;

        void add(byte[] v) {
            Long x = integerValue(v);
            int word = wordOf(v, x);
            room(entrySize(word));
            len = writeEntry(buf, len, word, v, x);
            count++;
        }

        /** Adds a node's entries from byte offset p to {@code to}, as they are. */
        void addRange(Node n, int p, int to) {
            while (p < to) {
                int size = entrySize(wordAt(n.data, p));
                addEntry(n.data, p, size);
                p += size;
            }
        }

        void addEntry(byte[] d, int p, int size) {
            room(size);
            System.arraycopy(d, p, buf, len, size);
            len += size;
            count++;
        }

        private void room(int need) {
            if (count > 0 && (count >= maxCount || len + need > maxBytes)) flush();
            if (len + need > buf.length) buf = Arrays.copyOf(buf, Math.max(len + need, buf.length * 2));
        }

        List<Node> finish() {
            flush();
            return out;
        }

        private void flush() {
            if (count == 0) return;
            out.add(new Node(Arrays.copyOf(buf, len), 0, len, count));
            len = 0;
            count = 0;
        }
    }

    // ---- both ends -----------------------------------------------------------------------

    public void addFirst(byte[] value) {
        pushedAtHead = true;
        Long x = integerValue(value);
        int word = wordOf(value, x);
        int need = entrySize(word);
        Node h = nodeCount == 0 ? null : nodes[first];
        if (h == null || !admits(h, need)) {
            h = newEndNode(need, h, true);
        } else if (h.start < need) {
            makeRoom(h, need, true);
        }
        h.start -= need;
        writeEntry(h.data, h.start, word, value, x);
        h.count++;
        size++;
    }

    public void addLast(byte[] value) {
        pushedAtHead = false;
        Long x = integerValue(value);
        int word = wordOf(value, x);
        int need = entrySize(word);
        Node t = nodeCount == 0 ? null : node(nodeCount - 1);
        if (t == null || !admits(t, need)) {
            t = newEndNode(need, t, false);
        } else if (t.data.length - t.end < need) {
            makeRoom(t, need, false);
        }
        t.end = writeEntry(t.data, t.end, word, value, x);
        t.count++;
        size++;
    }

    /**
     * A new empty end node for an entry of {@code need} bytes beside the full end node
     * {@code neighbor}. It starts as big as its neighbour's entries (capped at the node
     * limit), as a list that filled one node is likely to fill the next; the first node of
     * a list starts small. The neighbour, no longer the end, is trimmed if it would keep
     * much free space.
     */
    private Node newEndNode(int need, Node neighbor, boolean atHead) {
        int capacity = neighbor == null ? Math.max(need, FIRST_CAPACITY)
                : Math.max(need, Math.min(maxBytes, neighbor.used()));
        Node n = atHead ? new Node(new byte[capacity], capacity, capacity, 0) : new Node(new byte[capacity], 0, 0, 0);
        if (neighbor != null && nodeCount >= 2) trim(neighbor);
        if (atHead) addNodeFirst(n);
        else addNodeLast(n);
        return n;
    }

    /** Trims a node that became inner when it keeps more than an eighth of its array free. */
    private void trim(Node n) {
        int free = n.data.length - n.used();
        if (free <= n.data.length >>> 3) return;
        place(n, n.used(), 0);
    }

    /**
     * Gives an end node at least {@code need} free bytes on its outer side. A sole node,
     * which both ends push into, is recentred with at least half its entries' size free
     * beyond the need, so that alternating ends (a queue) moves it only now and then.
     */
    private void makeRoom(Node n, int need, boolean atHead) {
        int used = n.used();
        boolean sole = nodeCount == 1;
        int wanted = used + need + (sole ? used / 2 : 0);
        int capacity = n.data.length;
        if (capacity < wanted) capacity = Math.max(wanted, Math.min(capacity * 2, sole ? 2 * maxBytes : maxBytes));
        int free = capacity - used;
        int front;
        if (sole) front = atHead ? need + (free - need) / 2 : (free - need) / 2;
        else front = atHead ? free : 0;
        place(n, capacity, front);
    }

    /** Moves a node's entries to {@code front} in an array of {@code capacity} bytes (the same one if it fits). */
    private void place(Node n, int capacity, int front) {
        int used = n.used();
        byte[] d = capacity == n.data.length ? n.data : new byte[capacity];
        System.arraycopy(n.data, n.start, d, front, used);
        allocated += d.length - n.data.length;
        n.data = d;
        n.start = front;
        n.end = front + used;
    }

    /** Removes and returns the head element; the list must not be empty. */
    public byte[] removeFirst() {
        Node h = nodes[first];
        byte[] value = element(h.data, h.start, wordAt(h.data, h.start));
        removeFirst(SKIP);
        return value;
    }

    /** Removes and returns the tail element; the list must not be empty. */
    public byte[] removeLast() {
        Node t = node(nodeCount - 1);
        int word = wordBefore(t.data, t.end);
        byte[] value = element(t.data, t.end - entrySize(word), word);
        removeLast(SKIP);
        return value;
    }

    /** Removes the head element, showing it to {@code into} first (a pop replied without a copy). */
    public void removeFirst(ElementVisitor into) {
        Node h = nodes[first];
        int word = wordAt(h.data, h.start);
        show(h.data, h.start, word, into);
        h.start += entrySize(word);
        h.count--;
        size--;
        if (h.count == 0) dropFirstNode();
        else shrinkEndIfSparse(h, true);
    }

    /** Removes the tail element, showing it to {@code into} first. */
    public void removeLast(ElementVisitor into) {
        Node t = node(nodeCount - 1);
        int word = wordBefore(t.data, t.end);
        int at = t.end - entrySize(word);
        show(t.data, at, word, into);
        t.end = at;
        t.count--;
        size--;
        if (t.count == 0) dropLastNode();
        else shrinkEndIfSparse(t, false);
    }

    /** Gives back an end node's array when pops left it three quarters free. */
    private void shrinkEndIfSparse(Node n, boolean atHead) {
        int capacity = n.data.length;
        if (capacity <= 4 * FIRST_CAPACITY || n.used() >= capacity >>> 2) return;
        int smaller = capacity >>> 1;
        int free = smaller - n.used();
        int front = nodeCount == 1 ? free / 2 : atHead ? free : 0;
        place(n, smaller, front);
    }

    // ---- reading -------------------------------------------------------------------------

    /** The element at index i from the head. */
    public byte[] get(int i) {
        Cursor c = cursor(i, true);
        c.next();
        return c.copy();
    }

    /** Shows the element at index i to {@code into}, without copying it. */
    public void get(int i, ElementVisitor into) {
        Cursor c = cursor(i, true);
        c.next();
        into.element(c.buffer(), c.offset(), c.length());
    }

    /** Index of the first element equal to {@code value} from the head, or -1. */
    public int indexOf(byte[] value) {
        byte[] entry = entryOf(value);
        int index = 0;
        for (int k = 0; k < nodeCount; k++) {
            Node n = node(k);
            for (int p = n.start; p < n.end; index++) {
                int size = entrySize(wordAt(n.data, p));
                if (sameEntry(n.data, p, size, entry)) return index;
                p += size;
            }
        }
        return -1;
    }

    /** Visits the elements from head to tail (each one a copy the action may keep). */
    public void forEach(Consumer<byte[]> action) {
        Cursor c = cursor(0, true);
        while (c.next()) action.accept(c.copy());
    }

    /**
     * A cursor over the elements from index {@code from} (0 to size - 1) toward the tail,
     * or toward the head; {@link Cursor#next} moves onto the first of them. The list must
     * not change while it is used.
     */
    public Cursor cursor(int from, boolean towardTail) {
        return new Cursor(from, towardTail);
    }

    /**
     * Reads elements one after the other, in one direction: bytes in place in their node,
     * an integer entry as its digits in the cursor's own scratch array.
     */
    public final class Cursor {
        private final boolean forward;
        private int k;
        private Node n;
        /** Forward: where the next entry starts; backward: where it ends. */
        private int p;
        private byte[] buf;
        private int offset;
        private int length;
        private byte[] digits;

        private Cursor(int from, boolean forward) {
            this.forward = forward;
            if (from < 0 || from >= size) {
                k = forward ? nodeCount : -1;
                return;
            }
            long at = locate(from);
            k = (int) (at >>> 32);
            n = node(k);
            p = offsetOf(n, (int) at);
            if (!forward) p += entrySize(wordAt(n.data, p));
        }

        /** Moves onto the next element; false when there is none. */
        public boolean next() {
            int at;
            int word;
            if (forward) {
                if (k >= nodeCount) return false;
                if (p == n.end) {
                    if (++k == nodeCount) return false;
                    n = node(k);
                    p = n.start;
                }
                at = p;
                word = wordAt(n.data, p);
                p += entrySize(word);
            } else {
                if (k < 0) return false;
                if (p == n.start) {
                    if (--k < 0) return false;
                    n = node(k);
                    p = n.end;
                }
                word = wordBefore(n.data, p);
                p -= entrySize(word);
                at = p;
            }
            int payload = at + varintBytes(word);
            if ((word & 1) == 0) {
                buf = n.data;
                offset = payload;
                length = word >>> 1;
            } else {
                if (digits == null) digits = new byte[20];
                buf = digits;
                offset = 0;
                length = formatInteger(readInteger(n.data, payload, word >>> 1), digits);
            }
            return true;
        }

        public byte[] buffer() {
            return buf;
        }

        public int offset() {
            return offset;
        }

        public int length() {
            return length;
        }

        public boolean equalTo(byte[] value) {
            return length == value.length && Arrays.equals(buf, offset, offset + length, value, 0, length);
        }

        public byte[] copy() {
            return Arrays.copyOfRange(buf, offset, offset + length);
        }
    }

    // ---- the middle ----------------------------------------------------------------------

    /** Replaces the element at index i (LSET). */
    public void set(int i, byte[] value) {
        splice(i, 1, value);
    }

    /** Inserts {@code value} so that it ends up at index {@code at} (0 to size). */
    public void insert(int at, byte[] value) {
        if (size == 0) {
            boolean head = pushedAtHead;
            addLast(value);
            pushedAtHead = head;
            return;
        }
        splice(at, 0, value);
    }

    /** Removes {@code count} elements starting at index {@code from}. */
    public void removeRange(int from, int count) {
        if (count <= 0) return;
        if (count == size) {
            clear();
            return;
        }
        splice(from, count, null);
    }

    private void clear() {
        nodes = new Node[MIN_SLOTS];
        first = 0;
        nodeCount = 0;
        size = 0;
        allocated = 0;
    }

    /**
     * Replaces the {@code count} elements from index {@code from} by {@code value} (none
     * when null): the nodes holding the range are repacked with what they keep, and the
     * nodes wholly inside it dropped. O(nodes) plus two nodes' bytes.
     */
    private void splice(int from, int count, byte[] value) {
        long at = locate(from);
        int k = (int) (at >>> 32);
        Node nk = node(k);
        int startOffset = offsetOf(nk, (int) at);
        int m = k;
        int endOffset = startOffset;
        if (count > 0) {
            long last = locate(from + count - 1);
            m = (int) (last >>> 32);
            Node nm = node(m);
            endOffset = offsetOf(nm, (int) last);
            endOffset += entrySize(wordAt(nm.data, endOffset));
        }
        Packer packer = new Packer();
        packer.addRange(nk, nk.start, startOffset);
        if (value != null) packer.add(value);
        Node nm = node(m);
        packer.addRange(nm, endOffset, nm.end);
        size += (value != null ? 1 : 0) - count;
        replaceNodes(k, m, packer.finish());
    }

    /**
     * Removes up to {@code limit} elements equal to {@code value} (all of them when limit
     * is 0), the first ones from the head, or from the tail when {@code fromTail} (LREM).
     * Returns how many were removed. Nodes without a match are kept as they are.
     */
    public int removeEqual(byte[] value, long limit, boolean fromTail) {
        // Equal elements have equal entries (integers are always stored as integers).
        byte[] entry = entryOf(value);
        List<Node> kept = new ArrayList<>(nodeCount);
        int removed = 0;
        for (int i = 0; i < nodeCount; i++) {
            Node n = node(fromTail ? nodeCount - 1 - i : i);
            int matches = limit != 0 && removed >= limit ? 0 : matches(n, entry);
            if (matches == 0) {
                kept.add(n);
                continue;
            }
            // Repack the node's elements in list order, dropping the matches the limit allows.
            long allowed = limit == 0 ? matches : Math.min(matches, limit - removed);
            // From the tail the last matches of the node go first.
            long skipFirst = fromTail ? matches - allowed : 0;
            Packer packer = new Packer();
            int seen = 0;
            for (int p = n.start; p < n.end; ) {
                int size = entrySize(wordAt(n.data, p));
                boolean match = sameEntry(n.data, p, size, entry);
                if (match) seen++;
                if (!match || seen <= skipFirst || seen > skipFirst + allowed) packer.addEntry(n.data, p, size);
                p += size;
            }
            removed += (int) allowed;
            List<Node> repacked = packer.finish();
            if (fromTail) {
                for (int j = repacked.size() - 1; j >= 0; j--) kept.add(repacked.get(j));
            } else {
                kept.addAll(repacked);
            }
        }
        if (removed == 0) return 0;
        if (fromTail) java.util.Collections.reverse(kept);
        size -= removed;
        // Small repacked nodes are merged with their neighbours.
        List<Node> merged = new ArrayList<>(kept.size());
        for (Node n : kept) {
            merged.add(n);
            mergeAt(merged, merged.size() - 1);
        }
        install(merged);
        return removed;
    }

    /** How many of the node's entries are {@code entry}. */
    private static int matches(Node n, byte[] entry) {
        int count = 0;
        for (int p = n.start; p < n.end; ) {
            int size = entrySize(wordAt(n.data, p));
            if (sameEntry(n.data, p, size, entry)) count++;
            p += size;
        }
        return count;
    }
}
