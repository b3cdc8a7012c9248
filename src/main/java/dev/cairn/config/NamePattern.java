package dev.cairn.config;

/**
 * Glob matching of directive names for CONFIG GET, case-insensitive, with Redis's
 * syntax: {@code *}, {@code ?}, {@code [abc]}, {@code [^a-z]} and {@code \} escapes.
 * (Configuration names are ASCII, so this works on chars.)
 */
final class NamePattern {
    private NamePattern() {}

    /** True if the text holds glob characters, so that it is not an exact name. */
    static boolean isPattern(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[') return true;
        }
        return false;
    }

    static boolean matches(String pattern, String name) {
        return match(pattern, 0, name, 0, 0);
    }

    private static boolean match(String p, int pi, String s, int si, int depth) {
        // Redis bounds the recursion the same way, so hostile patterns stay cheap.
        if (depth > 1000) return false;
        while (pi < p.length()) {
            char pc = p.charAt(pi);
            switch (pc) {
                case '*' -> {
                    while (pi + 1 < p.length() && p.charAt(pi + 1) == '*') pi++;
                    if (pi + 1 == p.length()) return true;
                    for (int k = si; k <= s.length(); k++) {
                        if (match(p, pi + 1, s, k, depth + 1)) return true;
                    }
                    return false;
                }
                case '?' -> {
                    if (si >= s.length()) return false;
                    si++;
                }
                case '[' -> {
                    if (si >= s.length()) return false;
                    pi++;
                    boolean not = pi < p.length() && p.charAt(pi) == '^';
                    if (not) pi++;
                    boolean found = false;
                    char c = lower(s.charAt(si));
                    while (pi < p.length() && p.charAt(pi) != ']') {
                        if (p.charAt(pi) == '\\' && pi + 1 < p.length()) {
                            pi++;
                            if (lower(p.charAt(pi)) == c) found = true;
                        } else if (pi + 2 < p.length() && p.charAt(pi + 1) == '-') {
                            char a = lower(p.charAt(pi));
                            char b = lower(p.charAt(pi + 2));
                            if (a > b) {
                                char t = a;
                                a = b;
                                b = t;
                            }
                            if (c >= a && c <= b) found = true;
                            pi += 2;
                        } else if (lower(p.charAt(pi)) == c) {
                            found = true;
                        }
                        pi++;
                    }
                    if (pi >= p.length()) pi--; // unterminated class: Redis treats the end as ']'
                    if (not) found = !found;
                    if (!found) return false;
                    si++;
                }
                case '\\' -> {
                    if (pi + 1 < p.length()) pi++;
                    if (si >= s.length() || lower(p.charAt(pi)) != lower(s.charAt(si))) return false;
                    si++;
                }
                default -> {
                    if (si >= s.length() || lower(pc) != lower(s.charAt(si))) return false;
                    si++;
                }
            }
            pi++;
        }
        return si == s.length();
    }

    private static char lower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }
}
