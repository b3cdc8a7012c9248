package dev.cairn.types;

import java.util.function.BiConsumer;

/**
 * A hash: field to value, both byte strings. Small hashes are a {@link Listpack} of
 * field, value, field, value... ("listpack"); a hash converts to a {@link MemberTable}
 * ("hashtable") once it has more fields than {@code hash-max-listpack-entries} or a field
 * or value longer than {@code hash-max-listpack-value}, and never converts back, as in
 * Redis. The thresholds are passed in by the commands, which read them from the config.
 *
 * <p>A small hash keeps only the listpack's packed array (and its entry count) and works
 * on it through a short-lived {@link Listpack}: a small hash then costs this object and
 * one array, which is most of the memory of a server holding millions of small hashes.
 */
public final class HashValue implements CollectionValue {
    /** Redis's LISTPACK_MAX_SAFETY_SIZE. */
    private static final long LISTPACK_SAFETY_SIZE = 1L << 30;

    private static final byte[] NO_ENTRIES = new byte[0];

    /** The listpack's packed array while compact, else a {@code MemberTable<byte[]>}. */
    private Object data;
    /** The listpack's entry count (twice the fields) while compact. */
    private int entries;

    public HashValue() {
        this.data = NO_ENTRIES;
    }

    private HashValue(Object data, int entries) {
        this.data = data;
        this.entries = entries;
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return data instanceof byte[] ? "listpack" : "hashtable";
    }

    @Override
    public long size() {
        return data instanceof byte[] ? entries / 2 : table().size();
    }

    @Override
    public HashValue copy() {
        // Arrays are never written in place (a change makes new ones), so copies share them.
        if (data instanceof byte[]) return new HashValue(data, entries);
        MemberTable<byte[]> source = table();
        MemberTable<byte[]> copy = new MemberTable<>(source.size());
        source.forEach(copy::insert);
        return new HashValue(copy, 0);
    }

    /**
     * The listpack while the hash is compact, else null. For reading: changes made
     * through it are not kept.
     */
    public Listpack listpack() {
        return data instanceof byte[] packed ? Listpack.of(packed, entries) : null;
    }

    /** Keeps a changed listpack's array and count. */
    private void keep(Listpack lp) {
        data = lp.array();
        entries = lp.count();
    }

    /** The table once converted, else null. */
    @SuppressWarnings("unchecked")
    public MemberTable<byte[]> table() {
        return data instanceof MemberTable<?> t ? (MemberTable<byte[]>) t : null;
    }

    // ---- reading ---------------------------------------------------------------------

    /** The listpack offset of the field's value, or -1 when absent (compact hashes only). */
    private static int valueOffset(Listpack lp, byte[] field) {
        int at = lp.find(field, lp.first(), 2);
        return at < 0 ? -1 : lp.next(at);
    }

    /** The value of the field, or null. A copy for a compact hash. */
    public byte[] get(byte[] field) {
        Listpack lp = listpack();
        if (lp != null) {
            int at = valueOffset(lp, field);
            return at < 0 ? null : lp.get(at);
        }
        return table().get(field);
    }

    /**
     * Hands the field's value to {@code reader} as (array, offset, length) without
     * copying; returns false (and calls nothing) when the field is absent.
     */
    public boolean read(byte[] field, ValueReader reader) {
        Listpack lp = listpack();
        if (lp != null) {
            int at = valueOffset(lp, field);
            if (at < 0) return false;
            reader.accept(lp.array(), lp.start(at), lp.length(at));
            return true;
        }
        byte[] v = table().get(field);
        if (v == null) return false;
        reader.accept(v, 0, v.length);
        return true;
    }

    /** A byte range of an array, read in place. */
    public interface ValueReader {
        void accept(byte[] array, int offset, int length);
    }

    public boolean contains(byte[] field) {
        Listpack lp = listpack();
        if (lp != null) return lp.find(field, lp.first(), 2) >= 0;
        return table().contains(field);
    }

    /** Length of the field's value, 0 when absent (HSTRLEN). */
    public int valueLength(byte[] field) {
        Listpack lp = listpack();
        if (lp != null) {
            int at = valueOffset(lp, field);
            return at < 0 ? 0 : lp.length(at);
        }
        byte[] v = table().get(field);
        return v == null ? 0 : v.length;
    }

    /** Visits every field and value (copies for a compact hash); no changes during the visit. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        Listpack lp = listpack();
        if (lp != null) {
            for (int at = lp.first(); at < lp.end(); ) {
                int value = lp.next(at);
                action.accept(lp.get(at), lp.get(value));
                at = lp.next(value);
            }
        } else {
            table().forEach(action);
        }
    }

    // ---- changing --------------------------------------------------------------------

    /**
     * Redis's hashTypeTryConversion: converts a compact hash before a write whose
     * arguments {@code args[from..to]} include one longer than {@code maxValue}, or
     * would take the listpack past the 1 GB Redis allows one to grow to.
     */
    public void convertForArguments(byte[][] args, int from, int to, long maxValue) {
        Listpack lp = listpack();
        if (lp == null) return;
        long sum = 0;
        for (int i = from; i <= to; i++) {
            if (args[i].length > maxValue) {
                convert();
                return;
            }
            sum += args[i].length;
        }
        if (lp.bytes() + sum > LISTPACK_SAFETY_SIZE) convert();
    }

    /**
     * Sets the field to the value; true when the field is new. A compact hash converts
     * first if the field or value is longer than {@code maxValue}, and afterwards if it
     * has more than {@code maxEntries} fields (Redis's hashTypeSet). The hash keeps
     * the arrays, which must not be changed afterwards.
     */
    public boolean set(byte[] field, byte[] value, long maxEntries, long maxValue) {
        if (data instanceof byte[] && (field.length > maxValue || value.length > maxValue)) convert();
        Listpack lp = listpack();
        if (lp != null) {
            int at = lp.find(field, lp.first(), 2);
            boolean added = at < 0;
            if (added) lp.append(field, value);
            else lp.replace(lp.next(at), value);
            keep(lp);
            // Checked after an update too: a limit lowered by CONFIG SET applies at the next write.
            if (lp.count() / 2 > maxEntries) convert();
            return added;
        }
        return table().put(field, value);
    }

    /** Removes the field; true when it was present. */
    public boolean delete(byte[] field) {
        Listpack lp = listpack();
        if (lp != null) {
            int at = lp.find(field, lp.first(), 2);
            if (at < 0) return false;
            lp.delete(at, 2);
            keep(lp);
            return true;
        }
        return table().remove(field) != null;
    }

    /** Listpack to table, sized for the fields so that filling it never resizes. */
    private void convert() {
        Listpack lp = listpack();
        MemberTable<byte[]> table = new MemberTable<>(lp.count() / 2);
        for (int at = lp.first(); at < lp.end(); ) {
            int value = lp.next(at);
            table.insert(lp.get(at), lp.get(value));
            at = lp.next(value);
        }
        data = table;
        entries = 0;
    }
}
