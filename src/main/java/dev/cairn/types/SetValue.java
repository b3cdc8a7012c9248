package dev.cairn.types;

import dev.cairn.protocol.Numbers;
import java.util.function.Consumer;

/**
 * A set value, in Redis 7.0's two encodings: "intset" ({@link IntSet}) while every member is
 * an integer and there are at most set-max-intset-entries of them, "hashtable"
 * ({@link SetTable}) otherwise. The conversion is one-way, as in Redis: a set that once
 * needed a table keeps it even when its members would fit an intset again.
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

    /** The members while the encoding is "intset"; null once it is "hashtable". */
    private IntSet ints;
    private SetTable table;

    private SetValue(IntSet ints, SetTable table) {
        this.ints = ints;
        this.table = table;
    }

    /** An empty set in the intset encoding (Redis's createIntsetObject). */
    public static SetValue emptyIntset() {
        return new SetValue(new IntSet(), null);
    }

    /** An empty hashtable-encoded set, sized for {@code expected} members. */
    public static SetValue emptyTable(int expected) {
        return new SetValue(null, new SetTable(expected));
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
        return ints != null ? ints.size() : table.size();
    }

    @Override
    public SetValue copy() {
        return ints != null ? new SetValue(ints.copy(), null) : new SetValue(null, table.copy());
    }

    // ---- membership ------------------------------------------------------------------

    public boolean contains(byte[] member) {
        if (table != null) return table.contains(member);
        Long integer = Numbers.parseStrictLong(member);
        return integer != null && ints.contains(integer);
    }

    /** Membership of a member as {@link Members} gives it: its bytes, or null and the integer. */
    public boolean contains(byte[] member, long integer) {
        if (member != null) return contains(member);
        return ints != null ? ints.contains(integer) : table.containsInteger(integer);
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
        if (!ints.add(value)) return false;
        if (ints.size() > Math.min(maxIntsetEntries, INTSET_LIMIT)) convertToTable();
        return true;
    }

    /** Removes the member; false when it was absent. */
    public boolean remove(byte[] member) {
        if (table != null) return table.remove(member);
        Long integer = Numbers.parseStrictLong(member);
        return integer != null && ints.remove(integer);
    }

    /** Removes a member as {@link Members} gives it: its bytes, or null and the integer. */
    public boolean remove(byte[] member, long integer) {
        if (member != null) return remove(member);
        return ints != null ? ints.remove(integer) : table.removeInteger(integer);
    }

    /** A random member; the set must not be empty. */
    public byte[] random() {
        return ints != null ? Strings.integer(ints.random()) : table.random(false);
    }

    /** Removes a random member and returns it (SPOP); the set must not be empty. */
    public byte[] pop() {
        if (table != null) return table.random(true);
        long value = ints.random();
        ints.remove(value);
        return Strings.integer(value);
    }

    /** The intset to table conversion, the table sized for the members (setTypeConvert). */
    private void convertToTable() {
        SetTable t = new SetTable(ints.size());
        for (int i = 0; i < ints.size(); i++) t.addInteger(ints.get(i));
        table = t;
        ints = null;
    }

    // ---- iteration -------------------------------------------------------------------

    /** Visits every member: ascending for an intset, bucket order for a table. */
    public void forEach(Consumer<byte[]> action) {
        for (Members m = members(); m.next(); ) action.accept(m.bytes());
    }

    /** An iterator over the members in the order of {@link #forEach}; the set must not change meanwhile. */
    public Members members() {
        return new Members(ints, table);
    }

    /**
     * Iterates a set's members (Redis's setTypeIterator): {@link #next} moves to the next
     * member, then {@link #member} is its bytes, or null when it is the integer
     * {@link #integer}.
     */
    public static final class Members {
        private final IntSet ints;
        private final SetTable table;
        /** The intset position, or the table bucket. */
        private int position = -1;
        /** The bucket's chain being walked, and the position in it. */
        private Object[] chain;
        private int inChain;
        private byte[] member;
        private long integer;

        private Members(IntSet ints, SetTable table) {
            this.ints = ints;
            this.table = table;
        }

        public boolean next() {
            if (ints != null) {
                if (++position >= ints.size()) return false;
                integer = ints.get(position);
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

    /** Bytes of Redis's intset blob; 0 for a table. */
    public long intsetBytes() {
        return ints != null ? ints.blobLength() : 0;
    }
}
