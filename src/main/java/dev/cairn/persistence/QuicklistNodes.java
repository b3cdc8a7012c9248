package dev.cairn.persistence;

import dev.cairn.types.ListValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The quicklist nodes Redis 7.0 would hold for a list: Cairn keeps a list in one ring,
 * Redis in a chain of listpacks of about {@code list-max-listpack-size} each. The nodes
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
        layout(list, fill, (from, to, bytes, plain) -> nodes.add(plain
                ? new Node(true, list.get(fromTail ? list.length() - 1 - from : from), 1)
                : pack(list, from, to, fromTail)));
        if (fromTail) Collections.reverse(nodes);
        return nodes;
    }

    /**
     * The bytes of each node's listpack (or plain element) in the order Redis filled the
     * nodes, without building them: what MEMORY USAGE samples.
     */
    public static long[] nodeBytes(ListValue list, int fill) {
        List<Long> sizes = new ArrayList<>();
        layout(list, fill, (from, to, bytes, plain) -> sizes.add(bytes));
        long[] out = new long[sizes.size()];
        for (int i = 0; i < out.length; i++) out[i] = sizes.get(i);
        return out;
    }

    /** Receives each node as the layout closes it: the elements pushed k = from..to-1, and its bytes. */
    private interface NodeSink {
        void node(int from, int to, long bytes, boolean plain);
    }

    /** Groups the elements in pushing order into nodes as Redis 7.0's quicklist does. */
    private static void layout(ListValue list, int fill, NodeSink out) {
        int length = list.length();
        boolean fromTail = list.pushedAtHead();
        int groupStart = 0;
        long nodeBytes = 0;
        int nodeCount = 0;
        for (int k = 0; k <= length; k++) {
            byte[] element = k < length ? list.get(fromTail ? length - 1 - k : k) : null;
            boolean large = element != null && element.length >= PACKED_THRESHOLD;
            if (nodeCount > 0 && (element == null || large || !fits(nodeBytes, nodeCount, element.length, fill))) {
                out.node(groupStart, k, nodeBytes, false);
                nodeCount = 0;
            }
            if (element == null) break;
            if (large) {
                out.node(k, k + 1, element.length, true);
                continue;
            }
            if (nodeCount == 0) {
                groupStart = k;
                nodeBytes = RedisListpack.EMPTY;
            }
            nodeBytes += RedisListpack.entryBytes(element);
            nodeCount++;
        }
    }

    /** The listpack of the elements pushed k = from..to-1. */
    private static Node pack(ListValue list, int from, int to, boolean fromTail) {
        RedisListpack.Builder lp = new RedisListpack.Builder();
        int length = list.length();
        int first = fromTail ? length - to : from;
        for (int i = first; i < first + (to - from); i++) lp.add(list.get(i));
        return new Node(false, lp.finish(), to - from);
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
