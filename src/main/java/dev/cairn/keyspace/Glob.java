package dev.cairn.keyspace;

/**
 * Redis's glob-style matching ({@code stringmatchlen}), used by KEYS, SCAN MATCH and
 * wherever Redis matches a pattern: {@code *} any run of bytes, {@code ?} one byte,
 * {@code [abc]}, {@code [^abc]}, {@code [a-z]} classes and {@code \} escapes.
 *
 * <p>Redis's corner cases are reproduced, since they decide which keys a client sees:
 * <ul>
 *   <li>an unclosed class runs to the end of the pattern ({@code "[ab"} is {@code [ab]});
 *   <li>a range may end on the closing bracket: in {@code "a[b-]"} the class is the
 *       range {@code ]..b}, and the pattern ends inside it;
 *   <li>range bounds are compared as signed bytes (C's {@code char} on x86), reversed
 *       bounds are swapped;
 *   <li>a lone trailing {@code \} matches a backslash;
 *   <li>the empty string matches only the empty pattern (KEYS and SCAN special-case a
 *       pattern of exactly {@code *} before calling this).
 * </ul>
 *
 * <p>Every element other than {@code *} consumes exactly one byte, so the match is
 * decided with one backtracking point (the last star seen) instead of Redis's recursion:
 * same result, no stack growth with the number of stars, linear-times-stars time.
 */
public final class Glob {
    private Glob() {}

    /** Case-sensitive match of the whole {@code string} against {@code pattern}. */
    public static boolean matches(byte[] pattern, byte[] string) {
        return matches(pattern, string, 0, string.length, false);
    }

    /**
     * Matches {@code string[from, to)} against the pattern; with {@code nocase}, ASCII
     * letters compare case-insensitively (as Redis's nocase flag, e.g. CONFIG GET).
     */
    public static boolean matches(byte[] pattern, byte[] string, int from, int to, boolean nocase) {
        int plen = pattern.length;
        int p = 0;
        int s = from;
        // Where to resume after a failure: the pattern just past the last star and the
        // string position that star was last tried at; -1 when no star seen yet.
        int starPattern = -1;
        int starString = -1;
        while (true) {
            boolean failed;
            if (p < plen && s < to) {
                if (pattern[p] == '*') {
                    while (p + 1 < plen && pattern[p + 1] == '*') p++;
                    if (p == plen - 1) return true;
                    starPattern = ++p;
                    starString = s;
                    continue;
                }
                int next = matchOne(pattern, p, string[s], nocase);
                if (next < 0) {
                    failed = true;
                } else {
                    p = next;
                    s++;
                    if (s == to) {
                        // The string is used up: only stars may be left in the pattern.
                        while (p < plen && pattern[p] == '*') p++;
                        if (p == plen) return true;
                        failed = true;
                    } else {
                        failed = false;
                    }
                }
            } else {
                if (p == plen && s == to) return true;
                failed = true;
            }
            if (failed) {
                // Let the last star swallow one more byte; a star never ends up matching
                // the whole rest of the string (that case is decided above).
                if (starPattern < 0 || ++starString >= to) return false;
                p = starPattern;
                s = starString;
            }
        }
    }

    /**
     * Matches one pattern element (not a star) starting at {@code p} against byte
     * {@code c}. Returns the position after the element, or -1 when {@code c} does not match.
     */
    private static int matchOne(byte[] pattern, int p, byte c, boolean nocase) {
        int plen = pattern.length;
        switch (pattern[p]) {
            case '?':
                return p + 1;
            case '[':
                return matchClass(pattern, p + 1, c, nocase);
            case '\\':
                if (plen - p >= 2) p++;
                return sameByte(pattern[p], c, nocase) ? p + 1 : -1;
            default:
                return sameByte(pattern[p], c, nocase) ? p + 1 : -1;
        }
    }

    /** A class body from {@code p} (just past the '['); returns the position after it or -1. */
    private static int matchClass(byte[] pattern, int p, byte c, boolean nocase) {
        int plen = pattern.length;
        boolean not = p < plen && pattern[p] == '^';
        if (not) p++;
        boolean match = false;
        while (true) {
            if (p >= plen) {
                // Unclosed class: it ends with the pattern.
                p = plen;
                break;
            }
            byte b = pattern[p];
            if (b == '\\' && plen - p >= 2) {
                p++;
                if (pattern[p] == c) match = true;
            } else if (b == ']') {
                p++;
                break;
            } else if (plen - p >= 3 && pattern[p + 1] == '-') {
                int start = pattern[p];
                int end = pattern[p + 2];
                int x = c;
                if (start > end) {
                    int t = start;
                    start = end;
                    end = t;
                }
                if (nocase) {
                    start = lower(start);
                    end = lower(end);
                    x = lower(x);
                }
                p += 2;
                if (x >= start && x <= end) match = true;
            } else if (sameByte(b, c, nocase)) {
                match = true;
            }
            p++;
        }
        return match != not ? p : -1;
    }

    private static boolean sameByte(byte a, byte b, boolean nocase) {
        return a == b || (nocase && lower(a) == lower(b));
    }

    /** C's tolower in the "C" locale: only ASCII letters change. */
    private static int lower(int c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }
}
