package dev.cairn.types;

import java.util.Arrays;

/**
 * A member interval of ZRANGEBYLEX, ZLEXCOUNT, ZREMRANGEBYLEX (Redis's zlexrangespec):
 * each end is {@code -} (before every string), {@code +} (after every string), or bytes
 * that are included ({@code [a}) or excluded ({@code (a}). The open ends count as
 * exclusive, which makes "- -" and "+ +" empty, as in Redis.
 */
public final class LexRange {
    /** The "-" and "+" ends, told apart from real strings by identity. */
    private static final byte[] MINUS = new byte[0];
    private static final byte[] PLUS = new byte[0];

    private final byte[] min;
    private final boolean minExclusive;
    private final byte[] max;
    private final boolean maxExclusive;

    private LexRange(byte[] min, boolean minExclusive, byte[] max, boolean maxExclusive) {
        this.min = min;
        this.minExclusive = minExclusive;
        this.max = max;
        this.maxExclusive = maxExclusive;
    }

    /** Redis's zslParseLexRange; null for "min or max not valid string range item". */
    public static LexRange parse(byte[] minArg, byte[] maxArg) {
        byte[] lo = bound(minArg);
        byte[] hi = bound(maxArg);
        if (lo == null || hi == null) return null;
        return new LexRange(lo, minArg[0] != '[', hi, maxArg[0] != '[');
    }

    /**
     * One end: '+' or '-' alone (C reads up to a NUL, so "+\0x" is "+" too), or '(' / '['
     * and the bytes after it.
     */
    private static byte[] bound(byte[] arg) {
        if (arg.length == 0) return null;
        return switch (arg[0]) {
            case '+' -> arg.length == 1 || arg[1] == 0 ? PLUS : null;
            case '-' -> arg.length == 1 || arg[1] == 0 ? MINUS : null;
            case '(', '[' -> Arrays.copyOfRange(arg, 1, arg.length);
            default -> null;
        };
    }

    /** True when no string can be in the range (Redis's first test in zslIsInLexRange). */
    public boolean isEmpty() {
        int cmp = compareBounds(min, max);
        return cmp > 0 || (cmp == 0 && (minExclusive || maxExclusive));
    }

    /** True when the member is not below the start. */
    public boolean aboveMin(byte[] member) {
        return aboveMin(member, 0, member.length);
    }

    public boolean aboveMin(byte[] buf, int offset, int length) {
        int cmp = compare(buf, offset, length, min);
        return minExclusive ? cmp > 0 : cmp >= 0;
    }

    /** True when the member is not past the end. */
    public boolean belowMax(byte[] member) {
        return belowMax(member, 0, member.length);
    }

    public boolean belowMax(byte[] buf, int offset, int length) {
        int cmp = compare(buf, offset, length, max);
        return maxExclusive ? cmp < 0 : cmp <= 0;
    }

    private static int compare(byte[] buf, int offset, int length, byte[] bound) {
        if (bound == MINUS) return 1;
        if (bound == PLUS) return -1;
        return Arrays.compareUnsigned(buf, offset, offset + length, bound, 0, bound.length);
    }

    private static int compareBounds(byte[] a, byte[] b) {
        if (a == b) return 0;
        if (a == MINUS || b == PLUS) return -1;
        if (a == PLUS || b == MINUS) return 1;
        return Arrays.compareUnsigned(a, b);
    }
}
