package dev.cairn.command;

import dev.cairn.types.ListValue;
import java.util.Arrays;

/**
 * MEMORY USAGE of a list as Redis 7.0 would report it: Redis keeps a list as a quicklist,
 * a linked list of nodes each holding a listpack of elements, and measures the first
 * few nodes from the head and multiplies their average by the number of nodes.
 *
 * <p>Cairn does not keep nodes, so the nodes are those Redis would have made pushing the
 * elements one by one: at the tail, or at the head when the list's last push was there.
 * That is exact for lists built by RPUSH or by LPUSH (and for every list that fits one
 * node), an approximation for others; compressed nodes (list-compress-depth) are
 * counted uncompressed.
 */
final class QuicklistFootprint {
    /** sizeof(quicklist) and sizeof(quicklistNode) in Redis 7.0 on 64-bit. */
    private static final int QUICKLIST = 40;
    private static final int NODE = 40;
    /** list-max-listpack-size's negative settings: a node's byte limit for -1 to -5. */
    private static final int[] NODE_BYTES = {4096, 8192, 16384, 32768, 65536};
    /** A node never grows past this when its limit is a count of elements. */
    private static final int SAFETY_LIMIT = 8192;
    /** What Redis adds to an element's length to estimate its growth of a node (an overestimate). */
    private static final int ESTIMATE_OVERHEAD = 8;

    private QuicklistFootprint() {}

    static long of(ListValue list, long samples, int fill) {
        long[] nodes = nodeSizes(list, fill);
        int count = nodes.length;
        // The nodes are in the order they were filled; Redis samples from the head.
        boolean headFirst = !list.pushedAtHead();
        long sampled = Math.min(samples, count);
        long sampledBytes = 0;
        for (int i = 0; i < sampled; i++) sampledBytes += nodes[headFirst ? i : count - 1 - i];
        // Redis adds the double estimate to a size_t, which truncates.
        return (long) (MemoryFootprint.OBJECT_HEADER + QUICKLIST + (double) sampledBytes / sampled * count);
    }

    /** The bytes of each node (its struct and its listpack's allocation), in filling order. */
    private static long[] nodeSizes(ListValue list, int fill) {
        long[] nodes = new long[4];
        int count = 0;
        long nodeBytes = 0;
        long nodeCount = 0;
        int length = list.length();
        for (int k = 0; k < length; k++) {
            byte[] element = list.get(list.pushedAtHead() ? length - 1 - k : k);
            if (nodeCount > 0 && !fits(nodeBytes, nodeCount, element.length, fill)) {
                if (count == nodes.length) nodes = Arrays.copyOf(nodes, count * 2);
                nodes[count++] = NODE + MemoryFootprint.allocation(nodeBytes);
                nodeCount = 0;
            }
            if (nodeCount == 0) nodeBytes = MemoryFootprint.LISTPACK_EMPTY;
            nodeBytes += MemoryFootprint.listpackEntry(element);
            nodeCount++;
        }
        if (count == nodes.length) nodes = Arrays.copyOf(nodes, count + 1);
        nodes[count++] = NODE + MemoryFootprint.allocation(nodeBytes);
        return Arrays.copyOf(nodes, count);
    }

    /**
     * Whether Redis 7.0 adds an element of {@code length} bytes to a node: it estimates
     * the node's new size generously, and keeps it within the byte limit of a negative
     * fill, or within both the safety limit and the element count of a positive one.
     */
    private static boolean fits(long nodeBytes, long nodeCount, int length, int fill) {
        long estimate = nodeBytes + length + ESTIMATE_OVERHEAD;
        if (fill < 0) {
            int level = -fill - 1;
            return level < NODE_BYTES.length && estimate <= NODE_BYTES[level];
        }
        return estimate <= SAFETY_LIMIT && nodeCount < fill;
    }
}
