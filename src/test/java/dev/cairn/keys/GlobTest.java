package dev.cairn.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.keyspace.Glob;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Redis's glob rules, corner cases included (the differential test checks them against redis-server too). */
class GlobTest {
    private static boolean match(String pattern, String string) {
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), string.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static boolean matchNocase(String pattern, String string) {
        byte[] s = string.getBytes(StandardCharsets.ISO_8859_1);
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), s, 0, s.length, true);
    }

    @Test
    void wildcards() {
        assertTrue(match("h?llo", "hello"));
        assertFalse(match("h?llo", "hllo"));
        assertTrue(match("h*llo", "hllo"));
        assertTrue(match("h*llo", "heeeello"));
        assertTrue(match("*", "anything"));
        assertTrue(match("a*", "a"));
        assertTrue(match("a**", "a"));
        assertTrue(match("*b*c", "abxbc"));
        assertFalse(match("*b*c", "abxbd"));
        assertTrue(match("", ""));
        assertFalse(match("", "a"));
    }

    @Test
    void theEmptyStringMatchesOnlyTheEmptyPattern() {
        assertFalse(match("*", ""));
        assertFalse(match("**", ""));
        assertFalse(match("?", ""));
    }

    @Test
    void classes() {
        assertTrue(match("h[ae]llo", "hallo"));
        assertFalse(match("h[ae]llo", "hillo"));
        assertTrue(match("h[^e]llo", "hallo"));
        assertFalse(match("h[^e]llo", "hello"));
        assertTrue(match("h[a-b]llo", "hbllo"));
        assertTrue(match("h[b-a]llo", "hallo"), "reversed bounds are swapped");
        assertFalse(match("[]]", "]"), "']' right after '[' closes an empty class, which matches nothing");
        assertFalse(match("[]", "a"));
        assertTrue(match("[\\]]", "]"));
        assertTrue(match("[a\\-c]", "-"));
        assertFalse(match("[a\\-c]", "b"));
    }

    @Test
    void unclosedClassesRunToTheEndOfThePattern() {
        assertTrue(match("[ab", "b"));
        assertFalse(match("[ab", "c"));
        assertFalse(match("[", "["), "an empty unclosed class matches nothing");
        assertTrue(match("[^", "x"), "an empty negated one matches any byte");
        assertTrue(match("a[b-", "a-"));
    }

    @Test
    void aRangeMayEndOnTheClosingBracket() {
        // "[b-]" is the range ']'..'b' with the pattern ending inside the class.
        for (String s : new String[] {"ab", "a]", "a^", "a_", "a`", "aa"}) assertTrue(match("a[b-]", s), s);
        assertFalse(match("a[b-]", "a-"));
        assertFalse(match("a[b-]", "ac"));
    }

    @Test
    void rangeBoundsAreSignedBytes() {
        // As C's signed char: 0xff is -1, below 'a', so [a-\xff] is -1..'a'.
        assertTrue(match("[a-\u00ff]", "\u00ff"));
        assertTrue(match("[a-\u00ff]", "A"));
        assertFalse(match("[a-\u00ff]", "b"));
        assertFalse(match("[\u0000-\u007f]", "\u0080"));
    }

    @Test
    void escapes() {
        assertTrue(match("\\*", "*"));
        assertFalse(match("\\*", "a"));
        assertTrue(match("a\\", "a\\"), "a lone trailing backslash is literal");
        assertTrue(match("\\\\", "\\"));
        assertTrue(match("x\\?y", "x?y"));
        assertFalse(match("x\\?y", "xay"));
    }

    @Test
    void nocaseFoldsAsciiLettersOnly() {
        assertTrue(matchNocase("MaxMemory*", "maxmemory-policy"));
        assertTrue(matchNocase("[A-C]x", "bX"));
        assertTrue(matchNocase("[^A]", "b"));
        assertFalse(matchNocase("[^A]", "a"));
        assertFalse(match("A", "a"));
        assertFalse(matchNocase("\u00c0", "\u00e0"));
    }

    @Test
    void matchesASliceOfTheString() {
        byte[] s = "xxhelloyy".getBytes(StandardCharsets.US_ASCII);
        assertTrue(Glob.matches("h*o".getBytes(StandardCharsets.US_ASCII), s, 2, 7, false));
        assertFalse(Glob.matches("h*o".getBytes(StandardCharsets.US_ASCII), s, 2, 8, false));
    }

    @Test
    void manyStarsNeitherOverflowTheStackNorExplode() {
        String pattern = "a*".repeat(50_000) + "b";
        assertFalse(match(pattern, "a".repeat(60_000)));
        assertTrue(match(pattern, "a".repeat(60_000) + "b"));
        assertEquals(true, match("*a*a*a*a*a*a*a*a*a*a*", "a".repeat(10_000)));
    }
}
