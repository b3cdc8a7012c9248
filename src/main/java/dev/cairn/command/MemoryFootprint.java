package dev.cairn.command;

import dev.cairn.protocol.Numbers;
import dev.cairn.types.RawString;
import dev.cairn.types.SetValue;
import dev.cairn.types.Strings;
import dev.cairn.types.ValueType;

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

    /** sizeof(dict): the header of a hash table, apart from its bucket array. */
    static final int DICT = 56;
    /** How many elements of a collection MEMORY USAGE measures when SAMPLES is not given. */
    static final long DEFAULT_SAMPLES = 5;

    /**
     * Bytes of a key and its value, as Redis's MEMORY USAGE computes them; a collection's
     * elements are estimated from the first {@code samples} of them.
     */
    static long ofKey(byte[] key, Object value, long samples) {
        return ofValue(value, samples) + sdsAllocation(key.length) + DICT_ENTRY;
    }

    /** Bytes of a value (Redis's objectComputeSize). */
    static long ofValue(Object value, long samples) {
        if (value instanceof SetValue set) return ofSet(set, samples);
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
