package dev.cairn.config;

import dev.cairn.protocol.Numbers;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Redis's number syntaxes in configuration: strict integers (string2ll), memory amounts
 * with units (memtoull), C's strtoll as used for octal modes and buffer-limit seconds,
 * and the way CONFIG REWRITE prints memory amounts.
 */
public final class Units {
    private Units() {}

    /** A strict integer: optional '-', no leading zeros or spaces, within 64 bits. Null otherwise. */
    public static Long parseInteger(String text) {
        return Numbers.parseStrictLong(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * Redis's {@code memtoull}: digits followed by an optional case-insensitive unit
     * (b, k=1000, kb=1024, m, mb, g, gb). Null when malformed. As in Redis, no digits at
     * all reads as 0, and a value beyond 64 bits saturates to all ones (which the range
     * checks then reject); the result is an unsigned 64-bit quantity.
     */
    public static Long parseMemory(String text) {
        if (text.startsWith("-")) return null;
        int u = 0;
        while (u < text.length() && text.charAt(u) >= '0' && text.charAt(u) <= '9') u++;
        long mul = switch (text.substring(u).toLowerCase(Locale.ROOT)) {
            case "", "b" -> 1;
            case "k" -> 1000;
            case "kb" -> 1024;
            case "m" -> 1000L * 1000;
            case "mb" -> 1024L * 1024;
            case "g" -> 1000L * 1000 * 1000;
            case "gb" -> 1024L * 1024 * 1024;
            default -> 0;
        };
        if (mul == 0 || u >= 128) return null;
        long value = 0;
        for (int i = 0; i < u; i++) {
            int d = text.charAt(i) - '0';
            if (Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, 10)) > 0) {
                value = -1L; // strtoull saturates at ULLONG_MAX
                break;
            }
            value = value * 10 + d;
        }
        return value * mul; // wraps like the C multiplication
    }

    /**
     * C's {@code strtoll(text, &end, radix)} accepted only when it consumed everything
     * and did not overflow: leading blanks and a sign allowed, an empty string reads as 0.
     * Null otherwise.
     */
    public static Long parseCLong(String text, int radix) {
        int p = 0;
        int n = text.length();
        while (p < n && isCSpace(text.charAt(p))) p++;
        boolean negative = false;
        if (p < n && (text.charAt(p) == '+' || text.charAt(p) == '-')) negative = text.charAt(p++) == '-';
        int digitsFrom = p;
        long value = 0;
        boolean overflow = false;
        for (; p < n; p++) {
            char c = text.charAt(p);
            int d = c < 128 ? Character.digit(c, radix) : -1;
            if (d < 0) break;
            if (value > (Long.MAX_VALUE - d) / radix) overflow = true;
            else value = value * radix + d;
        }
        // With no digits strtoll consumes nothing, so only an empty text passes the end check.
        if (p == digitsFrom) return n == 0 ? 0L : null;
        if (p != n || overflow) return null;
        return negative ? -value : value;
    }

    private static boolean isCSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b;
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
