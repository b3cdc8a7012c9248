package dev.cairn.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RespReader;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same commands against Cairn and a real redis-server 7.0, comparing the raw
 * replies (or, where Redis leaves the order open, the sorted elements). Glob matching
 * gets the most attention: KEYS decides which keys a client sees.
 */
class KeysDifferentialTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    @RegisterExtension
    static final ServerFixture real = ServerFixture.realRedis();

    private static RawConnection ours;
    private static RawConnection theirs;

    @BeforeAll
    static void connect() throws IOException {
        ours = new RawConnection(cairn.port());
        theirs = new RawConnection(real.port());
    }

    @AfterAll
    static void disconnect() throws IOException {
        ours.close();
        theirs.close();
    }

    @BeforeEach
    void flush() throws IOException {
        same("flushall");
    }

    /** Sends to both; asserts identical bytes. */
    private static void same(String... command) throws IOException {
        String expected = theirs.call(command);
        String actual = ours.call(command);
        assertEquals(expected, actual, () -> "reply to " + String.join(" ", command));
    }

    /** Sends to both; asserts the same array elements in any order. */
    private static void sameElements(String... command) throws IOException {
        List<String> expected = sortedElements(theirs.call(command));
        List<String> actual = sortedElements(ours.call(command));
        assertEquals(expected, actual, () -> "elements of " + String.join(" ", command));
    }

    /** The elements of an array reply of bulk strings, sorted. */
    private static List<String> sortedElements(String reply) {
        List<String> elements = new ArrayList<>();
        for (Object o : (List<?>) RespReader.parse(reply)) elements.add((String) o);
        elements.sort(Comparator.naturalOrder());
        return elements;
    }

    private static void both(String... command) throws IOException {
        theirs.call(command);
        ours.call(command);
    }

    // ---- glob matching -------------------------------------------------------------------

    private static final List<String> TRICKY_KEYS = List.of(
            "", "a", "b", "ab", "abc", "abd", "aXc", "a]", "a^", "a_", "a`", "a-", "a\\", "a[", "[", "]", "\\",
            "\\\\", "a\\b", "*", "?", "x*y", "x?y", "hello", "hallo", "hxllo", "hllo", "heeeello", "a[b", "A",
            "aB", "AB", "-", "^", "a\u0080", "\u00ff", "a\u00ffb", "a\u0000b", "ab\u0000", "x", "xy", "xyz",
            "foo:bar", "foo:baz:1", "user:1000", "user:abc");

    private static final List<String> TRICKY_PATTERNS = List.of(
            "*", "**", "***", "", "?", "??", "???", "a", "a*", "*a", "*a*", "a*c", "a?c", "a??", "a*b*", "*b*c",
            "[", "]", "[]", "[]]", "[]a]", "\\", "\\\\", "\\*", "\\?", "\\[", "a\\", "a\\b", "a\\\\b", "a\\*",
            "[^a]", "[^a]*", "[^]", "[^", "[a", "[ab", "a[b", "a[b-]", "a[b-", "a[-b]", "a[-]", "a[]-]", "a[^b-]",
            "[a-c]*", "[c-a]*", "[a-]", "[-a]", "[\\]]", "[\\", "[\\]", "[a\\-c]", "[a-c\\]", "h?llo", "h*llo",
            "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h[b-a]llo", "*llo", "hel*", "*e*e*", "x\\*y", "x[*]y",
            "x[?]y", "[x]*", "[xa]?", "a[\u0000-\u007f]", "a[a-\u00ff]", "a[\u00ff-a]", "[\u0080-\u00ff]*",
            "a[^\u0000-\u007f]*", "foo:*", "foo:*:*", "user:[0-9]*", "user:[^0-9]*", "*:*", "?*", "*?", "*?*",
            "a*\\", "[*", "*[", "*]", "A*", "[Aa]*", "a\u0000b", "a?b", "*\u0000*", "[[]", "[[]*", "[]]*",
            "[!a]*", "{a,b}");

    @Test
    void keysMatchesLikeRedisForTrickyPatterns() throws IOException {
        for (String k : TRICKY_KEYS) both("set", k, "v");
        same("dbsize");
        for (String p : TRICKY_PATTERNS) sameElements("keys", p);
    }

    @Test
    void keysMatchesLikeRedisForRandomPatterns() throws IOException {
        String alphabet = "ab]^-\\[";
        List<String> keys = new ArrayList<>();
        keys.add("");
        for (int len = 1; len <= 3; len++) {
            int n = (int) Math.pow(alphabet.length(), len);
            for (int i = 0; i < n; i++) {
                StringBuilder sb = new StringBuilder();
                for (int v = i, j = 0; j < len; j++, v /= alphabet.length()) sb.append(alphabet.charAt(v % alphabet.length()));
                keys.add(sb.toString());
            }
        }
        for (String k : keys) both("set", k, "v");
        Random rnd = new Random(7);
        String patternAlphabet = "ab*?[]^-\\";
        for (int i = 0; i < 1500; i++) {
            StringBuilder p = new StringBuilder();
            int len = 1 + rnd.nextInt(7);
            for (int j = 0; j < len; j++) p.append(patternAlphabet.charAt(rnd.nextInt(patternAlphabet.length())));
            sameElements("keys", p.toString());
        }
    }

    @Test
    void keysSkipsExpiredKeys() throws IOException {
        both("set", "live", "1");
        both("set", "gone", "1", "px", "1");
        both("set", "later", "1", "ex", "100");
        sleepMillis(20);
        sameElements("keys", "*");
        sameElements("keys", "*e");
    }

    // ---- SCAN ----------------------------------------------------------------------------

    /** A full SCAN iteration's keys, checking each call's reply shape along the way. */
    private static TreeSet<String> scanAll(RawConnection client, String... options) throws IOException {
        TreeSet<String> keys = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> cmd = new ArrayList<>(List.of("scan", cursor));
            cmd.addAll(List.of(options));
            List<?> parts = (List<?>) RespReader.parse(client.call(cmd.toArray(new String[0])));
            cursor = (String) parts.get(0);
            for (Object k : (List<?>) parts.get(1)) keys.add((String) k);
            if (++calls > 100_000) throw new AssertionError("SCAN does not terminate");
        } while (!cursor.equals("0"));
        return keys;
    }

    @Test
    void scanFiltersLikeRedis() throws IOException {
        for (int i = 0; i < 300; i++) both("set", "key:" + i, "v");
        for (String k : TRICKY_KEYS) both("set", k, "v");
        for (String count : List.of("1", "7", "10", "100", "100000")) {
            for (String pattern : List.of("*", "key:1*", "key:?", "*[", "a[b-]", "[^k]*", "\\", "nomatch")) {
                String[] options = {"match", pattern, "count", count};
                assertEquals(scanAll(theirs, options), scanAll(ours, options), () -> "SCAN " + String.join(" ", options));
            }
            for (String type : List.of("string", "STRING", "none", "list", "nosuchtype")) {
                String[] options = {"type", type, "count", count};
                assertEquals(scanAll(theirs, options), scanAll(ours, options), () -> "SCAN " + String.join(" ", options));
            }
        }
    }

    @Test
    void scanReturnsEverythingInOneCallWhenCountCoversTheTable() throws IOException {
        for (int i = 0; i < 5; i++) both("set", "k" + i, "v");
        List<?> e = (List<?>) RespReader.parse(theirs.call("scan", "0", "count", "1000"));
        List<?> a = (List<?>) RespReader.parse(ours.call("scan", "0", "count", "1000"));
        assertEquals(e.get(0), a.get(0));
        assertEquals(((List<?>) e.get(1)).size(), ((List<?>) a.get(1)).size());
    }

    @Test
    void scanArgumentErrorsAndCursorsLikeRedis() throws IOException {
        // An empty database: every valid cursor ends the iteration at once.
        for (String cursor : List.of("0", "", "-1", "+1", "18446744073709551615", "-18446744073709551615", "01", "7")) {
            same("scan", cursor);
        }
        for (String cursor : List.of("abc", "-", "+", " 1", "1 ", "\t1", "0x10", "18446744073709551616",
                "-18446744073709551616", "99999999999999999999999")) {
            same("scan", cursor);
        }
        same("set", "a", "1");
        same("scan", "0", "count", "0");
        same("scan", "0", "count", "-1");
        same("scan", "0", "count", "abc");
        same("scan", "0", "count", "99999999999999999999");
        same("scan", "0", "match");
        same("scan", "0", "count");
        same("scan", "0", "type");
        same("scan", "0", "foo", "bar");
        same("scan", "0", "match", "*", "match", "b*");
        same("scan", "0", "count", "1", "count", "1000");
        same("scan", "0", "count", "9223372036854775807");
        same("scan", "0", "type", "STRING", "match", "a", "count", "5");
        same("scan");
    }

    // ---- other deterministic commands -------------------------------------------------------

    @Test
    void keyCommandsReplyLikeRedis() throws IOException {
        same("set", "a", "1");
        same("set", "b", "hello");
        same("exists", "a", "a", "b", "nokey");
        same("exists", "nokey");
        same("touch", "a", "a", "nokey");
        same("type", "b");
        same("type", "nokey");
        same("del", "a", "a", "nokey");
        same("unlink", "nokey");
        same("dbsize");
        same("rename", "b", "c");
        same("rename", "nokey", "x");
        same("renamenx", "nokey", "x");
        same("rename", "c", "c");
        same("renamenx", "c", "c");
        same("set", "d", "1");
        same("renamenx", "c", "d");
        same("rename", "c", "d");
        same("get", "d");
        same("exists", "c");
        same("randomkey");
        same("del", "d");
        same("randomkey");
        for (String wrongArity : List.of("del", "unlink", "exists", "type", "keys", "touch", "rename", "renamenx")) {
            same(wrongArity);
        }
        same("randomkey", "x");
        same("type", "a", "b");
        same("rename", "a");
    }

    @Test
    void objectRepliesLikeRedis() throws IOException {
        same("set", "int", "123");
        same("set", "shared", "9999");
        same("set", "notshared", "10000");
        same("set", "negative", "-1");
        same("set", "embstr", "hello");
        same("set", "raw", "a".repeat(45));
        same("set", "longnum", "12345678901234567890");
        same("set", "plusnum", "+1");
        for (String key : List.of("int", "shared", "notshared", "negative", "embstr", "raw", "longnum", "plusnum",
                "nokey")) {
            same("object", "encoding", key);
            same("object", "refcount", key);
            same("object", "freq", key);
        }
        same("object", "idletime", "nokey");
        same("object", "help");
        same("object", "HELP");
        same("object", "help", "x");
        same("object");
        same("object", "foo");
        same("object", "encoding");
        same("object", "encoding", "a", "b");
        same("object", "idletime", "a", "b");
    }

    @Test
    void expireCommandsReplyLikeRedis() throws IOException {
        same("set", "a", "1");
        same("expire", "a", "100", "nx", "xx");
        same("expire", "a", "100", "gt", "lt");
        same("expire", "a", "100", "nx", "gt");
        same("expire", "a", "100", "nx", "lt");
        same("expire", "a", "100", "foo");
        same("expire", "a", "100", "nx", "foo");
        same("expire", "a", "abc");
        same("expire", "a", "abc", "nx", "xx");
        same("expire", "a", "abc", "foo");
        same("expire", "nokey", "100", "nx", "xx");
        same("expire", "nokey", "100");
        same("expire", "a", "100", "xx");
        same("expire", "a", "100", "gt");
        same("expire", "a", "100", "lt");
        same("ttl", "a");
        // The relative TTLs above reached the two servers a millisecond apart at times: an
        // absolute one, the same for both, before reading it back to the millisecond.
        same("pexpireat", "a", String.valueOf(System.currentTimeMillis() + 100_000));
        same("pexpiretime", "a");
        same("expire", "a", "100", "NX", "nx");
        same("expire", "a", "200", "xx", "gt");
        same("expire", "a", "300", "lt");
        same("expire", "a", "50", "GT");
        same("expire", "a", "9223372036854775807");
        same("expire", "a", "9223372036854775");
        same("expire", "a", "-9223372036854775808");
        same("pexpire", "a", "9223372036854775807");
        same("expireat", "a", "9223372036854775807");
        same("pexpireat", "a", "9223372036854775807");
        // 'expire a 200 xx gt' above set a relative TTL: absolute again before reading it back.
        same("pexpireat", "a", String.valueOf(System.currentTimeMillis() + 200_000));
        same("expiretime", "a");
        same("pexpiretime", "a");
        same("persist", "a");
        same("persist", "a");
        same("persist", "nokey");
        for (String cmd : List.of("ttl", "pttl", "expiretime", "pexpiretime")) {
            same(cmd, "a");
            same(cmd, "nokey");
            same(cmd);
        }
        same("pexpireat", "a", "1000");
        same("exists", "a");
        same("set", "b", "1");
        same("expireat", "b", "-5");
        same("exists", "b");
        same("set", "c", "1");
        same("expire", "c", "0", "xx");
        same("expire", "c", "0", "nx");
        same("exists", "c");
        same("set", "d", "1");
        same("pexpire", "d", "-1", "lt");
        same("exists", "d");
        for (String cmd : List.of("expire", "pexpire", "expireat", "pexpireat")) {
            same(cmd, "k");
            same(cmd, "k", "1", "gt", "lt");
        }
    }

    @Test
    void databaseCommandsReplyLikeRedis() throws IOException {
        same("set", "e", "x");
        same("swapdb", "a", "1");
        same("swapdb", "1", "a");
        same("swapdb", "0", "16");
        same("swapdb", "-1", "0");
        same("swapdb", "99999999999", "0");
        same("swapdb", "0", "0");
        same("get", "e");
        same("swapdb", "0", "1");
        same("get", "e");
        same("swapdb", "1", "0");
        same("move", "e", "a");
        same("move", "e", "16");
        same("move", "e", "-1");
        same("move", "e", "0");
        same("move", "nokey", "0");
        same("move", "nokey", "1");
        same("move", "e", "99999999999");
        same("move", "e", "1");
        same("move", "e", "1");
        same("select", "1");
        same("get", "e");
        same("copy", "e", "e");
        same("copy", "e", "e", "db", "1");
        same("copy", "e", "e", "db", "0");
        same("copy", "e", "f");
        same("copy", "e", "f");
        same("copy", "e", "f", "replace");
        same("copy", "e", "f", "db", "99999999999");
        same("copy", "e", "f", "db", "x");
        same("copy", "e", "f", "db", "16");
        same("copy", "e", "f", "db");
        same("copy", "e", "f", "foo");
        same("copy", "nokey", "f", "db", "99");
        same("copy", "nokey", "f", "f");
        same("copy", "nokey", "f");
        same("copy", "e", "g", "REPLACE", "replace", "DB", "2", "db", "3");
        same("select", "3");
        same("get", "g");
        same("dbsize");
        same("flushdb", "foo");
        same("flushdb", "async", "async");
        same("flushall", "sync", "x");
        same("flushdb", "ASYNC");
        same("dbsize");
        same("select", "1");
        same("dbsize");
        same("flushall", "SYNC");
        same("dbsize");
        same("flushall", "async");
        same("dbsize", "x");
        same("swapdb", "0");
        same("move", "e");
        same("copy", "e");
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
