package dev.cairn.command;

import dev.cairn.persistence.QuicklistNodes;
import dev.cairn.types.ListValue;

/**
 * MEMORY USAGE of a list as Redis 7.0 would report it: Redis keeps a list as a quicklist,
 * a linked list of nodes each holding a listpack of elements, and measures the first
 * few nodes from the head and multiplies their average by the number of nodes.
 *
 * <p>Cairn does not keep nodes, so the nodes are those {@link QuicklistNodes} lays out, as
 * Redis would have made them; compressed nodes (list-compress-depth) are counted
 * uncompressed.
 */
final class QuicklistFootprint {
    /** sizeof(quicklist) and sizeof(quicklistNode) in Redis 7.0 on 64-bit. */
    private static final int QUICKLIST = 40;
    private static final int NODE = 40;

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
        long[] nodes = QuicklistNodes.nodeBytes(list, fill);
        for (int i = 0; i < nodes.length; i++) nodes[i] = NODE + MemoryFootprint.allocation(nodes[i]);
        return nodes;
    }
}
