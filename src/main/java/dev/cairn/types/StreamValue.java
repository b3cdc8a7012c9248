package dev.cairn.types;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A stream (Redis's stream.h): entries ordered by ID, each a list of field-value pairs,
 * plus the stream's counters and its consumer groups.
 *
 * <p>Entries live in {@link Node}s that mirror Redis's listpack nodes one for one: a node
 * is started when the last one has {@code stream-node-max-entries} entries (deleted ones
 * included) or when its listpack would reach {@code stream-node-max-bytes}, measured with
 * Redis's listpack encoding ({@link Node#listpackBytes}). So approximate trimming (which
 * drops whole nodes), XINFO and the RDB layout come out as Redis's. Inside a node the
 * entries are packed: IDs in two {@code long[]}, flags in a {@code byte[]}, the values
 * (and the fields, unless they are the node's master fields) in one {@code byte[]} with an
 * {@code int[]} of element ends. A deleted entry stays in its node, flagged, until XDEL
 * leaves the node without a live entry; then the node goes.
 *
 * <p>Invariants: nodes are in ID order (by master ID, and their entries after the previous
 * node's); XDEL removes a node whose last live entry it deletes, but an exact MINID trim
 * may leave one holding deleted entries only, as Redis does; {@code length}
 * is the number of live entries; {@code lastId} is at least every live entry's ID (the
 * last one added, or set by XSETID); {@code firstId} is the first live entry's ID (0-0
 * when empty); {@code maxDeletedId} is the greatest ID deleted by XDEL (or set by
 * XSETID); {@code entriesAdded} counts every entry ever added. Groups are sorted by name
 * (bytewise, as Redis's rax), consumers of a group likewise; every pending entry (NACK)
 * is in its group's PEL and in its owner's PEL, the same object in both.
 *
 * <p>IDs are two unsigned 64-bit numbers: compared with {@link Long#compareUnsigned}.
 */
public final class StreamValue implements CollectionValue {
    /** An entry ID: milliseconds and sequence, both unsigned. */
    public record Id(long ms, long seq) implements Comparable<Id> {
        public static final Id MIN = new Id(0, 0);
        public static final Id MAX = new Id(-1L, -1L);

        @Override
        public int compareTo(Id o) {
            int c = Long.compareUnsigned(ms, o.ms);
            return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
        }

        public boolean isZero() {
            return ms == 0 && seq == 0;
        }

        /** The next ID, or null after the greatest. */
        public Id next() {
            if (seq != -1L) return new Id(ms, seq + 1);
            if (ms != -1L) return new Id(ms + 1, 0);
            return null;
        }

        /** The previous ID, or null before 0-0. */
        public Id previous() {
            if (seq != 0) return new Id(ms, seq - 1);
            if (ms != 0) return new Id(ms - 1, -1L);
            return null;
        }

        @Override
        public String toString() {
            return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
        }
    }

    /** A pending entry: delivered to {@code consumer}, not acknowledged yet. */
    public static final class Nack {
        public long deliveryTime;
        public long deliveryCount;
        public Consumer consumer;

        public Nack(Consumer consumer, long deliveryTime, long deliveryCount) {
            this.consumer = consumer;
            this.deliveryTime = deliveryTime;
            this.deliveryCount = deliveryCount;
        }
    }

    /** A consumer of a group, with the entries delivered to it and not acknowledged. */
    public static final class Consumer {
        public final byte[] name;
        public long seenTime;
        public final TreeMap<Id, Nack> pel = new TreeMap<>();

        public Consumer(byte[] name, long seenTime) {
            this.name = name;
            this.seenTime = seenTime;
        }
    }

    /** A consumer group. {@code entriesRead} is -1 when unknown. */
    public static final class Group {
        public final byte[] name;
        public Id lastId;
        public long entriesRead;
        public final TreeMap<Id, Nack> pel = new TreeMap<>();
        /** Sorted by name, bytewise. */
        public final List<Consumer> consumers = new ArrayList<>(2);

        public Group(byte[] name, Id lastId, long entriesRead) {
            this.name = name;
            this.lastId = lastId;
            this.entriesRead = entriesRead;
        }

        public Consumer consumer(byte[] consumerName) {
            int i = find(consumers, consumerName, x -> x.name);
            return i >= 0 ? consumers.get(i) : null;
        }

        /** Adds a consumer; null if one of that name exists. */
        public Consumer addConsumer(byte[] consumerName, long now) {
            int i = find(consumers, consumerName, x -> x.name);
            if (i >= 0) return null;
            Consumer c = new Consumer(consumerName, now);
            consumers.add(-i - 1, c);
            return c;
        }

        /** Removes the consumer and its pending entries; returns how many were pending. */
        public long removeConsumer(Consumer c) {
            long pending = c.pel.size();
            for (Id id : c.pel.keySet()) pel.remove(id);
            consumers.remove(c);
            return pending;
        }
    }

    /** Entry flags as in Redis's listpack nodes. */
    public static final int DELETED = 1;
    public static final int SAME_FIELDS = 2;

    /**
     * A node: the entries of one Redis listpack, with its master entry (the ID and the
     * fields of the entry that started it).
     */
    public static final class Node {
        public final long masterMs;
        public final long masterSeq;
        public final byte[][] masterFields;
        int count;
        int live;
        byte[] flags = new byte[4];
        /**
         * Entry i is {@code data[entryStart[i], entryStart[i + 1])}: its ID as two unsigned
         * LEB128 varints, the millisecond part minus the master's (wrapping, so any ID
         * fits) and the sequence; unless it has the master's fields, its element count;
         * then each stored element as a varint length and its bytes. Like Redis's listpack
         * entries, a few bytes of framing per entry instead of two longs and an int per
         * element: one stream of millions of entries is a few thousand arrays.
         */
        int[] entryStart = new int[5];
        byte[] data = new byte[64];
        /**
         * Set when an entry was appended after a (deleted) entry with a greater ID, which
         * Redis allows (see {@link StreamValue#append}): the live entries are still in
         * order, but lookups scan the node instead of searching it.
         */
        boolean unordered;
        /** The listpack's bytes without the count and deleted elements of the master entry. */
        long bytesWithoutCounts;
        /**
         * What Redis's allocator would hold for this listpack: the preallocated size while
         * it is the tail, grown by reallocation past it, shrunk to fit when closed or loaded.
         */
        long allocated;

        public Node(long masterMs, long masterSeq, byte[][] masterFields) {
            this.masterMs = masterMs;
            this.masterSeq = masterSeq;
            this.masterFields = masterFields;
            bytesWithoutCounts = 6 + 1 + integerBytes(masterFields.length) + integerBytes(0);
            for (byte[] f : masterFields) bytesWithoutCounts += elementBytes(f);
        }

        /** Entries in the node, deleted ones included. */
        public int count() {
            return count;
        }

        public int live() {
            return live;
        }

        public int deletedCount() {
            return count - live;
        }

        public long ms(int i) {
            return masterMs + readVarint(data, entryStart[i]);
        }

        public long seq(int i) {
            return readVarint(data, skipVarint(data, entryStart[i]));
        }

        public Id id(int i) {
            return new Id(ms(i), seq(i));
        }

        /** Where entry i's element count (or, with the master's fields, its first element) starts. */
        private int afterId(int i) {
            return skipVarint(data, skipVarint(data, entryStart[i]));
        }

        public int flags(int i) {
            return flags[i];
        }

        public boolean deleted(int i) {
            return (flags[i] & DELETED) != 0;
        }

        /** Fields and values of entry i, alternating: 2 * number of fields. */
        public int elements(int i) {
            return (flags[i] & SAME_FIELDS) != 0 ? 2 * masterFields.length : (int) readVarint(data, afterId(i));
        }

        /**
         * Element j (field 2k, value 2k+1) of entry i. An entry with the master's fields
         * stores its values only (as Redis's SAMEFIELDS entries do): its fields are the
         * master's arrays, shared, which callers must not modify.
         */
        public byte[] element(int i, int j) {
            int p = afterId(i);
            int e;
            if ((flags[i] & SAME_FIELDS) != 0) {
                if (j % 2 == 0) return masterFields[j / 2];
                e = j / 2;
            } else {
                p = skipVarint(data, p);
                e = j;
            }
            for (; e > 0; e--) {
                int length = (int) readVarint(data, p);
                p = skipVarint(data, p) + length;
            }
            int length = (int) readVarint(data, p);
            int from = skipVarint(data, p);
            return Arrays.copyOfRange(data, from, from + length);
        }

        /** The size of this node as a Redis listpack (lpBytes). */
        public long listpackBytes() {
            return bytesWithoutCounts + integerBytes(live) + integerBytes(count - live);
        }

        /** The allocation Redis would have for this listpack (MEMORY USAGE). */
        public long allocated() {
            return Math.max(allocated, jemallocSize(listpackBytes()));
        }

        /**
         * The node is complete (the stream moved on to a new node, or it was loaded from a
         * file): Redis reallocates the listpack to its size (lpShrinkToFit), and the arrays
         * here lose their room for growth too. Appending later grows them again.
         */
        public void shrinkToFit() {
            allocated = jemallocSize(listpackBytes());
            flags = Arrays.copyOf(flags, count);
            entryStart = Arrays.copyOf(entryStart, count + 1);
            data = Arrays.copyOf(data, entryStart[count]);
        }

        boolean sameFields(byte[][] fieldsValues) {
            if (fieldsValues.length / 2 != masterFields.length) return false;
            for (int k = 0; k < masterFields.length; k++) {
                if (!Arrays.equals(masterFields[k], fieldsValues[2 * k])) return false;
            }
            return true;
        }

        /** Adds an entry at the end, with the given flags (a loaded node may hold deleted ones). */
        public void append(long idMs, long idSeq, int entryFlags, byte[][] fieldsValues) {
            boolean same = sameFields(fieldsValues);
            if (count == flags.length) {
                int n = Math.max(4, count * 2);
                flags = Arrays.copyOf(flags, n);
                entryStart = Arrays.copyOf(entryStart, n + 1);
            }
            // With the master's fields only the values are kept.
            int first = same ? 1 : 0;
            int step = same ? 2 : 1;
            long msDelta = idMs - masterMs;
            long size = varintBytes(msDelta) + varintBytes(idSeq) + (same ? 0 : varintBytes(fieldsValues.length));
            for (int k = first; k < fieldsValues.length; k += step) {
                size += varintBytes(fieldsValues[k].length) + fieldsValues[k].length;
            }
            int at = entryStart[count];
            if (at + size > Integer.MAX_VALUE - 16) throw new IllegalStateException("stream node too large");
            int end = (int) (at + size);
            if (end > data.length) data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(end, 2L * data.length)));
            if (count > 0) {
                long lastMs = ms(count - 1);
                if (Long.compareUnsigned(idMs, lastMs) < 0
                        || (idMs == lastMs && Long.compareUnsigned(idSeq, seq(count - 1)) <= 0)) {
                    unordered = true;
                }
            }
            at = writeVarint(data, at, msDelta);
            at = writeVarint(data, at, idSeq);
            if (!same) at = writeVarint(data, at, fieldsValues.length);
            for (int k = first; k < fieldsValues.length; k += step) {
                byte[] b = fieldsValues[k];
                at = writeVarint(data, at, b.length);
                System.arraycopy(b, 0, data, at, b.length);
                at += b.length;
            }
            int f = (entryFlags & DELETED) | (same ? SAME_FIELDS : 0);
            flags[count] = (byte) f;
            entryStart[count + 1] = end;
            count++;
            if ((f & DELETED) == 0) live++;
            bytesWithoutCounts += entryListpackBytes(f, idMs - masterMs, idSeq - masterSeq, fieldsValues, same);
        }

        private static long entryListpackBytes(int f, long msDiff, long seqDiff, byte[][] fv, boolean same) {
            int fields = fv.length / 2;
            long n = integerBytes(f) + integerBytes(msDiff) + integerBytes(seqDiff);
            if (same) {
                for (int k = 1; k < fv.length; k += 2) n += elementBytes(fv[k]);
                n += integerBytes(fields + 3);
            } else {
                n += integerBytes(fields);
                for (byte[] b : fv) n += elementBytes(b);
                n += integerBytes(2L * fields + 4);
            }
            return n;
        }

        /** Flags entry i deleted; the master entry's counts are rewritten by {@link #recount}. */
        void flagDeleted(int i) {
            flags[i] |= DELETED;
        }

        /**
         * Redis rewrites the master entry's live count, then its deleted count; a rewrite
         * that shrinks the listpack reallocates it to its new size, one that grows it past
         * its allocation reallocates too (only counts crossing 127 change size).
         */
        void recount(int newLive) {
            long before = listpackBytes();
            int deletedBefore = count - live;
            live = newLive;
            long afterLive = bytesWithoutCounts + integerBytes(live) + integerBytes(deletedBefore);
            resized(before, afterLive);
            resized(afterLive, listpackBytes());
        }

        private void resized(long before, long after) {
            if (after < before || after > allocated) allocated = jemallocSize(after);
        }

        /** Index of the live entry with this ID, or a negative number. */
        int indexOf(Id id) {
            if (unordered) {
                for (int i = 0; i < count; i++) {
                    if (!deleted(i) && compare(ms(i), seq(i), id) == 0) return i;
                }
                return -1;
            }
            int lo = 0;
            int hi = count - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                int c = compare(ms(mid), seq(mid), id);
                if (c < 0) lo = mid + 1;
                else if (c > 0) hi = mid - 1;
                else return mid;
            }
            return -(lo + 1);
        }

        Id lastId() {
            return id(count - 1);
        }

        /** Heap bytes of this node's arrays and header (used_memory estimate). */
        long heapBytes() {
            return 64 + 3 * 16 + flags.length + 4L * entryStart.length + data.length + 16L * masterFields.length;
        }


        Node copy() {
            Node n = new Node(masterMs, masterSeq, masterFields);
            n.count = count;
            n.live = live;
            n.flags = flags.clone();
            n.entryStart = entryStart.clone();
            n.data = data.clone();
            n.bytesWithoutCounts = bytesWithoutCounts;
            n.allocated = allocated;
            n.unordered = unordered;
            return n;
        }
    }

    // ---- the varints of node entries: unsigned LEB128 of 64 bits ------------------------------

    static int varintBytes(long v) {
        int n = 1;
        while ((v >>>= 7) != 0) n++;
        return n;
    }

    /** Writes v at {@code at}; returns the position after it. */
    static int writeVarint(byte[] b, int at, long v) {
        while ((v & ~0x7FL) != 0) {
            b[at++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        b[at++] = (byte) v;
        return at;
    }

    static long readVarint(byte[] b, int at) {
        long v = 0;
        int shift = 0;
        byte x;
        do {
            x = b[at++];
            v |= (long) (x & 0x7F) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }

    /** The position after the varint at {@code at}. */
    static int skipVarint(byte[] b, int at) {
        while (b[at] < 0) at++; // continuation bytes have the high bit set
        return at + 1;
    }

    static int compare(long ms, long seq, Id id) {
        int c = Long.compareUnsigned(ms, id.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, id.seq);
    }

    // ---- listpack sizes (Redis's listpack.c encodings) ------------------------------------------

    /** Bytes of an integer element: encoding and value, then the one-byte backlen. */
    static int integerBytes(long v) {
        if (v >= 0 && v <= 127) return 2;
        if (v >= -4096 && v <= 4095) return 3;
        if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) return 4;
        if (v >= -(1 << 23) && v < (1 << 23)) return 5;
        if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) return 6;
        return 10;
    }

    /** Bytes of a string element, stored as an integer when it reads as one (lpStringToInt64). */
    static long elementBytes(byte[] s) {
        Long asInteger = s.length <= 20 ? dev.cairn.protocol.Numbers.parseStrictLong(s) : null;
        if (asInteger != null) return integerBytes(asInteger);
        long encoded = s.length < 64 ? 1 + s.length : s.length < 4096 ? 2 + s.length : 5 + s.length;
        int backlen = encoded <= 127 ? 1 : encoded < 16383 ? 2 : encoded < 2097151 ? 3 : encoded < 268435455 ? 4 : 5;
        return encoded + backlen;
    }

    /** jemalloc's size class for a request (8, multiples of 16 to 128, then four per doubling). */
    static long jemallocSize(long bytes) {
        if (bytes <= 8) return 8;
        if (bytes <= 128) return (bytes + 15) / 16 * 16;
        int log2 = 63 - Long.numberOfLeadingZeros(bytes - 1);
        long spacing = 1L << (log2 - 2);
        return (bytes + spacing - 1) / spacing * spacing;
    }

    /**
     * The node count of a Redis radix tree keyed by these IDs (16 big-endian bytes each),
     * in order: a compressed node for each run of bytes without a branch, a branching node
     * where keys differ, a key node at each end; an empty tree is its head node.
     */
    public static long radixTreeNodes(List<Id> sortedIds) {
        int n = sortedIds.size();
        if (n == 0) return 1;
        byte[][] keys = new byte[n][];
        for (int i = 0; i < n; i++) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16);
            b.putLong(sortedIds.get(i).ms).putLong(sortedIds.get(i).seq);
            keys[i] = b.array();
        }
        return radixNodes(keys, 0, n, 0);
    }

    private static long radixNodes(byte[][] keys, int from, int to, int depth) {
        if (depth == 16) return 1;
        int common = 16;
        for (int i = from + 1; i < to; i++) {
            int d = depth;
            while (d < 16 && keys[i][d] == keys[from][d]) d++;
            common = Math.min(common, d);
        }
        if (common > depth) return 1 + radixNodes(keys, from, to, common);
        long total = 1;
        int i = from;
        while (i < to) {
            int k = i + 1;
            while (k < to && keys[k][depth] == keys[i][depth]) k++;
            total += radixNodes(keys, i, k, depth + 1);
            i = k;
        }
        return total;
    }

    /** The master IDs of the nodes, in order (the keys of Redis's radix tree). */
    public List<Id> nodeIds() {
        List<Id> ids = new ArrayList<>(nodeCount);
        for (int i = 0; i < nodeCount; i++) ids.add(new Id(nodes[i].masterMs, nodes[i].masterSeq));
        return ids;
    }

    // ---- the stream ----------------------------------------------------------------------------

    private Node[] nodes = new Node[1];
    private int nodeCount;
    /**
     * The sum of {@link Node#heapBytes} over the nodes, kept as nodes come, go and grow, so
     * that the used_memory estimate of a stream of millions of entries, measured after
     * every XADD, does not walk its nodes.
     */
    private long nodesHeap;
    private long length;
    public Id lastId = Id.MIN;
    public Id firstId = Id.MIN;
    public Id maxDeletedId = Id.MIN;
    public long entriesAdded;
    /** Sorted by name, bytewise; null until the first group. */
    private List<Group> groups;

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    /** Live entries (XLEN). A stream may be empty and still exist. */
    @Override
    public long size() {
        return length;
    }

    public long length() {
        return length;
    }

    public int nodeCount() {
        return nodeCount;
    }

    /** Slots of the node array (its length), for the heap estimate. */
    public int nodeSlots() {
        return nodes.length;
    }

    public Node node(int i) {
        return nodes[i];
    }

    /**
     * Appends an entry with this ID (greater than {@link #lastId}, checked by the caller),
     * starting a node where Redis would.
     */
    public void append(Id id, byte[][] fieldsValues, long nodeMaxBytes, long nodeMaxEntries) {
        Node tail = nodeCount == 0 ? null : nodes[nodeCount - 1];
        long tailHeap = tail == null ? 0 : tail.heapBytes();
        if (tail != null) {
            long total = 0;
            for (byte[] b : fieldsValues) total += b.length;
            long maxBytes = nodeMaxBytes == 0 || nodeMaxBytes > (1L << 30) ? 1L << 30 : nodeMaxBytes;
            if (tail.listpackBytes() + total >= maxBytes) tail = null;
            else if (nodeMaxEntries != 0 && tail.count >= nodeMaxEntries) tail = null;
            // XSETID may have moved the last ID below a node left with deleted entries only.
            // Redis appends to it all the same, after those entries; below its master ID
            // a node of its own keeps the nodes in order.
            else if (compare(tail.masterMs, tail.masterSeq, id) > 0) tail = null;
            if (tail == null) {
                Node full = nodes[nodeCount - 1];
                full.shrinkToFit();
                nodesHeap += full.heapBytes() - tailHeap;
            }
        }
        if (tail == null) {
            byte[][] master = new byte[fieldsValues.length / 2][];
            for (int k = 0; k < master.length; k++) master[k] = fieldsValues[2 * k];
            tail = new Node(id.ms, id.seq, master);
            // lpNew preallocates up to 4096 bytes (or stream-node-max-bytes when smaller).
            tail.allocated = nodeMaxBytes > 0 && nodeMaxBytes < 4096 ? jemallocSize(nodeMaxBytes) : 4096;
            insertNode(tail);
            tailHeap = tail.heapBytes();
        }
        tail.append(id.ms, id.seq, 0, fieldsValues);
        nodesHeap += tail.heapBytes() - tailHeap;
        // Growing past the allocation reallocates to the new size.
        if (tail.listpackBytes() > tail.allocated) tail.allocated = jemallocSize(tail.listpackBytes());
        length++;
        entriesAdded++;
        lastId = id;
        if (length == 1) firstId = id;
    }

    /** Adds a node at the end (loading a dump: nodes come in order). */
    public void addNode(Node n) {
        if (nodeCount == nodes.length) nodes = Arrays.copyOf(nodes, nodeCount * 2);
        nodes[nodeCount++] = n;
        nodesHeap += n.heapBytes();
    }

    /** Adds a new node where its master ID belongs. */
    private void insertNode(Node n) {
        int at = nodeFor(new Id(n.masterMs, n.masterSeq)) + 1;
        if (nodeCount == nodes.length) nodes = Arrays.copyOf(nodes, nodeCount * 2);
        System.arraycopy(nodes, at, nodes, at + 1, nodeCount - at);
        nodes[at] = n;
        nodeCount++;
        nodesHeap += n.heapBytes();
    }

    /** After loading nodes: the live count. */
    public void loaded(long liveEntries) {
        length = liveEntries;
    }

    private void removeNode(int i) {
        nodesHeap -= nodes[i].heapBytes();
        System.arraycopy(nodes, i + 1, nodes, i, nodeCount - i - 1);
        nodes[--nodeCount] = null;
    }

    /** Index of the last node whose master ID is at most id, or -1. */
    private int nodeFor(Id id) {
        int lo = 0;
        int hi = nodeCount - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(nodes[mid].masterMs, nodes[mid].masterSeq, id) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Visits live entries in a range; return false to stop. */
    public interface EntryVisitor {
        boolean visit(Node node, int index);
    }

    /** Visits the live entries from start to end (inclusive), in order or reversed. */
    public void range(Id start, Id end, boolean reverse, EntryVisitor visitor) {
        if (start.compareTo(end) > 0 || nodeCount == 0) return;
        if (!reverse) {
            int n = Math.max(0, nodeFor(start));
            for (; n < nodeCount; n++) {
                Node node = nodes[n];
                int i = 0;
                if (!node.unordered) {
                    i = node.indexOf(start);
                    if (i < 0) i = -i - 1;
                }
                for (; i < node.count; i++) {
                    if (node.deleted(i) || compare(node.ms(i), node.seq(i), start) < 0) continue;
                    if (compare(node.ms(i), node.seq(i), end) > 0) return;
                    if (!visitor.visit(node, i)) return;
                }
            }
        } else {
            int n = nodeFor(end);
            for (; n >= 0; n--) {
                Node node = nodes[n];
                int i = node.count - 1;
                if (!node.unordered) {
                    i = node.indexOf(end);
                    if (i < 0) i = -i - 2;
                }
                for (; i >= 0; i--) {
                    if (node.deleted(i) || compare(node.ms(i), node.seq(i), end) > 0) continue;
                    if (compare(node.ms(i), node.seq(i), start) < 0) return;
                    if (!visitor.visit(node, i)) return;
                }
            }
        }
    }

    /** The fields and values of the live entry with this ID, or null. */
    public byte[][] get(Id id) {
        int n = nodeFor(id);
        if (n < 0) return null;
        Node node = nodes[n];
        int i = node.indexOf(id);
        if (i < 0 || node.deleted(i)) return null;
        byte[][] fv = new byte[node.elements(i)][];
        for (int j = 0; j < fv.length; j++) fv[j] = node.element(i, j);
        return fv;
    }

    /** The first (or last) live entry's ID, or null when empty. */
    public Id edge(boolean first) {
        Id[] found = new Id[1];
        range(Id.MIN, Id.MAX, !first, (node, i) -> {
            found[0] = node.id(i);
            return false;
        });
        return found[0];
    }

    /** Deletes the live entry (Redis's streamDeleteItem); false if there is none. */
    public boolean delete(Id id) {
        int n = nodeFor(id);
        if (n < 0) return false;
        Node node = nodes[n];
        int i = node.indexOf(id);
        if (i < 0 || node.deleted(i)) return false;
        node.flagDeleted(i);
        node.recount(node.live - 1);
        if (node.live == 0) removeNode(n);
        length--;
        return true;
    }

    /** Recomputes {@link #firstId} after a deletion or trim. */
    public void updateFirstId() {
        Id first = edge(true);
        firstId = first == null ? Id.MIN : first;
    }

    /**
     * Redis's streamTrim: removes entries from the start until at most maxLen remain
     * (maxLen >= 0) or none is below minId (minId != null). Approximate trimming removes
     * whole nodes only; limit (0: none) caps the entries removed. Returns how many went.
     */
    public long trim(long maxLen, Id minId, boolean approx, long limit) {
        long deleted = 0;
        while (nodeCount > 0) {
            if (minId == null && length <= maxLen) break;
            Node node = nodes[0];
            long entries = node.live;
            if (limit != 0 && deleted + entries > limit) break;
            boolean removeNode = minId == null ? length - entries >= maxLen : node.lastId().compareTo(minId) < 0;
            if (removeNode) {
                removeNode(0);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) break;
            int flagged = 0;
            for (int i = 0; i < node.count; i++) {
                boolean stop = minId == null ? length <= maxLen : compare(node.ms(i), node.seq(i), minId) >= 0;
                if (stop) break;
                if (!node.deleted(i)) {
                    node.flagDeleted(i);
                    flagged++;
                    length--;
                    deleted++;
                }
            }
            node.recount(node.live - flagged);
            break;
        }
        if (length == 0) firstId = Id.MIN;
        else updateFirstId();
        return deleted;
    }

    // ---- consumer groups -------------------------------------------------------------------------

    public List<Group> groups() {
        return groups == null ? List.of() : groups;
    }

    public Group group(byte[] name) {
        if (groups == null) return null;
        int i = find(groups, name, g -> g.name);
        return i >= 0 ? groups.get(i) : null;
    }

    /** Creates a group; null if one of that name exists. */
    public Group addGroup(byte[] name, Id lastDelivered, long entriesRead) {
        if (groups == null) groups = new ArrayList<>(1);
        int i = find(groups, name, g -> g.name);
        if (i >= 0) return null;
        Group g = new Group(name, lastDelivered, entriesRead);
        groups.add(-i - 1, g);
        return g;
    }

    public boolean removeGroup(byte[] name) {
        if (groups == null) return false;
        int i = find(groups, name, g -> g.name);
        if (i < 0) return false;
        groups.remove(i);
        return true;
    }

    private static <T> int find(List<T> sorted, byte[] name, java.util.function.Function<T, byte[]> nameOf) {
        int lo = 0;
        int hi = sorted.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = Arrays.compareUnsigned(nameOf.apply(sorted.get(mid)), name);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    // ---- counters of consumer groups (Redis 7.0's lag tracking) -------------------------------

    /** Redis's streamRangeHasTombstones: whether a deleted entry may lie between start and end. */
    public boolean rangeHasTombstones(Id start, Id end) {
        if (length == 0 || maxDeletedId.isZero()) return false;
        if (firstId.compareTo(maxDeletedId) > 0) return false;
        Id s = start == null ? Id.MIN : start;
        Id e = end == null ? Id.MAX : end;
        return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /** Redis's streamEstimateDistanceFromFirstEverEntry: the entries-read counter of an ID, or -1. */
    public long estimateEntriesRead(Id id) {
        if (entriesAdded == 0) return 0;
        if (length == 0 && id.compareTo(lastId) < 1) return entriesAdded;
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) return entriesAdded;
        if (cmpLast > 0) return -1;
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isZero() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) return entriesAdded - length;
            if (cmpFirst == 0) return entriesAdded - length + 1;
        }
        return -1;
    }

    /** The group's lag (XINFO), or null when it cannot be known. */
    public Long lag(Group g) {
        if (entriesAdded == 0) return 0L;
        if (g.entriesRead != -1 && !rangeHasTombstones(g.lastId, null)) return entriesAdded - g.entriesRead;
        long read = estimateEntriesRead(g.lastId);
        return read == -1 ? null : entriesAdded - read;
    }

    // ---- copies ----------------------------------------------------------------------------------

    @Override
    public StreamValue copy() {
        StreamValue s = new StreamValue();
        s.nodes = new Node[Math.max(1, nodeCount)];
        for (int i = 0; i < nodeCount; i++) s.nodes[i] = nodes[i].copy();
        s.nodeCount = nodeCount;
        s.nodesHeap = nodesHeap;
        s.length = length;
        s.lastId = lastId;
        s.firstId = firstId;
        s.maxDeletedId = maxDeletedId;
        s.entriesAdded = entriesAdded;
        if (groups != null) {
            for (Group g : groups) {
                Group ng = s.addGroup(g.name, g.lastId, g.entriesRead);
                for (Consumer c : g.consumers) {
                    Consumer nc = ng.addConsumer(c.name, c.seenTime);
                    for (Map.Entry<Id, Nack> e : c.pel.entrySet()) {
                        Nack n = new Nack(nc, e.getValue().deliveryTime, e.getValue().deliveryCount);
                        nc.pel.put(e.getKey(), n);
                        ng.pel.put(e.getKey(), n);
                    }
                }
            }
        }
        return s;
    }

    /**
     * Estimated heap bytes (used_memory): the nodes' arrays, and per pending entry its NACK
     * and the two tree entries that hold it. O(groups + consumers).
     */
    public long heapBytes() {
        long n = 96 + 8L * nodeSlots() + nodesHeap;
        for (Group g : groups()) {
            n += 96 + 112L * g.pel.size();
            for (Consumer c : g.consumers) n += 80 + c.name.length + 40L * c.pel.size();
        }
        return n;
    }
}
