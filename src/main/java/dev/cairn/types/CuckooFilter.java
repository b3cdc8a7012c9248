package dev.cairn.types;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * A Cuckoo filter (Fan et al., "Cuckoo Filter: Practically Better Than Bloom"), the value
 * of the CF.* commands (RedisBloom's {@code MBbloomCF} type): buckets of
 * {@code bucketSize} 8-bit fingerprints (1..255, 0 marks an empty slot), and partial-key
 * cuckoo hashing: an item's two candidate buckets are {@code i1 = h mod buckets} and
 * {@code i2 = i1 XOR hash(fingerprint)}, so either one is found from the other and the
 * fingerprint alone, which is what lets an insertion evict and relocate fingerprints.
 * When an insertion still finds no place after {@code maxIterations} evictions, the
 * evictions are undone and the filter grows by a sub-filter {@code expansion} times as
 * large as the last (at most {@link #MAX_FILTERS} sub-filters; expansion 0 never grows).
 * Lookups and deletions visit every sub-filter; insertions first use free slots in any
 * sub-filter, older ones first.
 *
 * <p>Serialized form ({@link #serialize()}), little-endian:
 * <pre>
 * u8 version (1) | u8 bucket size | u16 max iterations | u16 expansion | i64 items inserted
 * | i64 items deleted | i32 sub-filter count | per sub-filter: i64 buckets (a power of two)
 * then each sub-filter's slots, buckets * bucket size bytes, bucket after bucket
 * </pre>
 */
public final class CuckooFilter implements CollectionValue, ChunkedDump {
    public static final long DEFAULT_CAPACITY = 1024;
    public static final int DEFAULT_BUCKET_SIZE = 2;
    public static final int DEFAULT_MAX_ITERATIONS = 20;
    public static final int DEFAULT_EXPANSION = 1;
    public static final int MAX_BUCKET_SIZE = 255;
    public static final int MAX_ITERATIONS_LIMIT = 65535;
    public static final int MAX_EXPANSION = 32768;
    /** Sub-filters a filter may grow to (RedisBloom documents that a filter grows up to 32 times). */
    public static final int MAX_FILTERS = 32;

    /** {@link #insert} results: placed, no room and no growth allowed, or the sub-filter limit reached. */
    public static final int ADDED = 1, FULL = -1, MAX_EXPANSIONS = -2;

    private static final byte VERSION = 1;
    private static final int HEADER_FIXED = 1 + 1 + 2 + 2 + 8 + 8 + 4;
    private static final long SEED = 0x2545f4914f6cdd1dL;

    private final int bucketSize;
    private final int maxIterations;
    private final int expansion;
    private long inserted;
    private long deleted;
    /** Each sub-filter's slots; its bucket count is {@code length / bucketSize}, a power of two. */
    private byte[][] filters;

    private CuckooFilter(int bucketSize, int maxIterations, int expansion, long inserted, long deleted, byte[][] filters) {
        this.bucketSize = bucketSize;
        this.maxIterations = maxIterations;
        this.expansion = expansion;
        this.inserted = inserted;
        this.deleted = deleted;
        this.filters = filters;
    }

    /** The bucket count for a capacity: capacity / bucket size rounded up to a power of two. */
    public static long bucketsFor(long capacity, int bucketSize) {
        long buckets = Math.max(1, capacity / bucketSize + (capacity % bucketSize == 0 ? 0 : 1));
        return buckets > (1L << 62) ? -1 : powerOfTwoAtLeast(buckets);
    }

    private static long powerOfTwoAtLeast(long n) {
        return n <= 1 ? 1 : Long.highestOneBit(n - 1) << 1;
    }

    /**
     * A new empty filter, or null when its table would be too large to allocate.
     * {@code expansion} is rounded up to a power of two (0 stays 0).
     */
    public static CuckooFilter create(long capacity, int bucketSize, int maxIterations, int expansion) {
        long buckets = bucketsFor(capacity, bucketSize);
        if (buckets < 1 || buckets > MAX_ARRAY / bucketSize) return null;
        int rounded = expansion == 0 ? 0 : (int) Math.min(MAX_EXPANSION, powerOfTwoAtLeast(expansion));
        return new CuckooFilter(bucketSize, maxIterations, rounded, 0, 0, new byte[][] {new byte[(int) (buckets * bucketSize)]});
    }

    @Override
    public ValueType type() {
        return ValueType.CUCKOO;
    }

    @Override
    public String encoding() {
        return "raw";
    }

    /** Items inserted and not deleted. */
    @Override
    public long size() {
        return inserted;
    }

    @Override
    public CuckooFilter copy() {
        byte[][] copies = new byte[filters.length][];
        for (int i = 0; i < filters.length; i++) copies[i] = filters[i].clone();
        return new CuckooFilter(bucketSize, maxIterations, expansion, inserted, deleted, copies);
    }

    public int bucketSize() {
        return bucketSize;
    }

    public int maxIterations() {
        return maxIterations;
    }

    public int expansion() {
        return expansion;
    }

    public long deleted() {
        return deleted;
    }

    public int filters() {
        return filters.length;
    }

    /** Buckets of the first sub-filter (CF.INFO's Number of buckets). */
    public long buckets() {
        return filters[0].length / bucketSize;
    }

    /** Bytes this filter takes: its slot tables and a fixed overhead (CF.INFO's Size). */
    public long bytes() {
        long n = 40;
        for (byte[] f : filters) n += 16 + f.length;
        return n;
    }

    // ---- hashing -------------------------------------------------------------------

    private static long hash(byte[] item) {
        return Murmur64.hash(item, SEED);
    }

    /** The item's fingerprint, 1..255, from the high half of its hash (the low half picks buckets). */
    private static int fingerprint(long h) {
        return (int) ((h >>> 32) % 255) + 1;
    }

    /**
     * The other bucket of a fingerprint: XOR with a hash of the fingerprint, forced odd so
     * that the two buckets always differ (when there are two). XOR makes it an involution.
     */
    private static long alternate(long bucket, int fp, long mask) {
        long m = fp * 0x9e3779b97f4a7c15L;
        m ^= m >>> 29;
        return (bucket ^ (m | 1)) & mask;
    }

    private int find(byte[] table, long bucket, int fp) {
        int base = (int) (bucket * bucketSize);
        for (int s = 0; s < bucketSize; s++) {
            if ((table[base + s] & 0xff) == fp) return base + s;
        }
        return -1;
    }

    private boolean place(byte[] table, long bucket, int fp) {
        int at = find(table, bucket, 0);
        if (at < 0) return false;
        table[at] = (byte) fp;
        return true;
    }

    // ---- operations ----------------------------------------------------------------

    public boolean contains(byte[] item) {
        return count(item, true) > 0;
    }

    /** How many times the item's fingerprint is stored in its buckets (CF.COUNT). */
    public long count(byte[] item) {
        return count(item, false);
    }

    private long count(byte[] item, boolean stopAtFirst) {
        long h = hash(item);
        int fp = fingerprint(h);
        long n = 0;
        for (byte[] table : filters) {
            long mask = table.length / bucketSize - 1;
            long i1 = h & mask;
            long i2 = alternate(i1, fp, mask);
            n += occurrences(table, i1, fp);
            if (i2 != i1) n += occurrences(table, i2, fp);
            if (stopAtFirst && n > 0) return n;
        }
        return n;
    }

    private int occurrences(byte[] table, long bucket, int fp) {
        int base = (int) (bucket * bucketSize), n = 0;
        for (int s = 0; s < bucketSize; s++) {
            if ((table[base + s] & 0xff) == fp) n++;
        }
        return n;
    }

    /** Inserts the item (again, if present): {@link #ADDED}, {@link #FULL} or {@link #MAX_EXPANSIONS}. */
    public int insert(byte[] item) {
        long h = hash(item);
        int fp = fingerprint(h);
        for (byte[] table : filters) {
            long mask = table.length / bucketSize - 1;
            long i1 = h & mask;
            if (place(table, i1, fp) || place(table, alternate(i1, fp, mask), fp)) {
                inserted++;
                return ADDED;
            }
        }
        byte[] last = filters[filters.length - 1];
        if (relocate(last, h, fp)) {
            inserted++;
            return ADDED;
        }
        if (expansion == 0) return FULL;
        if (filters.length >= MAX_FILTERS) return MAX_EXPANSIONS;
        long size = (long) last.length * expansion;
        if (size > MAX_ARRAY) return FULL;
        byte[] grown = new byte[(int) size];
        filters = Arrays.copyOf(filters, filters.length + 1);
        filters[filters.length - 1] = grown;
        long mask = grown.length / bucketSize - 1;
        place(grown, h & mask, fp);
        inserted++;
        return ADDED;
    }

    /**
     * Cuckoo eviction in one sub-filter: puts the fingerprint in one of its buckets in place
     * of a resident, which moves to its other bucket, and so on for up to maxIterations
     * moves. When no move finds a free slot, every swap is undone so nothing is lost. The
     * choices come from a generator seeded by the item's hash, so the outcome is
     * deterministic (the same on a replica or after AOF replay).
     */
    private boolean relocate(byte[] table, long h, int fp) {
        long mask = table.length / bucketSize - 1;
        long random = h;
        long bucket = (random & 1) == 0 ? h & mask : alternate(h & mask, fp, mask);
        int[] swapped = new int[maxIterations];
        int current = fp;
        for (int n = 0; n < maxIterations; n++) {
            random = random * 6364136223846793005L + 1442695040888963407L;
            int at = (int) (bucket * bucketSize) + (int) ((random >>> 33) % bucketSize);
            int evicted = table[at] & 0xff;
            table[at] = (byte) current;
            swapped[n] = at;
            current = evicted;
            bucket = alternate(bucket, current, mask);
            if (place(table, bucket, current)) return true;
        }
        for (int n = maxIterations - 1; n >= 0; n--) {
            int at = swapped[n];
            int resident = table[at] & 0xff;
            table[at] = (byte) current;
            current = resident;
        }
        return false;
    }

    /** Removes one occurrence of the item's fingerprint, newest sub-filter first; false if none. */
    public boolean delete(byte[] item) {
        long h = hash(item);
        int fp = fingerprint(h);
        for (int f = filters.length - 1; f >= 0; f--) {
            byte[] table = filters[f];
            long mask = table.length / bucketSize - 1;
            long i1 = h & mask;
            int at = find(table, i1, fp);
            if (at < 0) at = find(table, alternate(i1, fp, mask), fp);
            if (at >= 0) {
                table[at] = 0;
                inserted--;
                deleted++;
                return true;
            }
        }
        return false;
    }

    // ---- serialized form -----------------------------------------------------------

    /** The filter a {@link #serialize()} output describes; IllegalArgumentException for anything else. */
    public static CuckooFilter deserialize(byte[] bytes) {
        CuckooFilter f = fromHeader(bytes, true);
        f.loadTables(bytes, headerLength(f.filters.length));
        return f;
    }

    private static int headerLength(int filters) {
        return HEADER_FIXED + filters * 8;
    }

    @Override
    public byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(headerLength(filters.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(VERSION).put((byte) bucketSize).putShort((short) maxIterations).putShort((short) expansion)
                .putLong(inserted).putLong(deleted).putInt(filters.length);
        for (byte[] f : filters) b.putLong(f.length / bucketSize);
        return b.array();
    }

    /**
     * An empty filter from a header (CF.LOADCHUNK's first chunk); with {@code withData}
     * the bytes must be the whole serialized form (header, then table data).
     */
    public static CuckooFilter fromHeader(byte[] bytes, boolean withData) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get() != VERSION) throw new IllegalArgumentException("cuckoo filter: unknown version");
            int bucketSize = b.get() & 0xff;
            int maxIterations = b.getShort() & 0xffff;
            int expansion = b.getShort() & 0xffff;
            long inserted = b.getLong();
            long deleted = b.getLong();
            int count = b.getInt();
            if (bucketSize < 1 || maxIterations < 1 || expansion > MAX_EXPANSION || Integer.bitCount(expansion) > 1
                    || inserted < 0 || deleted < 0 || count < 1 || count > MAX_FILTERS) {
                throw new IllegalArgumentException("cuckoo filter: bad settings");
            }
            if (!withData && bytes.length != headerLength(count)) throw new IllegalArgumentException("cuckoo filter: wrong header length");
            long[] buckets = new long[count];
            long total = 0;
            for (int i = 0; i < count; i++) {
                buckets[i] = b.getLong();
                if (buckets[i] < 1 || Long.bitCount(buckets[i]) != 1 || buckets[i] > MAX_ARRAY / bucketSize) {
                    throw new IllegalArgumentException("cuckoo filter: bad bucket count");
                }
                total += buckets[i] * bucketSize;
                if (total > MAX_ARRAY) throw new IllegalArgumentException("cuckoo filter: too large");
            }
            if (withData && bytes.length != headerLength(count) + total) throw new IllegalArgumentException("cuckoo filter: wrong length");
            byte[][] filters = new byte[count][];
            for (int i = 0; i < count; i++) filters[i] = new byte[(int) (buckets[i] * bucketSize)];
            return new CuckooFilter(bucketSize, maxIterations, expansion, inserted, deleted, filters);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("cuckoo filter: truncated", e);
        }
    }

    @Override
    public List<byte[]> tables() {
        return Arrays.asList(filters);
    }
}
