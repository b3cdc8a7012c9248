package dev.cairn.command;

import dev.cairn.config.Config;
import dev.cairn.persistence.RedisListpack;
import dev.cairn.protocol.Numbers;
import dev.cairn.types.HashValue;
import dev.cairn.types.ListValue;
import dev.cairn.types.Listpack;
import dev.cairn.types.MemberTable;
import dev.cairn.types.RawString;
import dev.cairn.types.SetValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;
import dev.cairn.types.ZSetValue;

/**
 * What a key would occupy in Redis 7.0 with jemalloc, which is what MEMORY USAGE
 * reports: the value object, the key's sds string and the hash table entry, each
 * rounded up to the allocator's size class. Reporting Redis's figures rather than Java
 * heap sizes keeps MEMORY USAGE comparable with Redis (and with tools sizing a Redis
 * deployment); the process-wide figures of MEMORY STATS are the JVM's own.
 */
final class MemoryFootprint {
    /** sizeof(robj). */
    static final int OBJECT_HEADER = 16;
    /** sizeof(dictEntry). */
    static final int DICT_ENTRY = 24;

    private MemoryFootprint() {}

    /** Redis's OBJ_COMPUTE_SIZE_DEF_SAMPLES: elements measured when SAMPLES is not given. */
    static final long DEFAULT_SAMPLES = 5;
    /** sizeof(dict) in Redis 7.0. */
    static final int DICT = 56;

    /**
     * Bytes of a key and its value, as Redis's MEMORY USAGE computes them; a collection
     * stored as a table is estimated from its first {@code samples} elements.
     */
    static long ofKey(byte[] key, Object value, long samples, Config config) {
        return ofValue(value, samples, config) + sdsAllocation(key.length) + DICT_ENTRY;
    }

    /** Bytes of a value (Redis's objectComputeSize). */
    static long ofValue(Object value, long samples, Config config) {
        switch (ValueType.of(value)) {
            case STRING -> {
                return ofString(value);
            }
            case LIST -> {
                return QuicklistFootprint.of((ListValue) value, samples, (int) config.listMaxListpackSize.value());
            }
            case SET -> {
                return ofSet((SetValue) value, samples);
            }
            case ZSET -> {
                return ofSortedSet((ZSetValue) value, samples);
            }
            case HASH -> {
                return ofHash((HashValue) value, samples);
            }
            // Module values report their own size (RedisBloom's mem_usage callback).
            case BLOOM -> {
                return OBJECT_HEADER + ((dev.cairn.types.BloomFilter) value).bytes();
            }
            case STREAM -> {
                return ofStream((dev.cairn.types.StreamValue) value, samples);
            }
            case CUCKOO -> {
                return OBJECT_HEADER + ((dev.cairn.types.CuckooFilter) value).bytes();
            }
            default -> throw new CommandError("ERR MEMORY USAGE is not supported for this type yet");
        }
    }

    /**
     * A listpack hash is one allocation; a table hash is the dict, its bucket array and,
     * per field, a dict entry and two sds strings, averaged over the sampled fields.
     */
    private static long ofHash(HashValue h, long samples) {
        Listpack lp = h.listpack();
        if (lp != null) return OBJECT_HEADER + allocation(redisListpackBytes(lp));
        MemberTable<byte[]> table = h.table();
        long[] sampled = new long[2];
        // A scan from cursor 0 visits every bucket once and can stop after the samples.
        long cursor = 0;
        do {
            cursor = table.scan(cursor, (field, v) -> {
                if (sampled[0] >= samples) return;
                sampled[0]++;
                sampled[1] += sdsAllocation(field.length) + sdsAllocation(v.length) + DICT_ENTRY;
            });
        } while (cursor != 0 && sampled[0] < samples);
        long size = OBJECT_HEADER + DICT + 8L * table.buckets();
        if (sampled[0] > 0) size += (long) ((double) sampled[1] / sampled[0] * table.size());
        return size;
    }

    /**
     * The size Redis's listpack would have for the same entries: a 6-byte header, each
     * entry's encoding byte(s), data and back-length, and the end byte. Strings that are
     * canonical integers are stored as integers of 1 to 9 bytes.
     */
    static long redisListpackBytes(Listpack lp) {
        long total = RedisListpack.EMPTY;
        for (int at = lp.first(); at < lp.end(); at = lp.next(at)) total += RedisListpack.entryBytes(lp.get(at));
        return total;
    }

    private static long ofString(Object value) {
        if (value instanceof RawString raw) {
            int capacity = raw.buffer().length;
            return OBJECT_HEADER + allocation(sdsHeader(capacity) + capacity + 1L);
        }
        byte[] b = (byte[]) value;
        return switch (Strings.encoding(b)) {
            case "int" -> OBJECT_HEADER;
            // embstr: object header, sdshdr8 and the bytes in one allocation.
            case "embstr" -> allocation(OBJECT_HEADER + 3L + b.length + 1);
            default -> OBJECT_HEADER + sdsAllocation(b.length);
        };
    }

    /** sizeof(zset) + sizeof(zskiplist) + sizeof(dict) in Redis 7.0. */
    private static final int SKIPLIST_HEADERS = 16 + 32 + 56;
    /** A skip list's header node: 24 bytes and 32 levels of 16. */
    private static final int SKIPLIST_HEAD_NODE = 24 + 32 * 16;

    /**
     * A listpack: its allocation; a skiplist: the structures, the bucket array, and the
     * average of the first elements (member string, dict entry, a one-level node) times
     * the size, as Redis's objectComputeSize.
     */
    static long ofSortedSet(ZSetValue z, long samples) {
        if (z.isListpack()) {
            long[] bytes = {RedisListpack.EMPTY};
            z.listpackEntries(entry -> bytes[0] += RedisListpack.entryBytes(entry));
            return OBJECT_HEADER + allocation(bytes[0]);
        }
        long size = OBJECT_HEADER + SKIPLIST_HEADERS + 8L * z.tableBuckets() + allocation(SKIPLIST_HEAD_NODE);
        long[] sampled = {0, 0};
        z.rangeByRank(0, Math.min(samples == 0 ? z.size() : samples, z.size()) - 1, false, (buf, off, len, score) -> {
            sampled[0] += sdsAllocation(len) + DICT_ENTRY + allocation(24 + 16);
            sampled[1]++;
        });
        return size + (long) ((double) sampled[0] / sampled[1] * z.size());
    }

    /**
     * A set: the intset blob, or the table (header, buckets) and its entries, each a
     * dictEntry and the member's sds string, averaged over the sampled members.
     */
    private static long ofSet(SetValue set, long samples) {
        if (set.isIntset()) return OBJECT_HEADER + allocation(set.intsetBytes());
        long size = OBJECT_HEADER + DICT + 8L * set.buckets();
        long sampled = 0;
        long bytes = 0;
        for (SetValue.Members m = set.members(); sampled < samples && m.next(); sampled++) {
            bytes += DICT_ENTRY + sdsAllocation(m.member() != null ? m.member().length : Numbers.bytes(m.integer()).length);
        }
        // Redis adds the double estimate to its integer total, which truncates.
        return sampled == 0 ? size : (long) (size + (double) bytes / sampled * set.size());
    }

    /** Redis's streamRadixTreeMemoryUsage: 16 bytes a key, and a node header and 30 pointers per node. */
    private static long radixTree(java.util.List<dev.cairn.types.StreamValue.Id> keys) {
        return keys.size() * 16L + dev.cairn.types.StreamValue.radixTreeNodes(keys) * (4 + 8 * 30);
    }

    /**
     * A stream (objectComputeSize): the object and stream structs, the radix tree, the
     * listpacks (the first {@code samples} averaged, the last one exact) and, per group, its
     * struct, its PEL's tree and NACKs, and per consumer its struct, name and PEL tree.
     */
    private static long ofStream(dev.cairn.types.StreamValue s, long samples) {
        long size = OBJECT_HEADER + 80 + radixTree(s.nodeIds());
        int nodes = s.nodeCount();
        long sampled = 0;
        int taken = 0;
        while (taken < samples && taken < nodes) sampled += s.node(taken++).allocated();
        if (nodes <= taken) {
            size += sampled;
        } else {
            if (taken > 0) sampled /= taken;
            size += sampled * (nodes - 1) + s.node(nodes - 1).allocated();
        }
        for (dev.cairn.types.StreamValue.Group g : s.groups()) {
            size += 40 + radixTree(new java.util.ArrayList<>(g.pel.keySet())) + 24L * g.pel.size();
            for (dev.cairn.types.StreamValue.Consumer consumer : g.consumers) {
                size += 24 + consumer.name.length + radixTree(new java.util.ArrayList<>(consumer.pel.keySet()));
            }
        }
        return size;
    }

    /** An sds string of {@code length} bytes: header, bytes and terminator. */
    static long sdsAllocation(long length) {
        return allocation(sdsHeader(length) + length + 1);
    }

    /** The size of the smallest sds header that can describe {@code length}. */
    static int sdsHeader(long length) {
        if (length < 32) return 1;
        if (length < 256) return 3;
        if (length < 65536) return 5;
        if (length < 1L << 32) return 9;
        return 17;
    }

    /**
     * jemalloc's size class for a request: 8, then multiples of 16 up to 128, then four
     * classes per doubling.
     */
    static long allocation(long bytes) {
        if (bytes <= 8) return 8;
        if (bytes <= 128) return (bytes + 15) / 16 * 16;
        int log2 = 63 - Long.numberOfLeadingZeros(bytes - 1);
        long spacing = 1L << (log2 - 2);
        return (bytes + spacing - 1) / spacing * spacing;
    }
}
