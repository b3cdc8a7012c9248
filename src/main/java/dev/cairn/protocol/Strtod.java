package dev.cairn.protocol;

import java.nio.charset.StandardCharsets;

/**
 * C's {@code strtod} (glibc, C locale) over argument bytes, in the two ways Redis uses it
 * for sorted-set scores:
 *
 * <ul>
 *   <li>{@link #parseStrict}: Redis's getDoubleFromObject (ZADD and ZINCRBY scores,
 *       WEIGHTS): the whole argument must be the number, no leading space, no NaN, and a
 *       result that overflows or underflows to zero is refused (strtod's ERANGE);
 *   <li>{@link #parseRangeBound}: zslParseRange (ZRANGEBYSCORE's min and max): leading
 *       spaces allowed, the number may end at a NUL byte, an empty text is 0, overflow
 *       gives an infinity; only NaN and trailing bytes are refused;
 *   <li>{@link #parseSortWeight}: SORT's weights: as a range bound, but overflow and
 *       underflow (ERANGE) are refused too.
 * </ul>
 *
 * Both accept what strtod accepts: decimal and hexadecimal ({@code 0x1.8p3}) numbers and
 * {@code inf}/{@code infinity} in any case. Java's parser rounds correctly, as glibc does.
 */
public final class Strtod {
    private Strtod() {}

    /**
     * Redis's getDoubleFromObject; NaN when the argument is not such a number (NaN itself
     * is never accepted, so it can say "no number" without boxing).
     */
    public static double parseStrict(byte[] s) {
        if (s.length == 0 || isSpace(s[0])) return Double.NaN;
        if (isPlainInteger(s)) return plainInteger(s);
        Scan scan = new Scan(s);
        double v = scan.run(0);
        if (scan.end != s.length || scan.outOfRange) return Double.NaN;
        return v;
    }

    /**
     * C's {@code strtod(s, NULL)}: the number at the start of the text, whatever follows,
     * or {@code none} when the text does not start with one (strtod's 0 for the scores
     * Redis stores in a listpack, NaN to tell sscanf's failure for the old RDB scores).
     */
    public static double prefix(byte[] s, double none) {
        Scan scan = new Scan(s);
        double v = scan.run(0);
        return scan.end == 0 ? none : v;
    }

    /**
     * A score range bound after its optional '(' at {@code from}; NaN when Redis says
     * "min or max is not a float".
     */
    public static double parseRangeBound(byte[] s, int from) {
        Scan scan = new Scan(s);
        double v = scan.run(from);
        if (scan.end < s.length && s[scan.end] != 0) return Double.NaN;
        return v;
    }

    /**
     * A SORT weight (an element, or a BY key's value) as SORT reads it: leading spaces
     * allowed, ending at the end or a NUL byte, an empty text is 0; NaN when Redis says
     * "One or more scores can't be converted into double".
     */
    public static double parseSortWeight(byte[] s) {
        Scan scan = new Scan(s);
        double v = scan.run(0);
        if ((scan.end < s.length && s[scan.end] != 0) || scan.outOfRange) return Double.NaN;
        return v;
    }

    /** The common case: digits with an optional minus, no exponent, at most 18 digits. */
    private static boolean isPlainInteger(byte[] s) {
        int i = s[0] == '-' ? 1 : 0;
        int digits = s.length - i;
        if (digits < 1 || digits > 18) return false;
        for (; i < s.length; i++) {
            if (s[i] < '0' || s[i] > '9') return false;
        }
        return true;
    }

    /** The value of a plain integer, read without building a String. */
    private static double plainInteger(byte[] s) {
        long v = 0;
        for (int i = s[0] == '-' ? 1 : 0; i < s.length; i++) v = v * 10 + (s[i] - '0');
        // "-0" is negative zero, as strtod reads it.
        return s[0] == '-' ? -(double) v : (double) v;
    }

    static boolean isSpace(byte b) {
        return b == ' ' || (b >= '\t' && b <= '\r');
    }

    /** One strtod call: the value, where it stopped, and whether it reported ERANGE. */
    private static final class Scan {
        private final byte[] s;
        int end;
        boolean outOfRange;

        Scan(byte[] s) {
            this.s = s;
        }

        double run(int from) {
            int p = from;
            while (p < s.length && isSpace(s[p])) p++;
            boolean negative = false;
            if (p < s.length && (s[p] == '+' || s[p] == '-')) negative = s[p++] == '-';
            int special = matchWord(p, "infinity") ? 8 : matchWord(p, "inf") ? 3 : 0;
            if (special > 0) {
                end = p + special;
                return negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            if (matchWord(p, "nan")) {
                end = p + 3;
                // "nan(chars)" is one NaN too.
                if (end < s.length && s[end] == '(') {
                    int q = end + 1;
                    while (q < s.length && (Character.isLetterOrDigit(s[q]) || s[q] == '_')) q++;
                    if (q < s.length && s[q] == ')') end = q + 1;
                }
                return Double.NaN;
            }
            if (p + 1 < s.length && s[p] == '0' && (s[p + 1] == 'x' || s[p + 1] == 'X')) {
                double hex = hex(p + 2, negative);
                if (!Double.isNaN(hex)) return hex;
            }
            return decimal(p, negative, from);
        }

        private boolean matchWord(int p, String word) {
            if (p + word.length() > s.length) return false;
            for (int i = 0; i < word.length(); i++) {
                if ((s[p + i] | 0x20) != word.charAt(i)) return false;
            }
            return true;
        }

        /** Digits [. digits] [e exponent]; no digits at all means no conversion. */
        private double decimal(int p, boolean negative, int from) {
            int start = p;
            boolean nonZero = false;
            int digits = 0;
            while (p < s.length && isDigit(s[p])) {
                nonZero |= s[p] != '0';
                p++;
                digits++;
            }
            if (p < s.length && s[p] == '.') {
                p++;
                while (p < s.length && isDigit(s[p])) {
                    nonZero |= s[p] != '0';
                    p++;
                    digits++;
                }
            }
            if (digits == 0) {
                end = from;
                return 0;
            }
            int mantissaEnd = p;
            String exponent = "";
            if (p < s.length && (s[p] == 'e' || s[p] == 'E')) {
                int q = p + 1;
                int expStart = q;
                if (q < s.length && (s[q] == '+' || s[q] == '-')) q++;
                int firstDigit = q;
                while (q < s.length && isDigit(s[q])) q++;
                if (q > firstDigit) {
                    exponent = clampedExponent(expStart, q);
                    p = q;
                }
            }
            end = p;
            String text = new String(s, start, mantissaEnd - start, StandardCharsets.ISO_8859_1)
                    + (exponent.isEmpty() ? "" : "e" + exponent);
            double v = Double.parseDouble(text);
            outOfRange = Double.isInfinite(v) || (v == 0 && nonZero);
            return negative ? -v : v;
        }

        /** Hex digits [. hex digits] [p exponent]; NaN when no hex digit follows "0x". */
        private double hex(int p, boolean negative) {
            StringBuilder whole = new StringBuilder();
            StringBuilder fraction = new StringBuilder();
            while (p < s.length && isHexDigit(s[p])) whole.append((char) s[p++]);
            if (p < s.length && s[p] == '.') {
                int q = p + 1;
                while (q < s.length && isHexDigit(s[q])) fraction.append((char) s[q++]);
                if (whole.length() > 0 || fraction.length() > 0) p = q;
            }
            if (whole.length() == 0 && fraction.length() == 0) return Double.NaN;
            String exponent = "0";
            if (p < s.length && (s[p] == 'p' || s[p] == 'P')) {
                int q = p + 1;
                int expStart = q;
                if (q < s.length && (s[q] == '+' || s[q] == '-')) q++;
                int firstDigit = q;
                while (q < s.length && isDigit(s[q])) q++;
                if (q > firstDigit) {
                    exponent = clampedExponent(expStart, q);
                    p = q;
                }
            }
            end = p;
            boolean nonZero = (whole.toString() + fraction).chars().anyMatch(ch -> ch != '0');
            double v = Double.parseDouble("0x" + (whole.length() == 0 ? "0" : whole) + "."
                    + fraction + "p" + exponent);
            outOfRange = Double.isInfinite(v) || (v == 0 && nonZero);
            return negative ? -v : v;
        }

        /** An exponent's text, limited to a size Java parses (beyond it the result is 0 or inf anyway). */
        private String clampedExponent(int from, int to) {
            String e = new String(s, from, to - from, StandardCharsets.ISO_8859_1);
            boolean negative = e.startsWith("-");
            String digits = e.replaceFirst("^[+-]", "").replaceFirst("^0+(?=\\d)", "");
            if (digits.length() > 9) digits = "999999999";
            return (negative ? "-" : "") + digits;
        }

        private static boolean isDigit(byte b) {
            return b >= '0' && b <= '9';
        }

        private static boolean isHexDigit(byte b) {
            return isDigit(b) || (b >= 'a' && b <= 'f') || (b >= 'A' && b <= 'F');
        }
    }
}
