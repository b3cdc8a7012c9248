package dev.cairn.config;

import dev.cairn.keyspace.Glob;
import java.nio.charset.StandardCharsets;

/** Glob patterns over directive names (CONFIG GET), matched by Redis's rules ({@link Glob}). */
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

    /** Case-insensitive match of a directive name, as Redis's CONFIG GET does. */
    static boolean matches(String pattern, String name) {
        byte[] text = name.getBytes(StandardCharsets.ISO_8859_1);
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), text, 0, text.length, true);
    }
}
