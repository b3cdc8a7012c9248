package dev.cairn.persistence;

import dev.cairn.protocol.Numbers;
import dev.cairn.types.StreamValue;
import java.util.Arrays;

/**
 * A stream node as the listpack Redis keeps (and saves) for it: the master entry
 * ({@code count, deleted, num-fields, field..., 0}), then per entry {@code flags,
 * ms-diff, seq-diff}, the values alone when the entry has the master's fields (flag
 * SAMEFIELDS) or else {@code num-fields} and the fields and values, and last
 * {@code lp-count}, the number of elements before it in the entry.
 */
final class StreamListpacks {
    private StreamListpacks() {}

    static byte[] encode(StreamValue.Node node) {
        RedisListpack.Builder lp = new RedisListpack.Builder();
        lp.addInteger(node.live());
        lp.addInteger(node.deletedCount());
        lp.addInteger(node.masterFields.length);
        for (byte[] f : node.masterFields) lp.add(f);
        lp.addInteger(0);
        for (int i = 0; i < node.count(); i++) {
            int flags = node.flags(i);
            lp.addInteger(flags);
            lp.addInteger(node.ms(i) - node.masterMs);
            lp.addInteger(node.seq(i) - node.masterSeq);
            int elements = node.elements(i);
            int fields = elements / 2;
            if ((flags & StreamValue.SAME_FIELDS) != 0) {
                for (int j = 1; j < elements; j += 2) lp.add(node.element(i, j));
                lp.addInteger(fields + 3);
            } else {
                lp.addInteger(fields);
                for (int j = 0; j < elements; j++) lp.add(node.element(i, j));
                lp.addInteger(2L * fields + 4);
            }
        }
        return lp.finish();
    }

    /**
     * A node from its master ID and listpack, checked as Redis's stream listpack validation
     * does (its master counts give the number of entries, not their split; the header's
     * element count is not checked).
     */
    static StreamValue.Node decode(long masterMs, long masterSeq, byte[] listpack) throws RdbFormatException {
        byte[][] e = RedisListpack.decode(listpack, false);
        if (e.length == 0) throw new RdbFormatException("Empty listpack inside stream");
        int p = 0;
        long live = integer(e, p++);
        long deleted = integer(e, p++);
        long masterFields = integer(e, p++);
        if (masterFields < 0 || p + masterFields >= e.length) throw bad();
        byte[][] fields = Arrays.copyOfRange(e, p, p + (int) masterFields);
        p += (int) masterFields;
        if (integer(e, p++) != 0) throw bad();
        StreamValue.Node node = new StreamValue.Node(masterMs, masterSeq, fields);
        for (long left = live + deleted; left > 0; left--) {
            if (p >= e.length) throw bad();
            int start = p;
            long flags = integer(e, p++);
            long ms = masterMs + integer(e, p++);
            long seq = masterSeq + integer(e, p++);
            byte[][] fv;
            if ((flags & StreamValue.SAME_FIELDS) != 0) {
                if (p + masterFields > e.length) throw bad();
                fv = new byte[(int) masterFields * 2][];
                for (int k = 0; k < masterFields; k++) {
                    fv[2 * k] = fields[k];
                    fv[2 * k + 1] = e[p++];
                }
            } else {
                long n = integer(e, p++);
                if (n < 0 || p + 2 * n > e.length) throw bad();
                fv = Arrays.copyOfRange(e, p, p + (int) (2 * n));
                p += (int) (2 * n);
            }
            if (integer(e, p++) != p - start - 1) throw bad();
            node.append(ms, seq, (int) flags & StreamValue.DELETED, fv);
        }
        if (p != e.length) throw bad();
        node.shrinkToFit();
        return node;
    }

    private static long integer(byte[][] e, int i) throws RdbFormatException {
        if (i >= e.length) throw bad();
        Long v = Numbers.parseStrictLong(e[i]);
        if (v == null) throw bad();
        return v;
    }

    private static RdbFormatException bad() {
        return new RdbFormatException("Stream listpack integrity check failed.");
    }
}
