package dev.cairn.scripting;

import dev.cairn.protocol.NumberFormat;
import java.util.function.DoubleConsumer;

/** Numbers as Lua 5.1 and the C library read and print them (strtod, %.14g). */
final class LuaNumbers {
    private LuaNumbers() {}

    /** C's {@code %.<precision>g}, with C's spellings of the infinities and NaN. */
    static String formatG(double d, int precision) {
        if (Double.isNaN(d)) return (Double.doubleToRawLongBits(d) < 0) ? "-nan" : "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        return NumberFormat.formatG(d, precision);
    }

    /** How Lua turns a number into a string (LUAI_NUMFFORMAT, {@code %.14g}). */
    static String format(double d) {
        return formatG(d, 14);
    }

    /**
     * Lua's string-to-number conversion (luaO_str2d): strtod, or a hexadecimal integer,
     * with only blanks after it. Null when the text is not a number.
     */
    static Double parse(String s) {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        double[] v = new double[1];
        int end = strtod(b, 0, x -> v[0] = x);
        if (end == 0) return null;
        if (end < b.length && (b[end] == 'x' || b[end] == 'X')) {
            // strtoul with base 16 from the start
            int i = 0;
            while (i < b.length && isSpace(b[i])) i++;
            boolean neg = false;
            if (i < b.length && (b[i] == '-' || b[i] == '+')) neg = b[i++] == '-';
            if (i + 1 < b.length && b[i] == '0' && (b[i + 1] == 'x' || b[i + 1] == 'X')) i += 2;
            long n = 0;
            int start = i;
            while (i < b.length && Character.digit(b[i], 16) >= 0) n = n * 16 + Character.digit(b[i++], 16);
            if (i == start) return null;
            v[0] = neg ? -(double) n : (double) n;
            end = i;
        }
        while (end < b.length && isSpace(b[end])) end++;
        return end == b.length ? v[0] : null;
    }

    static boolean isSpace(int c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    /**
     * glibc's strtod over {@code s} from {@code from}: hands the value to {@code out} and
     * returns the index after the number, or {@code from} when there is none. The text
     * ends at a NUL byte, as a C string does.
     */
    static int strtod(byte[] s, int from, DoubleConsumer out) {
        int i = from;
        while (i < s.length && isSpace(s[i])) i++;
        boolean negative = false;
        if (i < s.length && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
        int body = i;
        if (matches(s, i, "infinity")) {
            out.accept(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            return i + 8;
        }
        if (matches(s, i, "inf")) {
            out.accept(negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
            return i + 3;
        }
        if (matches(s, i, "nan")) {
            int end = i + 3;
            if (end < s.length && s[end] == '(') {
                int j = end + 1;
                while (j < s.length && (Character.isLetterOrDigit(s[j]) || s[j] == '_')) j++;
                if (j < s.length && s[j] == ')') end = j + 1;
            }
            out.accept(Double.NaN);
            return end;
        }
        if (i + 1 < s.length && s[i] == '0' && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            int j = i + 2;
            StringBuilder digits = new StringBuilder();
            int mantissaDigits = 0;
            while (j < s.length && Character.digit(s[j], 16) >= 0) {
                digits.append((char) s[j++]);
                mantissaDigits++;
            }
            if (j < s.length && s[j] == '.') {
                digits.append('.');
                j++;
                while (j < s.length && Character.digit(s[j], 16) >= 0) {
                    digits.append((char) s[j++]);
                    mantissaDigits++;
                }
            }
            if (mantissaDigits == 0) {
                // Just the "0": the x is not part of the number.
                out.accept(negative ? -0.0 : 0.0);
                return i + 1;
            }
            int exponent = 0;
            int k = exponentEnd(s, j, 'p');
            if (k > j) {
                exponent = Integer.parseInt(new String(s, j + 1, k - j - 1, java.nio.charset.StandardCharsets.US_ASCII)
                        .replace("+", ""));
                j = k;
            }
            double v = Double.parseDouble("0x" + (digits.charAt(0) == '.' ? "0" : "") + digits + "p" + exponent);
            out.accept(negative ? -v : v);
            return j;
        }
        int j = i;
        int mantissaDigits = 0;
        while (j < s.length && s[j] >= '0' && s[j] <= '9') {
            j++;
            mantissaDigits++;
        }
        if (j < s.length && s[j] == '.') {
            j++;
            while (j < s.length && s[j] >= '0' && s[j] <= '9') {
                j++;
                mantissaDigits++;
            }
        }
        if (mantissaDigits == 0) return from;
        j = Math.max(j, exponentEnd(s, j, 'e'));
        String text = new String(s, body, j - body, java.nio.charset.StandardCharsets.US_ASCII);
        double v = Double.parseDouble(text.endsWith(".") ? text + "0" : text);
        out.accept(negative ? -v : v);
        return j;
    }

    /** The end of an exponent part ({@code e[+-]digits}) at j, or j when there is none. */
    private static int exponentEnd(byte[] s, int j, char marker) {
        if (j >= s.length || (s[j] | 0x20) != marker) return j;
        int k = j + 1;
        if (k < s.length && (s[k] == '+' || s[k] == '-')) k++;
        int digits = k;
        while (k < s.length && s[k] >= '0' && s[k] <= '9') k++;
        return k > digits ? k : j;
    }

    private static boolean matches(byte[] s, int at, String word) {
        if (at + word.length() > s.length) return false;
        for (int i = 0; i < word.length(); i++) {
            if (Character.toLowerCase(s[at + i]) != word.charAt(i)) return false;
        }
        return true;
    }
}
