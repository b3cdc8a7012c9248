package dev.cairn.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Reading numbers out of request arguments with exactly Redis's strictness: integers as
 * {@code string2ll} (no '+', no leading zeros, no spaces), doubles as {@code strtod} with
 * the whole argument consumed and no leading space. Returns null for "not a number" so
 * the caller picks the error text its command uses.
 */
public final class Numbers {
    private Numbers() {}

    private static final Pattern FLOAT = Pattern.compile(
            "[+-]?(?:(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?|(?i:inf|infinity|nan))");

    /** Redis's {@code string2ll}; null when the bytes are not a canonical 64-bit integer. */
    public static Long parseStrictLong(byte[] s) {
        int len = s.length;
        if (len == 0 || len > 20) return null;
        if (len == 1 && s[0] == '0') return 0L;
        int p = 0;
        boolean negative = false;
        if (s[0] == '-') {
            negative = true;
            p = 1;
            if (len == 1) return null;
        }
        if (s[p] < '1' || s[p] > '9') return null;
        if (len - p <= 18) {
            // Up to 18 digits cannot overflow: no division in the loop (this runs for every
            // INCR and every integer argument).
            long v = 0;
            for (; p < len; p++) {
                int d = s[p] - '0';
                if (d < 0 || d > 9) return null;
                v = v * 10 + d;
            }
            return negative ? -v : v;
        }
        long v = 0; // accumulated as a negative number so Long.MIN_VALUE fits
        for (; p < len; p++) {
            int d = s[p] - '0';
            if (d < 0 || d > 9) return null;
            if (v < (Long.MIN_VALUE + d) / 10) return null;
            v = v * 10 - d;
            if (v > 0) return null;
        }
        if (negative) return v;
        if (v == Long.MIN_VALUE) return null;
        return -v;
    }

    /** Redis's {@code strtod} check: a finite or infinite double, NaN rejected. */
    public static Double parseDouble(byte[] s) {
        if (s.length == 0 || s.length > 5000) return null;
        String text = new String(s, StandardCharsets.ISO_8859_1);
        if (!FLOAT.matcher(text).matches()) return null;
        double d = parseFloatText(text);
        return Double.isNaN(d) ? null : d;
    }

    /**
     * Redis's {@code strtold} check for INCRBYFLOAT and HINCRBYFLOAT, kept as an exact
     * decimal; infinities and NaN are null because those commands reject them.
     */
    public static BigDecimal parseLongDouble(byte[] s) {
        if (s.length == 0 || s.length > 5000) return null;
        String text = new String(s, StandardCharsets.ISO_8859_1);
        if (!FLOAT.matcher(text).matches()) return null;
        String lower = text.toLowerCase();
        if (lower.contains("inf") || lower.contains("nan")) return null;
        try {
            return new BigDecimal(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static double parseFloatText(String text) {
        String lower = text.toLowerCase();
        boolean negative = lower.startsWith("-");
        String body = (negative || lower.startsWith("+")) ? lower.substring(1) : lower;
        if (body.equals("inf") || body.equals("infinity")) {
            return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (body.equals("nan")) return Double.NaN;
        return Double.parseDouble(text);
    }

    /**
     * The decimal digits of {@code value} as bytes, written straight into an array of the
     * exact length (INCR and friends store their result this way on every call).
     */
    public static byte[] bytes(long value) {
        if (value == Long.MIN_VALUE) return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
        boolean negative = value < 0;
        long v = negative ? -value : value;
        int digits = 1;
        for (long t = v; t >= 10; t /= 10) digits++;
        byte[] out = new byte[digits + (negative ? 1 : 0)];
        for (int i = out.length - 1; i >= (negative ? 1 : 0); i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        if (negative) out[0] = '-';
        return out;
    }
}
