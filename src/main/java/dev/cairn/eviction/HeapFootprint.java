package dev.cairn.eviction;

import dev.cairn.types.BloomFilter;
import dev.cairn.types.CuckooFilter;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.Listpack;
import dev.cairn.types.MemberTable;
import dev.cairn.types.RawString;
import dev.cairn.types.SetValue;
import dev.cairn.types.ZSetValue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What a value occupies on the Java heap, estimated in O(1): used_memory's dataset part
 * (see ARCHITECTURE.md, "used_memory"). Unlike {@code MEMORY USAGE}, which reports what
 * Redis would allocate, this follows Cairn's own layouts (compact object headers: 8 bytes
 * per object, 12 per array, 8-byte alignment) so that maxmemory bounds the real heap.
 *
 * <p>Strings are measured exactly, lists up to alignment (they keep their nodes' total).
 * Another collection is its fixed structures plus its element count times the average
 * of a few randomly sampled elements, so measuring stays cheap however big the
 * collection is; it is re-measured after every write to its key.
 */
public final class HeapFootprint {
    /** Elements sampled to estimate a collection's average element. */
    private static final int SAMPLES = 3;
    /** A MemberTable node: header, member, value and next references, hash. */
    private static final int TABLE_NODE = 24;
    /** A zset element in table form: its table node, its boxed score and its rank tree node. */
    private static final int ZSET_ELEMENT = TABLE_NODE + 16 + 40;

    /** A list node object: header, array reference, start, end and count. */
    private static final int LIST_NODE = 24;

    private HeapFootprint() {}

    /** Bytes of a byte array of {@code length} bytes. */
    public static long bytes(long length) {
        return align(12 + length);
    }

    /** Bytes of an array of {@code length} references (compressed: 4 bytes each). */
    static long references(long length) {
        return align(12 + 4 * length);
    }

    private static long align(long n) {
        return (n + 7) & ~7L;
    }

    /** Heap bytes of a value held by a key. */
    public static long of(Object value) {
        return switch (value) {
            case byte[] b -> bytes(b.length);
            case RawString r -> 24 + bytes(r.buffer().length);
            case ListValue l -> ofList(l);
            case HashValue h -> ofHash(h);
            case SetValue s -> ofSet(s);
            case ZSetValue z -> ofZSet(z);
            case dev.cairn.types.StreamValue s -> s.heapBytes();
            // Filters know their arrays' sizes (BF.INFO / CF.INFO Size).
            case BloomFilter f -> f.bytes();
            case CuckooFilter f -> f.bytes();
            default -> 16;
        };
    }

    /**
     * A list is its nodes' arrays, counted as they are allocated (the list keeps their
     * total), plus per node its object (header, array reference, start, end, count) and
     * array header, and the ring of node references: exact up to alignment, and O(1).
     */
    private static long ofList(ListValue l) {
        // The list object: header, ring reference, five ints, a long and a flag.
        return 48 + references(l.nodeSlots()) + (long) l.nodeCount() * (LIST_NODE + 16) + l.allocatedBytes();
    }

    private static long ofHash(HashValue h) {
        Listpack lp = h.listpack();
        if (lp != null) return 24 + 24 + bytes(lp.bytes());
        MemberTable<byte[]> table = h.table();
        int n = table.size();
        if (n == 0) return 48;
        long sampled = 0;
        for (int i = 0; i < SAMPLES; i++) {
            MemberTable.Node<byte[]> node = table.random();
            sampled += TABLE_NODE + bytes(node.member().length) + bytes(node.value().length);
        }
        return 24 + 32 + references(table.buckets()) + sampled * n / SAMPLES;
    }

    private static long ofSet(SetValue s) {
        if (s.isIntset()) return 40 + bytes(s.intsetBytes());
        long n = s.size();
        if (n == 0) return 48;
        long sampled = 0;
        for (int i = 0; i < SAMPLES; i++) sampled += bytes(s.random().length);
        // Chained buckets hold members directly; a collision turns a bucket into a small array.
        return 40 + 32 + references(s.buckets()) + sampled * n / SAMPLES + 4 * n;
    }

    private static long ofZSet(ZSetValue z) {
        long n = z.size();
        if (n == 0) return 48;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        long[] sampled = {0};
        for (int i = 0; i < SAMPLES; i++) {
            long rank = rnd.nextLong(n);
            z.rangeByRank(rank, rank, false, (buf, offset, length, score) -> sampled[0] += length);
        }
        long member = sampled[0] / SAMPLES;
        // A listpack holds each member and its score text in one array; a table needs nodes.
        if (z.isListpack()) return 48 + bytes(n * (member + 12));
        return 48 + 64 + references(z.tableBuckets()) + n * (ZSET_ELEMENT + bytes(member));
    }
}
