package dev.cairn.types;

import dev.cairn.protocol.Strtod;

/**
 * A score interval of ZRANGEBYSCORE, ZCOUNT, ZREMRANGEBYSCORE...: each end inclusive, or
 * exclusive when written with a leading '(' (Redis's zrangespec).
 */
public record ScoreRange(double min, boolean minExclusive, double max, boolean maxExclusive) {
    /** Parses min and max as Redis's zslParseRange does; null when either is not a float. */
    public static ScoreRange parse(byte[] min, byte[] max) {
        boolean minEx = min.length > 0 && min[0] == '(';
        boolean maxEx = max.length > 0 && max[0] == '(';
        double lo = Strtod.parseRangeBound(min, minEx ? 1 : 0);
        double hi = Strtod.parseRangeBound(max, maxEx ? 1 : 0);
        if (Double.isNaN(lo) || Double.isNaN(hi)) return null;
        return new ScoreRange(lo, minEx, hi, maxEx);
    }

    /** True when the score is not below the interval's start. */
    public boolean aboveMin(double score) {
        return minExclusive ? score > min : score >= min;
    }

    /** True when the score is not past the interval's end. */
    public boolean belowMax(double score) {
        return maxExclusive ? score < max : score <= max;
    }
}
