package dev.cairn.types;

import dev.cairn.protocol.Numbers;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A set value, in Redis 7.0's two encodings: "intset" while every member is an integer and
 * there are at most set-max-intset-entries of them, "hashtable" ({@link SetTable})
 * otherwise. The conversion is one-way, as in Redis: a set that once needed a table keeps
 * it even when its members would fit an intset again.
 *
 * <p>The intset is Redis's: the members sorted ascending and packed in one array, each 2,
 * 4 or 8 bytes wide (little-endian). Every member has the width of the widest one; adding
 * a member that does not fit widens them all, and nothing narrows them again. Its fields
 * live in this object rather than in one of its own, because small sets are numerous and
 * an object costs 16 to 24 bytes: a set of a few small numbers is this object and one
 * short array. The array keeps some spare room at its end so that adding members in
 * ascending order does not copy it each time.
 *
 * <p>Members are visited with a {@link Members} iterator: a member that is an integer comes
 * as the number (no array is made for it), any other as its bytes. A member is an integer
 * when Redis's string2ll accepts it, which makes the two forms of a member unambiguous.
 *
 * <p>Not thread-safe.
 */
public final class SetValue implements CollectionValue {
    /** Redis caps set-max-intset-entries at 2^30 whatever the configuration says. */
    private static final long INTSET_LIMIT = 1L << 30;
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final byte[] NONE = new byte[0];

    /** The packed members while the encoding is "intset"; null once it is "hashtable". */
    private byte[] ints;
    /** Bytes per intset member: 2, 4 or 8. */
    private byte width;
    /** Number of intset members. */
    private int count;
    private SetTable table;

    private SetValue(byte[] ints, int width, int count, SetTable table) {
        this.ints = ints;
        this.width = (byte) width;
        this.count = count;
        this.table = table;
    }

    /** An empty set in the intset encoding (Redis's createIntsetObject). */
    public static SetValue emptyIntset() {
        return new SetValue(NONE, 2, 0, null);
    }

    /**
     * An intset from Redis's intset blob layout (an RDB file's or DUMP payload's): the
     * members packed little endian, {@code width} bytes each, ascending and distinct
     * (the caller has checked that), keeping the blob's width as Redis does.
     */
    public static SetValue intsetOf(byte[] contents, int width, int count) {
        return new SetValue(contents, width, count, null);
    }

    /** An empty hashtable-encoded set, sized for {@code expected} members. */
    public static SetValue emptyTable(int expected) {
        return new SetValue(null, 2, 0, new SetTable(expected));
    }

    /**
     * An empty set in the encoding able to hold {@code member} (Redis's setTypeCreate): an
     * intset for an integer, a table for anything else.
     */
    public static SetValue forFirstMember(byte[] member) {
        return isInteger(member) ? emptyIntset() : emptyTable(0);
    }

    /** Whether Redis would hold this member in an intset (string2ll accepts it). */
    public static boolean isInteger(byte[] member) {
        return Numbers.parseStrictLong(member) != null;
    }

    @Override
    public ValueType type() {
        return ValueType.SET;
    }

    @Override
    public String encoding() {
        return ints != null ? "intset" : "hashtable";
    }

    public boolean isIntset() {
        return ints != null;
    }

    @Override
    public long size() {
        return ints != null ? count : table.size();
    }

    @Override
    public SetValue copy() {
        return ints != null ? new SetValue(Arrays.copyOf(ints, count * width), width, count, null)
                : new SetValue(null, width, 0, table.copy());
    }

    // ---- membership ------------------------------------------------------------------

    public boolean contains(byte[] member) {
        if (table != null) return table.contains(member);
        Long integer = Numbers.parseStrictLong(member);
        return integer != null && intsetContains(integer);
    }

    /** Membership of a member as {@link Members} gives it: its bytes, or null and the integer. */
    public boolean contains(byte[] member, long integer) {
        if (member != null) return contains(member);
        return ints != null ? intsetContains(integer) : table.containsInteger(integer);
    }

    // ---- changes ---------------------------------------------------------------------

    /**
     * Adds the member (the set may keep the array); false when it was present. An intset
     * becomes a table when the member is not an integer or the set grows past
     * {@code maxIntsetEntries} (Redis's setTypeAdd).
     */
    public boolean add(byte[] member, long maxIntsetEntries) {
        if (table != null) return table.add(member);
        Long integer = Numbers.parseStrictLong(member);
        if (integer == null) {
            convertToTable();
            return table.add(member);
        }
        return addInteger(integer, maxIntsetEntries);
    }

    /** Adds a member as {@link Members} gives it: its bytes, or null and the integer. */
    public boolean add(byte[] member, long integer, long maxIntsetEntries) {
        return member != null ? add(member, maxIntsetEntries) : addInteger(integer, maxIntsetEntries);
    }

    private boolean addInteger(long value, long maxIntsetEntries) {
        if (table != null) return table.addInteger(value);
        if (!intsetAdd(value)) return false;
        if (count > Math.min(maxIntsetEntries, INTSET_LIMIT)) convertToTable();
        return true;
    }

    /** Removes the member; false when it was absent. */
    public boolean remove(byte[] member) {
        if (table != null) return table.remove(member);
        Long integer = Numbers.parseStrictLong(member);
        return integer != null && intsetRemove(integer);
    }

    /** Removes a member as {@link Members} gives it: its bytes, or null and the integer. */
    public boolean remove(byte[] member, long integer) {
        if (member != null) return remove(member);
        return ints != null ? intsetRemove(integer) : table.removeInteger(integer);
    }

    /** A random member; the set must not be empty. */
    public byte[] random() {
        return ints != null ? Strings.integer(intsetRandom()) : table.random(false);
    }

    /** Removes a random member and returns it (SPOP); the set must not be empty. */
    public byte[] pop() {
        if (table != null) return table.random(true);
        long value = intsetRandom();
        intsetRemove(value);
        return Strings.integer(value);
    }

    /** The intset to table conversion, the table sized for the members (setTypeConvert). */
    private void convertToTable() {
        SetTable t = new SetTable(count);
        for (int i = 0; i < count; i++) t.addInteger(intsetGet(i));
        table = t;
        ints = null;
        count = 0;
    }

    // ---- the intset encoding ---------------------------------------------------------

    /** The width a value needs: the smallest of 2, 4, 8 bytes that holds it. */
    private static int widthOf(long value) {
        if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) return 2;
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) return 4;
        return 8;
    }

    /** The intset member at a position in ascending order. */
    private long intsetGet(int index) {
        return read(ints, width, index);
    }

    private boolean intsetContains(long value) {
        return widthOf(value) <= width && intsetSearch(value) >= 0;
    }

    /** An intset member picked uniformly at random (Redis's intsetRandom). */
    private long intsetRandom() {
        return intsetGet(ThreadLocalRandom.current().nextInt(count));
    }

    private boolean intsetAdd(long value) {
        int needed = widthOf(value);
        if (needed > width) {
            widen(needed, value);
            return true;
        }
        int at = intsetSearch(value);
        if (at >= 0) return false;
        int insertion = -at - 1;
        int needBytes = (count + 1) * width;
        if (needBytes > ints.length) ints = Arrays.copyOf(ints, Math.max(needBytes, ints.length + (ints.length >> 1)));
        System.arraycopy(ints, insertion * width, ints, (insertion + 1) * width, (count - insertion) * width);
        write(ints, width, insertion, value);
        count++;
        return true;
    }

    private boolean intsetRemove(long value) {
        if (widthOf(value) > width) return false;
        int at = intsetSearch(value);
        if (at < 0) return false;
        System.arraycopy(ints, (at + 1) * width, ints, at * width, (count - at - 1) * width);
        count--;
        // Give back room once three quarters of the array are unused.
        if (ints.length > 64 && count * width < ints.length / 4) ints = Arrays.copyOf(ints, count * width * 2);
        return true;
    }

    /** Position of the value, or (-(insertion point) - 1) as Arrays.binarySearch. */
    private int intsetSearch(long value) {
        int low = 0;
        int high = count - 1;
        if (count > 0) {
            // Values past either end are common (ascending inserts): answer them without a search.
            if (value > intsetGet(high)) return -(count + 1);
            if (value < intsetGet(0)) return -1;
        }
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long v = intsetGet(mid);
            if (v < value) low = mid + 1;
            else if (v > value) high = mid - 1;
            else return mid;
        }
        return -(low + 1);
    }

    /**
     * Rewrites every member at a wider width and adds the value that needed it: being out
     * of the old width's range, it is smaller or larger than every member.
     */
    private void widen(int newWidth, long value) {
        byte[] wider = new byte[(count + 1) * newWidth];
        int offset = value < 0 ? 1 : 0;
        for (int i = 0; i < count; i++) write(wider, newWidth, i + offset, intsetGet(i));
        write(wider, newWidth, value < 0 ? 0 : count, value);
        ints = wider;
        width = (byte) newWidth;
        count++;
    }

    private static long read(byte[] data, int width, int index) {
        return switch (width) {
            case 2 -> (short) SHORTS.get(data, index * 2);
            case 4 -> (int) INTS.get(data, index * 4);
            default -> (long) LONGS.get(data, index * 8);
        };
    }

    private static void write(byte[] data, int width, int index, long value) {
        switch (width) {
            case 2 -> SHORTS.set(data, index * 2, (short) value);
            case 4 -> INTS.set(data, index * 4, (int) value);
            default -> LONGS.set(data, index * 8, value);
        }
    }

    // ---- iteration -------------------------------------------------------------------

    /** Visits every member: ascending for an intset, bucket order for a table. */
    public void forEach(Consumer<byte[]> action) {
        for (Members m = members(); m.next(); ) action.accept(m.bytes());
    }

    /** An iterator over the members in the order of {@link #forEach}; the set must not change meanwhile. */
    public Members members() {
        return new Members(this);
    }

    /**
     * Iterates a set's members (Redis's setTypeIterator): {@link #next} moves to the next
     * member, then {@link #member} is its bytes, or null when it is the integer
     * {@link #integer}.
     */
    public static final class Members {
        private final SetValue set;
        private final SetTable table;
        /** The intset position, or the table bucket. */
        private int position = -1;
        /** The bucket's chain being walked, and the position in it. */
        private Object[] chain;
        private int inChain;
        private byte[] member;
        private long integer;

        private Members(SetValue set) {
            this.set = set;
            this.table = set.table;
        }

        public boolean next() {
            if (table == null) {
                if (++position >= set.count) return false;
                integer = set.intsetGet(position);
                return true;
            }
            Object entry;
            if (chain != null && ++inChain < chain.length) {
                entry = chain[inChain];
            } else {
                chain = null;
                Object slot = null;
                while (slot == null) {
                    if (++position >= table.buckets()) return false;
                    slot = table.bucket(position);
                }
                if (slot instanceof Object[] c) {
                    chain = c;
                    inChain = 0;
                    entry = c[0];
                } else {
                    entry = slot;
                }
            }
            if (entry instanceof Long l) {
                member = null;
                integer = l;
            } else {
                member = (byte[]) entry;
            }
            return true;
        }

        /** The member's bytes, or null when it is an integer. */
        public byte[] member() {
            return member;
        }

        /** The member when {@link #member} is null. */
        public long integer() {
            return integer;
        }

        /** The member's bytes in either case (a new or shared array for an integer). */
        public byte[] bytes() {
            return member != null ? member : Strings.integer(integer);
        }
    }

    /**
     * One step of SSCAN over a table (see {@link SetTable#scan}); an intset has no cursor
     * and emits everything at once, returning 0.
     */
    public long scan(long cursor, Consumer<byte[]> emit) {
        if (table != null) return table.scan(cursor, emit);
        forEach(emit);
        return 0;
    }

    // ---- sizes for MEMORY USAGE -----------------------------------------------------

    /** Buckets of the table; 0 for an intset. */
    public int buckets() {
        return table != null ? table.buckets() : 0;
    }

    /**
     * Redis's intset blob for this intset (RDB and DUMP carry it as is): the width and
     * the count as 32-bit little-endian numbers, then the packed members.
     */
    public byte[] intsetBlob() {
        byte[] blob = new byte[8 + count * width];
        INTS.set(blob, 0, (int) width);
        INTS.set(blob, 4, count);
        System.arraycopy(ints, 0, blob, 8, count * width);
        return blob;
    }

    /** Bytes of Redis's intset blob (an 8-byte header and the packed members); 0 for a table. */
    public long intsetBytes() {
        return ints != null ? 8L + (long) count * width : 0;
    }
}
