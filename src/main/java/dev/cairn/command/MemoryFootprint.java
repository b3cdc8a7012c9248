package dev.cairn.command;

import dev.cairn.protocol.Numbers;
import dev.cairn.types.RawString;
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

    /** Bytes of a key and its value, as Redis's MEMORY USAGE computes them. */
    static long ofKey(byte[] key, Object value) {
        return ofValue(value) + sdsAllocation(key.length) + DICT_ENTRY;
    }

    /** Bytes of a value (Redis's objectComputeSize). */
    static long ofValue(Object value) {
        if (value instanceof ZSetValue z) return ofSortedSet(z);
        if (ValueType.of(value) != ValueType.STRING) {
            throw new CommandError("ERR MEMORY USAGE is not supported for this type yet");
        }
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
    /** Redis samples this many elements of a large collection (OBJ_COMPUTE_SIZE_DEF_SAMPLES). */
    private static final int SAMPLES = 5;

    /**
     * A listpack: its allocation; a skiplist: the structures, the bucket array, and the
     * average of the first elements (member string, dict entry, a one-level node) times
     * the size, as Redis's objectComputeSize.
     */
    static long ofSortedSet(ZSetValue z) {
        if (z.isListpack()) {
            long[] bytes = {6 + 1};
            z.listpackEntries(entry -> bytes[0] += listpackEntrySize(entry));
            return OBJECT_HEADER + allocation(bytes[0]);
        }
        long size = OBJECT_HEADER + SKIPLIST_HEADERS + 8L * z.tableBuckets() + allocation(SKIPLIST_HEAD_NODE);
        long[] sampled = {0, 0};
        z.rangeByRank(0, Math.min(SAMPLES, z.size()) - 1, false, (buf, off, len, score) -> {
            sampled[0] += sdsAllocation(len) + DICT_ENTRY + allocation(24 + 16);
            sampled[1]++;
        });
        return size + (long) ((double) sampled[0] / sampled[1] * z.size());
    }

    /** Bytes of one listpack entry as Redis encodes it: an integer compactly, else a string. */
    private static long listpackEntrySize(byte[] entry) {
        Long v = entry.length <= 20 ? Numbers.parseStrictLong(entry) : null;
        long encoded;
        if (v != null) {
            if (v >= 0 && v <= 127) encoded = 1;
            else if (v >= -4096 && v <= 4095) encoded = 2;
            else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) encoded = 3;
            else if (v >= -(1 << 23) && v < (1 << 23)) encoded = 4;
            else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) encoded = 5;
            else encoded = 9;
        } else if (entry.length < 64) {
            encoded = 1 + entry.length;
        } else if (entry.length < 4096) {
            encoded = 2 + entry.length;
        } else {
            encoded = 5 + entry.length;
        }
        int backlen = encoded <= 127 ? 1 : encoded < 16383 ? 2 : encoded < 2097151 ? 3 : encoded < 268435455 ? 4 : 5;
        return encoded + backlen;
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
