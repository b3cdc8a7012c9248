package dev.cairn.types;

import java.util.function.BiConsumer;

/**
 * A hash: field to value, both byte strings. Small hashes are a {@link Listpack} of
 * field, value, field, value... ("listpack"); a hash converts to a {@link MemberTable}
 * ("hashtable") once it has more fields than {@code hash-max-listpack-entries} or a field
 * or value longer than {@code hash-max-listpack-value}, and never converts back, as in
 * Redis. The thresholds are passed in by the commands, which read them from the config.
 *
 * <p>One field holds either representation, so a small hash costs this object, the
 * listpack object and its array: with millions of small hashes every reference counts.
 */
public final class HashValue implements CollectionValue {
    /** Redis's LISTPACK_MAX_SAFETY_SIZE. */
    private static final long LISTPACK_SAFETY_SIZE = 1L << 30;

    /** A {@link Listpack} while compact, else a {@code MemberTable<byte[]>}. */
    private Object data;

    public HashValue() {
        this.data = new Listpack();
    }

    private HashValue(Object data) {
        this.data = data;
    }

    @Override
    public ValueType type() {
        return ValueType.HASH;
    }

    @Override
    public String encoding() {
        return data instanceof Listpack ? "listpack" : "hashtable";
    }

    @Override
    public long size() {
        return data instanceof Listpack lp ? lp.count() / 2 : table().size();
    }

    @Override
    public HashValue copy() {
        if (data instanceof Listpack lp) return new HashValue(lp.copy());
        MemberTable<byte[]> source = table();
        MemberTable<byte[]> copy = new MemberTable<>(source.size());
        // Field and value arrays are never written in place, so the copy may share them.
        source.forEach(copy::insert);
        return new HashValue(copy);
    }

    /** The listpack while the hash is compact, else null. */
    public Listpack listpack() {
        return data instanceof Listpack lp ? lp : null;
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
        if (data instanceof Listpack lp) {
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
        if (data instanceof Listpack lp) {
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
        if (data instanceof Listpack lp) return lp.find(field, lp.first(), 2) >= 0;
        return table().contains(field);
    }

    /** Length of the field's value, 0 when absent (HSTRLEN). */
    public int valueLength(byte[] field) {
        if (data instanceof Listpack lp) {
            int at = valueOffset(lp, field);
            return at < 0 ? 0 : lp.length(at);
        }
        byte[] v = table().get(field);
        return v == null ? 0 : v.length;
    }

    /** Visits every field and value (copies for a compact hash); no changes during the visit. */
    public void forEach(BiConsumer<byte[], byte[]> action) {
        if (data instanceof Listpack lp) {
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
        if (!(data instanceof Listpack lp)) return;
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
        if (data instanceof Listpack && (field.length > maxValue || value.length > maxValue)) convert();
        if (data instanceof Listpack lp) {
            int at = lp.find(field, lp.first(), 2);
            boolean added = at < 0;
            if (added) lp.append(field, value);
            else lp.replace(lp.next(at), value);
            // Checked after an update too: a limit lowered by CONFIG SET applies at the next write.
            if (lp.count() / 2 > maxEntries) convert();
            return added;
        }
        return table().put(field, value);
    }

    /** Removes the field; true when it was present. */
    public boolean delete(byte[] field) {
        if (data instanceof Listpack lp) {
            int at = lp.find(field, lp.first(), 2);
            if (at < 0) return false;
            lp.delete(at, 2);
            return true;
        }
        return table().remove(field) != null;
    }

    /** Listpack to table, sized for the fields so that filling it never resizes. */
    private void convert() {
        Listpack lp = (Listpack) data;
        MemberTable<byte[]> table = new MemberTable<>(lp.count() / 2);
        for (int at = lp.first(); at < lp.end(); ) {
            int value = lp.next(at);
            table.insert(lp.get(at), lp.get(value));
            at = lp.next(value);
        }
        data = table;
    }
}
