package dev.cairn.persistence;

import dev.cairn.types.ListValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The quicklist nodes Redis 7.0 would hold for a list: Cairn packs a list in nodes of its
 * own (see ListValue), which depend on where elements were pushed, popped and inserted;
 * Redis's chain of listpacks of about {@code list-max-listpack-size} each is laid out here
 * from the elements alone, so files and MEMORY USAGE do not depend on Cairn's. The nodes
 * are those Redis makes pushing the elements one by one at the tail, or at the head when
 * the list's last push was there (exact for lists built by RPUSH or by LPUSH, and for any
 * list that fits one node). Elements of 1 GB or more get a node of their own, "plain".
 */
public final class QuicklistNodes {
    /** list-max-listpack-size's negative settings: a node's byte limit for -1 to -5. */
    private static final int[] NODE_BYTES = {4096, 8192, 16384, 32768, 65536};
    /** A node never grows past this when its limit is a count of elements. */
    private static final int SAFETY_LIMIT = 8192;
    /** What Redis adds to an element's length to estimate a node's growth. */
    private static final int ESTIMATE_OVERHEAD = 8;
    /** quicklist's packed_threshold: elements this long get a plain node. */
    private static final long PACKED_THRESHOLD = 1L << 30;

    /** One node: a listpack, or (plain) one element's bytes. */
    public record Node(boolean plain, byte[] data, int count) {}

    private QuicklistNodes() {}

    /** The nodes in list order. */
    public static List<Node> of(ListValue list, int fill) {
        boolean fromTail = list.pushedAtHead();
        List<Node> nodes = new ArrayList<>();
        List<byte[]> group = new ArrayList<>();
        layout(list, fill, new NodeSink() {
            @Override
            public void element(byte[] buf, int offset, int length) {
                group.add(Arrays.copyOfRange(buf, offset, offset + length));
            }

            @Override
            public void plain(byte[] buf, int offset, int length) {
                nodes.add(new Node(true, Arrays.copyOfRange(buf, offset, offset + length), 1));
            }

            @Override
            public void close(long bytes) {
                // Filled from the tail, the group holds the node's elements last first.
                if (fromTail) Collections.reverse(group);
                RedisListpack.Builder lp = new RedisListpack.Builder();
                for (byte[] e : group) lp.add(e);
                nodes.add(new Node(false, lp.finish(), group.size()));
                group.clear();
            }
        });
        if (fromTail) Collections.reverse(nodes);
        return nodes;
    }

    /**
     * The bytes of each node's listpack (or plain element) in the order Redis filled the
     * nodes, without building them: what MEMORY USAGE samples.
     */
    public static long[] nodeBytes(ListValue list, int fill) {
        NodeSizes sizes = new NodeSizes();
        layout(list, fill, sizes);
        return Arrays.copyOf(sizes.bytes, sizes.count);
    }

    /** Collects the nodes' byte counts. */
    private static final class NodeSizes implements NodeSink {
        long[] bytes = new long[16];
        int count;

        @Override
        public void element(byte[] buf, int offset, int length) {}

        @Override
        public void plain(byte[] buf, int offset, int length) {
            close(length);
        }

        @Override
        public void close(long nodeBytes) {
            if (count == bytes.length) bytes = Arrays.copyOf(bytes, count * 2);
            bytes[count++] = nodeBytes;
        }
    }

    /** Receives the layout as it goes, in pushing order: a node's elements, then its close. */
    private interface NodeSink {
        void element(byte[] buf, int offset, int length);

        /** A node of one element too large for a listpack. */
        void plain(byte[] buf, int offset, int length);

        /** The node whose elements were just given ends, with this many listpack bytes. */
        void close(long bytes);
    }

    /**
     * Groups the elements in pushing order into nodes as Redis 7.0's quicklist does,
     * walking the list once (from the tail when it was last pushed at the head).
     */
    private static void layout(ListValue list, int fill, NodeSink out) {
        int length = list.length();
        boolean fromTail = list.pushedAtHead();
        ListValue.Cursor c = list.cursor(fromTail ? length - 1 : 0, !fromTail);
        long nodeBytes = 0;
        int nodeCount = 0;
        while (true) {
            boolean more = c.next();
            boolean large = more && c.length() >= PACKED_THRESHOLD;
            if (nodeCount > 0 && (!more || large || !fits(nodeBytes, nodeCount, c.length(), fill))) {
                out.close(nodeBytes);
                nodeCount = 0;
            }
            if (!more) break;
            if (large) {
                out.plain(c.buffer(), c.offset(), c.length());
                continue;
            }
            if (nodeCount == 0) nodeBytes = RedisListpack.EMPTY;
            nodeBytes += RedisListpack.entryBytes(c.buffer(), c.offset(), c.length());
            nodeCount++;
            out.element(c.buffer(), c.offset(), c.length());
        }
    }

    private static boolean fits(long nodeBytes, long nodeCount, int length, int fill) {
        long estimate = nodeBytes + length + ESTIMATE_OVERHEAD;
        if (fill < 0) {
            int level = -fill - 1;
            return level < NODE_BYTES.length && estimate <= NODE_BYTES[level];
        }
        return estimate <= SAFETY_LIMIT && nodeCount < fill;
    }
}
