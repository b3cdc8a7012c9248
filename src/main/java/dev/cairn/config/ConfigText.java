package dev.cairn.config;

import dev.cairn.protocol.Repr;

import dev.cairn.protocol.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The text syntax of redis.conf: lines trimmed as Redis trims them, words split with
 * quotes honoured, and values quoted back so that splitting reads them intact.
 *
 * <p>Configuration text is handled as ISO-8859-1, one char per byte, so that any byte
 * sequence (a password in UTF-8, say) survives reading, CONFIG GET and CONFIG REWRITE
 * unchanged.
 */
final class ConfigText {
    private ConfigText() {}

    /** Redis's {@code sdstrim(line, " \t\r\n")}. */
    static String trim(String line) {
        int from = 0;
        int to = line.length();
        while (from < to && isTrimmed(line.charAt(from))) from++;
        while (to > from && isTrimmed(line.charAt(to - 1))) to--;
        return line.substring(from, to);
    }

    private static boolean isTrimmed(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** Redis's {@code sdssplitargs}: the words of a line, or null on unbalanced quotes. */
    static List<String> words(String line) {
        List<byte[]> split = RequestParser.splitArgs(line.getBytes(StandardCharsets.ISO_8859_1));
        if (split == null) return null;
        List<String> words = new ArrayList<>(split.size());
        for (byte[] w : split) words.add(new String(w, StandardCharsets.ISO_8859_1));
        return words;
    }

    /** A value in double quotes with Redis's escapes ({@code sdscatrepr}). */
    static String quote(String word) {
        return Repr.of(word);
    }
}
