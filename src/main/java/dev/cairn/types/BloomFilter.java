package dev.cairn.types;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scalable Bloom filter (Almeida et al.), the value of the BF.* commands (RedisBloom's
 * {@code MBbloom--} type). It is a chain of plain Bloom sub-filters: items go into the
 * newest one, and when that one holds its capacity a new one is added, {@code expansion}
 * times larger, with its error rate tightened by {@link #TIGHTENING_RATIO} so that the sum
 * of the sub-filters' error rates stays below the filter's. A non-scaling filter (expansion
 * 0) is one sub-filter of exactly the requested error rate and refuses items past its
 * capacity.
 *
 * <p>Each sub-filter of capacity n and error rate p has {@code ceil(n * -ln p / ln2^2)} bits
 * and {@code ceil(-ln p / ln 2)} hash functions; the k bit positions of an item come from two
 * 64-bit MurmurHash64A hashes by double hashing ({@code h1 + i * h2} modulo the bit count).
 *
 * <p>Serialized form ({@link #serialize()}), little-endian:
 * <pre>
 * u8 version (1) | f64 error rate | i32 expansion (0 = non-scaling) | i32 sub-filter count
 * per sub-filter: i64 capacity | f64 error rate | i32 hashes | i64 bits | i64 items
 * then each sub-filter's bit array, ceil(bits / 8) bytes, bit i at byte i/8, mask 1 << (i%8)
 * </pre>
 */
public final class BloomFilter implements CollectionValue, ChunkedDump {
    public static final double DEFAULT_ERROR_RATE = 0.01;
    public static final long DEFAULT_CAPACITY = 100;
    public static final int DEFAULT_EXPANSION = 2;
    /** Each scaling sub-filter's error rate is the filter's times this ratio to the power of its number plus one. */
    public static final double TIGHTENING_RATIO = 0.5;

    /** {@link #add} results. */
    public static final int ADDED = 1, PRESENT = 0, FULL = -1;

    private static final byte VERSION = 1;
    /** Sub-filters a filter may have: a bound on scaling with expansion 1 and on bad serialized input. */
    private static final int MAX_LAYERS = 4096;
    private static final int HEADER_FIXED = 1 + 8 + 4 + 4;
    private static final int HEADER_PER_LAYER = 8 + 8 + 4 + 8 + 8;
    private static final long SEED1 = 0x5bd1e9955bd1e995L, SEED2 = 0x9e3779b97f4a7c15L;
    private static final double LN2 = Math.log(2);

    /** One plain Bloom filter of the chain. */
    private static final class Layer {
        final long capacity;
        final double errorRate;
        final int hashes;
        final long bits;
        final byte[] data;
        long items;

        Layer(long capacity, double errorRate, int hashes, long bits, byte[] data, long items) {
            this.capacity = capacity;
            this.errorRate = errorRate;
            this.hashes = hashes;
            this.bits = bits;
            this.data = data;
            this.items = items;
        }

        Layer copy() {
            return new Layer(capacity, errorRate, hashes, bits, data.clone(), items);
        }

        boolean contains(long h1, long h2) {
            long h = h1;
            for (int i = 0; i < hashes; i++, h += h2) {
                long bit = Long.remainderUnsigned(h, bits);
                if ((data[(int) (bit >>> 3)] & (1 << (bit & 7))) == 0) return false;
            }
            return true;
        }

        void set(long h1, long h2) {
            long h = h1;
            for (int i = 0; i < hashes; i++, h += h2) {
                long bit = Long.remainderUnsigned(h, bits);
                data[(int) (bit >>> 3)] |= (byte) (1 << (bit & 7));
            }
        }
    }

    private final double errorRate;
    private final int expansion;
    private Layer[] layers;

    private BloomFilter(double errorRate, int expansion, Layer[] layers) {
        this.errorRate = errorRate;
        this.expansion = expansion;
        this.layers = layers;
    }

    /**
     * A new empty filter, or null when its bit array would be too large to allocate.
     * {@code expansion} 0 makes it non-scaling.
     */
    public static BloomFilter create(double errorRate, long capacity, int expansion) {
        double first = expansion == 0 ? errorRate : errorRate * TIGHTENING_RATIO;
        Layer layer = newLayer(capacity, first);
        return layer == null ? null : new BloomFilter(errorRate, expansion, new Layer[] {layer});
    }

    private static Layer newLayer(long capacity, double errorRate) {
        double bitsPerItem = -Math.log(errorRate) / (LN2 * LN2);
        double bits = Math.ceil(capacity * bitsPerItem);
        if (!(bits >= 1)) bits = 1;
        if (bits > MAX_ARRAY * 8.0) return null;
        int hashes = (int) Math.max(1, Math.ceil(LN2 * bitsPerItem));
        long nbits = (long) bits;
        return new Layer(capacity, errorRate, hashes, nbits, new byte[(int) ((nbits + 7) >>> 3)], 0);
    }

    @Override
    public ValueType type() {
        return ValueType.BLOOM;
    }

    @Override
    public String encoding() {
        return "raw";
    }

    /** Items added (BF.CARD). */
    @Override
    public long size() {
        long n = 0;
        for (Layer l : layers) n += l.items;
        return n;
    }

    @Override
    public BloomFilter copy() {
        Layer[] copies = new Layer[layers.length];
        for (int i = 0; i < layers.length; i++) copies[i] = layers[i].copy();
        return new BloomFilter(errorRate, expansion, copies);
    }

    public boolean scaling() {
        return expansion != 0;
    }

    public int expansion() {
        return expansion;
    }

    public double errorRate() {
        return errorRate;
    }

    /** Items the sub-filters hold before the next scaling (BF.INFO's Capacity). */
    public long capacity() {
        long n = 0;
        for (Layer l : layers) n += l.capacity;
        return n;
    }

    public int filters() {
        return layers.length;
    }

    /** Bytes this filter takes: its bit arrays and a fixed overhead per sub-filter (BF.INFO's Size). */
    public long bytes() {
        long n = 40;
        for (Layer l : layers) n += 56 + l.data.length;
        return n;
    }

    /**
     * The double-hashing step: the second hash, made odd so that the k positions are
     * distinct even when the bit count is a power of two.
     */
    private static long step(byte[] item) {
        return Murmur64.hash(item, SEED2) | 1;
    }

    public boolean contains(byte[] item) {
        long h1 = Murmur64.hash(item, SEED1);
        long h2 = step(item);
        for (int i = layers.length - 1; i >= 0; i--) {
            if (layers[i].contains(h1, h2)) return true;
        }
        return false;
    }

    /** Adds an item: {@link #ADDED}, {@link #PRESENT} if it (probably) was there, or {@link #FULL}. */
    public int add(byte[] item) {
        long h1 = Murmur64.hash(item, SEED1);
        long h2 = step(item);
        for (int i = layers.length - 1; i >= 0; i--) {
            if (layers[i].contains(h1, h2)) return PRESENT;
        }
        Layer last = layers[layers.length - 1];
        if (last.items >= last.capacity) {
            if (expansion == 0) return FULL;
            last = grow(last);
            if (last == null) return FULL;
        }
        // Not in any sub-filter, so at least one of its bits in the newest one is clear.
        last.set(h1, h2);
        last.items++;
        return ADDED;
    }

    private Layer grow(Layer last) {
        if (layers.length >= MAX_LAYERS) return null;
        long capacity;
        try {
            capacity = Math.multiplyExact(last.capacity, (long) expansion);
        } catch (ArithmeticException e) {
            return null;
        }
        Layer next = newLayer(capacity, last.errorRate * TIGHTENING_RATIO);
        if (next == null) return null;
        layers = Arrays.copyOf(layers, layers.length + 1);
        layers[layers.length - 1] = next;
        return next;
    }

    // ---- serialized form -----------------------------------------------------------

    /** The filter a {@link #serialize()} output describes; IllegalArgumentException for anything else. */
    public static BloomFilter deserialize(byte[] bytes) {
        BloomFilter f = fromHeader(bytes, true);
        f.loadTables(bytes, headerLength(f.layers.length));
        return f;
    }

    private static int headerLength(int layers) {
        return HEADER_FIXED + layers * HEADER_PER_LAYER;
    }

    @Override
    public byte[] header() {
        ByteBuffer b = ByteBuffer.allocate(headerLength(layers.length)).order(ByteOrder.LITTLE_ENDIAN);
        b.put(VERSION).putDouble(errorRate).putInt(expansion).putInt(layers.length);
        for (Layer l : layers) b.putLong(l.capacity).putDouble(l.errorRate).putInt(l.hashes).putLong(l.bits).putLong(l.items);
        return b.array();
    }

    /**
     * An empty-bitted filter from a header (BF.LOADCHUNK's first chunk); with
     * {@code withData} the bytes must be the whole serialized form (header, then table data).
     */
    public static BloomFilter fromHeader(byte[] bytes, boolean withData) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            if (b.get() != VERSION) throw new IllegalArgumentException("bloom filter: unknown version");
            double errorRate = b.getDouble();
            int expansion = b.getInt();
            int count = b.getInt();
            if (!(errorRate > 0 && errorRate < 1) || expansion < 0 || count < 1 || count > MAX_LAYERS
                    || (expansion == 0 && count != 1)) {
                throw new IllegalArgumentException("bloom filter: bad settings");
            }
            if (!withData && bytes.length != headerLength(count)) throw new IllegalArgumentException("bloom filter: wrong header length");
            Layer[] layers = new Layer[count];
            long total = 0;
            for (int i = 0; i < count; i++) {
                long capacity = b.getLong();
                double error = b.getDouble();
                int hashes = b.getInt();
                long bits = b.getLong();
                long items = b.getLong();
                if (capacity < 1 || !(error > 0 && error < 1) || hashes < 1 || hashes > 256 || bits < 1
                        || bits > MAX_ARRAY * 8 || items < 0) {
                    throw new IllegalArgumentException("bloom filter: bad sub-filter");
                }
                int bytesOfBits = (int) ((bits + 7) >>> 3);
                total += bytesOfBits;
                // Refuse what a Java array could not hold before allocating anything.
                if (total > MAX_ARRAY) {
                    throw new IllegalArgumentException("bloom filter: too large");
                }
                layers[i] = new Layer(capacity, error, hashes, bits, null, items);
            }
            if (withData && bytes.length != headerLength(count) + total) {
                throw new IllegalArgumentException("bloom filter: wrong length");
            }
            for (int i = 0; i < count; i++) {
                Layer l = layers[i];
                layers[i] = new Layer(l.capacity, l.errorRate, l.hashes, l.bits, new byte[(int) ((l.bits + 7) >>> 3)], l.items);
            }
            return new BloomFilter(errorRate, expansion, layers);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("bloom filter: truncated", e);
        }
    }

    @Override
    public List<byte[]> tables() {
        List<byte[]> tables = new ArrayList<>(layers.length);
        for (Layer l : layers) tables.add(l.data);
        return tables;
    }
}
