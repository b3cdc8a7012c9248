package dev.cairn.config;

import java.util.Locale;

/** Redis's number syntax in configuration: plain integers and memory amounts with units. */
public final class Units {
    private Units() {}

    /** A plain integer (Redis's string2ll rules, surrounding text not allowed). */
    public static Long parseInteger(String text) {
        return dev.cairn.protocol.Numbers.parseStrictLong(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /**
     * Redis's {@code memtoull}: a number with an optional unit, case-insensitive:
     * b, k=1000, kb=1024, m=1000^2, mb=1024^2, g=1000^3, gb=1024^3. Null when malformed.
     */
    public static Long parseMemory(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        long mul = 1;
        String digits = t;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"},
                {"g", "1000000000"}, {"m", "1000000"}, {"k", "1000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                digits = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        if (digits.isEmpty() || digits.length() > 19) return null;
        for (int i = 0; i < digits.length(); i++) {
            if (!Character.isDigit(digits.charAt(i))) return null;
        }
        try {
            return Math.multiplyExact(Long.parseLong(digits), mul);
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
    }

    /** How CONFIG REWRITE prints a memory amount: with the largest exact binary unit. */
    public static String formatMemory(long bytes) {
        if (bytes == 0) return "0";
        if (bytes % (1L << 30) == 0) return (bytes >> 30) + "gb";
        if (bytes % (1L << 20) == 0) return (bytes >> 20) + "mb";
        if (bytes % 1024 == 0) return (bytes >> 10) + "kb";
        return Long.toString(bytes);
    }
}
