package dev.cairn.protocol;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting exactly as Redis 7.0 prints numbers, which follows C's printf rather
 * than Java's {@code Double.toString}: {@code %.17g} for scores and doubles in replies,
 * {@code %.17Lf} with trailing zeros removed for INCRBYFLOAT results.
 */
public final class NumberFormat {
    private NumberFormat() {}

    /** C's {@code printf("%.17g", d)} with Redis's spelling of the infinities. */
    public static String humanDouble(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        // An integer of at most 17 digits prints as itself (sorted set scores mostly are).
        if (d != 0 && d > -1e17 && d < 1e17 && d == (long) d) return Long.toString((long) d);
        return formatG(d, 17);
    }

    /** The text after {@code ,} in a RESP3 double reply. */
    public static String resp3Double(double d) {
        return humanDouble(d);
    }

    /**
     * Redis's {@code d2string}: integral values in the exactly-representable range print
     * as integers, {@code -0} keeps its sign, everything else is {@code %.17g}.
     */
    public static String d2string(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1.0 / d < 0) ? "-0" : "0";
        if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) {
            return Long.toString((long) d);
        }
        return formatG(d, 17);
    }

    /**
     * Redis's {@code LD_STR_HUMAN} form of a long double: {@code %.17Lf} with trailing
     * zeros and a trailing dot removed, and {@code -0} printed as {@code 0}. The argument
     * is the exact value of the long double ({@link LongDouble#exact()}), so rounding it
     * to 17 decimals, ties to even, gives the digits glibc's printf gives.
     */
    public static String humanLongDouble(BigDecimal value) {
        String s = value.setScale(17, RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
            s = s.substring(0, end);
        }
        return s.equals("-0") ? "0" : s;
    }

    /** C's {@code %.<precision>g} for a finite double. */
    public static String formatG(double d, int precision) {
        if (d == 0) return (1.0 / d < 0) ? "-0" : "0";
        BigDecimal rounded = new BigDecimal(d).round(new MathContext(precision, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= precision) {
            BigDecimal mantissa = rounded.movePointLeft(exponent);
            String m = stripZeros(mantissa.toPlainString());
            String sign = exponent < 0 ? "-" : "+";
            int abs = Math.abs(exponent);
            return m + "e" + sign + (abs < 10 ? "0" : "") + abs;
        }
        return stripZeros(rounded.toPlainString());
    }

    private static String stripZeros(String s) {
        if (s.indexOf('.') < 0) return s;
        int end = s.length();
        while (s.charAt(end - 1) == '0') end--;
        if (s.charAt(end - 1) == '.') end--;
        return s.substring(0, end);
    }
}
