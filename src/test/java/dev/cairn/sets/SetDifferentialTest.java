package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Seeded random set commands against Cairn and a real redis-server 7.0, over RESP2 and RESP3.
 *
 * <p>What is compared:
 * <ul>
 *   <li>byte for byte: every deterministic reply (counts, membership, SMOVE, SINTERCARD, the
 *       STORE commands, errors), OBJECT ENCODING, DEBUG DIGEST-VALUE, MEMORY USAGE of intsets,
 *       SMEMBERS of intsets and every other reply whose order Redis fixes (an intset's
 *       ascending order: SINTER whose smallest set is an intset, SUNION and SDIFF results that
 *       stay intsets), and the change counter of INFO persistence after each command;</li>
 *   <li>as sorted multisets: replies in hash order (SMEMBERS, SINTER, SUNION, SDIFF of tables),
 *       and a whole SSCAN iteration of a table;</li>
 *   <li>by shape and membership: SPOP and SRANDMEMBER (reply type and size, members distinct
 *       or not, all from the set). After an SPOP the two servers hold different members, so
 *       the key is rewritten on both with Redis's members.</li>
 * </ul>
 */
class SetDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 1500);

    private static final String[] KEYS = {"s0", "s1", "s2", "s3", "s4", "str"};
    private static final String[] MEMBERS = {
        "0", "1", "-1", "2", "3", "7", "42", "100", "-300", "32767", "32768", "-32768", "-32769", "65536",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "01", "+1", "1.0", " 1", "-0", "a", "b", "c", "x", "member", "", "\u0000\u00ff",
        "twenty-characters-xx"
    };

    @Test
    void randomCommandsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 31L), 2);
    }

    @Test
    void randomCommandsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 47L), 3);
    }

    private static void compare(long seed, int protocol) throws IOException {
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection redis = new RawConnection(real.port());
                RawConnection ours = new RawConnection(cairn.port())) {
            Session s = new Session(redis, ours, new Random(seed));
            if (protocol == 3) {
                // The HELLO replies name different servers; only the switch matters.
                redis.call("HELLO", "3");
                ours.call("HELLO", "3");
            }
            s.both("SET", "str", "text");
            for (int i = 0; i < COMMANDS; i++) s.step();
            for (String key : KEYS) s.exact("DEBUG", "DIGEST-VALUE", key);
            s.exact("DEBUG", "DIGEST");
            s.exact("DBSIZE");
        }
    }

    /**
     * MEMORY USAGE of tables whose size Redis has finished rehashing (it grows its tables a
     * bucket at a time, and mid-way counts both), and DEBUG DIGEST-VALUE, for both encodings.
     */
    @Test
    void memoryUsageAndDigestOfSettledSets() throws IOException {
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection redis = new RawConnection(real.port());
                RawConnection ours = new RawConnection(cairn.port())) {
            Session s = new Session(redis, ours, new Random(0));
            List<String> ints = new ArrayList<>(List.of("SADD", "converted"));
            for (int i = 0; i < 513; i++) ints.add(Integer.toString(i * 7 - 100));
            s.exact(ints.toArray(new String[0]));
            s.exact("SADD", "small", "1", "-5", "70000");
            s.exact("SADD", "wide", "1", "-5000000000");
            s.exact("SADD", "text", "a", "bb", "ccc");
            s.exact("SADD", "four", "1", "2", "3");
            s.exact("SADD", "four", "this member is longer than thirty-two bytes");
            for (String key : List.of("converted", "small", "wide", "text", "four")) {
                s.exact("OBJECT", "ENCODING", key);
                s.exact("MEMORY", "USAGE", key);
                s.exact("MEMORY", "USAGE", key, "SAMPLES", "0");
                // Sampling two of "four"'s members depends on the table's order; the others' are alike.
                if (!key.equals("four")) s.exact("MEMORY", "USAGE", key, "SAMPLES", "2");
                s.exact("DEBUG", "DIGEST-VALUE", key);
            }
            s.exact("DEBUG", "DIGEST");
        }
    }

    /** One run: the two connections, the random source and the commands so far (for failure messages). */
    private static final class Session {
        private final RawConnection redis;
        private final RawConnection ours;
        private final Random rnd;
        private final List<String> history = new ArrayList<>();
        private int maxIntsetEntries = 512;

        Session(RawConnection redis, RawConnection ours, Random rnd) {
            this.redis = redis;
            this.ours = ours;
            this.rnd = rnd;
        }

        // ---- sending -----------------------------------------------------------------

        /** Sends to both, returns {redis reply, our reply}. */
        String[] both(String... args) throws IOException {
            history.add(render(args));
            if (history.size() > 60) history.removeFirst();
            byte[] request = request(args);
            return new String[] {redis.send(request).readReply(), ours.send(request).readReply()};
        }

        void exact(String... args) throws IOException {
            String[] r = both(args);
            check(r[0].equals(r[1]), r, "exact");
        }

        void check(boolean ok, String[] replies, String how) {
            if (!ok) {
                fail("replies differ (" + how + ")\nredis: " + printable(replies[0]) + "\ncairn: " + printable(replies[1])
                        + "\ncommands up to the failing one:\n" + String.join("\n", history));
            }
        }

        // ---- probing state (sent to both so that statistics stay equal) -----------------

        String encoding(String key) throws IOException {
            String[] r = both("OBJECT", "ENCODING", key);
            check(r[0].equals(r[1]), r, "encoding");
            return r[0].startsWith("$") ? r[0].substring(r[0].indexOf('\n') + 1).trim() : null;
        }

        long card(String key) throws IOException {
            String[] r = both("SCARD", key);
            check(r[0].equals(r[1]), r, "card");
            return r[0].startsWith(":") ? Long.parseLong(r[0].substring(1).trim()) : 0;
        }

        /** Redis's members of a key (from SMEMBERS, sent to both). */
        List<String> members(String key) throws IOException {
            String[] r = both("SMEMBERS", key);
            check(sorted(r[0]).equals(sorted(r[1])), r, "members");
            return r[0].startsWith("-") ? List.of() : elements(r[0]);
        }

        /** Rewrites a key on both servers with Redis's members (after a random change). */
        void resync(String key) throws IOException {
            String reply = redis.send(request("SMEMBERS", key)).readReply();
            List<String> m = elements(reply);
            both("DEL", key);
            if (!m.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("SADD", key));
                args.addAll(m);
                exact(args.toArray(new String[0]));
            }
        }

        // ---- generating --------------------------------------------------------------

        private String key() {
            return KEYS[rnd.nextInt(rnd.nextInt(8) == 0 ? KEYS.length : KEYS.length - 1)];
        }

        private String member() {
            if (rnd.nextInt(4) == 0) return Integer.toString(rnd.nextInt(60) - 10);
            return MEMBERS[rnd.nextInt(MEMBERS.length)];
        }

        private String[] command(String name, String first, boolean members) {
            List<String> args = new ArrayList<>(List.of(name, first));
            int n = rnd.nextInt(4) + (members ? 1 : 0);
            for (int i = 0; i < n; i++) args.add(members ? member() : key());
            return args.toArray(new String[0]);
        }

        private String count() {
            return switch (rnd.nextInt(10)) {
                case 0 -> "-" + rnd.nextInt(12);
                case 1 -> "x";
                case 2 -> "0";
                case 3 -> Integer.toString(rnd.nextInt(200));
                default -> Integer.toString(rnd.nextInt(12));
            };
        }

        void step() throws IOException {
            String key = key();
            switch (rnd.nextInt(26)) {
                case 0, 1, 2 -> exact(command("SADD", key, true));
                case 3 -> {
                    // A bigger batch of integers, to cross set-max-intset-entries.
                    List<String> args = new ArrayList<>(List.of("SADD", key));
                    int base = rnd.nextInt(1000);
                    for (int i = 0; i < 5 + rnd.nextInt(40); i++) args.add(Integer.toString(base + i * (1 + rnd.nextInt(3))));
                    exact(args.toArray(new String[0]));
                }
                case 4, 5 -> exact(command("SREM", key, true));
                case 6 -> exact("SISMEMBER", key, member());
                case 7 -> exact(command("SMISMEMBER", key, true));
                case 8 -> exact("SCARD", key);
                case 9 -> exact("SMOVE", key, key(), member());
                case 10 -> exact(command(pick("SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"), key, false));
                case 11 -> intersection(command("SINTER", key, false));
                case 12 -> unionOrDiff(command(pick("SUNION", "SDIFF"), key, false));
                case 13 -> smembers(key);
                case 14 -> sintercard();
                case 15 -> spop(key);
                case 16 -> srandmember(key);
                case 17 -> sscan(key);
                case 18 -> {
                    encoding(key);
                    exact("TYPE", key);
                }
                case 19 -> {
                    if ("intset".equals(encoding(key))) exact("MEMORY", "USAGE", key);
                    exact("DEBUG", "DIGEST-VALUE", key);
                }
                case 20 -> {
                    if (rnd.nextInt(4) == 0) {
                        maxIntsetEntries = pickInt(0, 1, 3, 8, 16, 30, 512);
                        exact("CONFIG", "SET", "set-max-intset-entries", Integer.toString(maxIntsetEntries));
                    } else {
                        exact("EXISTS", key);
                    }
                }
                case 21 -> {
                    if (rnd.nextInt(3) == 0) exact("DEL", key);
                    else exact("SADD", key, member());
                }
                case 22 -> exact(invalid(key));
                case 23 -> exact("COPY", key, key(), "REPLACE");
                default -> exact(command("SADD", key, true));
            }
            changes();
        }

        /** INFO's count of changes since the last save: every write counts as in Redis. */
        private void changes() throws IOException {
            String[] r = both("INFO", "persistence");
            String[] counts = {changeCount(r[0]), changeCount(r[1])};
            check(counts[0].equals(counts[1]), counts, "rdb_changes_since_last_save");
        }

        private static String changeCount(String info) {
            int at = info.indexOf("rdb_changes_since_last_save:");
            return info.substring(at, info.indexOf('\r', at));
        }

        private String pick(String... options) {
            return options[rnd.nextInt(options.length)];
        }

        private int pickInt(int... options) {
            return options[rnd.nextInt(options.length)];
        }

        /** Requests with bad arguments: arity, options, counts. */
        private String[] invalid(String key) {
            return switch (rnd.nextInt(9)) {
                case 0 -> new String[] {"SADD", key};
                case 1 -> new String[] {"SPOP", key, "1", "2"};
                case 2 -> new String[] {"SRANDMEMBER", key, "-9223372036854775808"};
                case 3 -> new String[] {"SRANDMEMBER", key, "1", "x"};
                case 4 -> new String[] {"SINTERCARD", pick("0", "-2", "x", "3"), key, key()};
                case 5 -> new String[] {"SINTERCARD", "1", key, pick("LIMIT", "FOO", "limit"), pick("-1", "x", "2")};
                case 6 -> new String[] {"SSCAN", key, pick("x", "-1", "18446744073709551616", "0"), "COUNT", pick("0", "x", "-3")};
                case 7 -> new String[] {"SMOVE", key, key()};
                default -> new String[] {"SPOP", key, pick("-1", "x", "9223372036854775808")};
            };
        }

        // ---- commands compared beyond bytes --------------------------------------------

        private void smembers(String key) throws IOException {
            String enc = encoding(key);
            String[] r = both("SMEMBERS", key);
            check(enc == null || enc.equals("intset") ? r[0].equals(r[1]) : sorted(r[0]).equals(sorted(r[1])), r, "SMEMBERS");
        }

        private void intersection(String[] command) throws IOException {
            // Redis lists the members of the smallest set (the first of equal sizes) in its order.
            String smallest = null;
            long smallestSize = Long.MAX_VALUE;
            boolean anyMissing = false;
            for (int i = 1; i < command.length; i++) {
                String enc = encoding(command[i]);
                if (enc == null) anyMissing = true;
                long size = card(command[i]);
                if (enc != null && size < smallestSize) {
                    smallest = enc;
                    smallestSize = size;
                }
            }
            String[] r = both(command);
            boolean ordered = anyMissing || "intset".equals(smallest) || r[0].startsWith("-");
            check(ordered ? r[0].equals(r[1]) : sorted(r[0]).equals(sorted(r[1])), r, render(command));
        }

        private void unionOrDiff(String[] command) throws IOException {
            // The result is a new set built from an intset: it stays one (and lists its members in
            // ascending order) unless a member is not an integer or it ever grows past the limit,
            // which for SDIFF can happen while the first set is copied.
            long first = card(command[1]);
            String[] r = both(command);
            if (r[0].startsWith("-")) {
                check(r[0].equals(r[1]), r, "error");
                return;
            }
            List<String> result = elements(r[0]);
            boolean intset = result.stream().allMatch(SetDifferentialTest::isInteger)
                    && result.size() <= maxIntsetEntries && (command[0].equals("SUNION") || first <= maxIntsetEntries);
            check(intset ? r[0].equals(r[1]) : sorted(r[0]).equals(sorted(r[1])), r, render(command));
        }

        private void sintercard() throws IOException {
            List<String> args = new ArrayList<>(List.of("SINTERCARD"));
            int n = 1 + rnd.nextInt(3);
            args.add(Integer.toString(n));
            for (int i = 0; i < n; i++) args.add(key());
            if (rnd.nextBoolean()) {
                args.add("LIMIT");
                args.add(Integer.toString(rnd.nextInt(5)));
            }
            exact(args.toArray(new String[0]));
        }

        private void spop(String key) throws IOException {
            boolean withCount = rnd.nextInt(3) != 0;
            String count = withCount ? count() : null;
            List<String> before = members(key);
            String[] r = withCount ? both("SPOP", key, count) : both("SPOP", key);
            if (r[0].startsWith("-") || before.isEmpty() || (withCount && count.equals("0"))) {
                check(r[0].equals(r[1]), r, "SPOP");
                return;
            }
            if (!withCount) {
                check(r[0].charAt(0) == r[1].charAt(0), r, "SPOP shape");
                check(before.contains(elements("*1\r\n" + r[1]).getFirst()), r, "SPOP member");
            } else {
                long n = Math.min(Long.parseLong(count), before.size());
                checkDraws(r, n, true, before, "SPOP");
                if (n == before.size()) check(sorted(r[0]).equals(sorted(r[1])), r, "SPOP of everything");
            }
            resync(key);
        }

        private void srandmember(String key) throws IOException {
            boolean withCount = rnd.nextInt(4) != 0;
            String count = withCount ? count() : null;
            List<String> before = members(key);
            String[] r = withCount ? both("SRANDMEMBER", key, count) : both("SRANDMEMBER", key);
            if (r[0].startsWith("-") || before.isEmpty() || (withCount && count.equals("0"))) {
                check(r[0].equals(r[1]), r, "SRANDMEMBER");
            } else if (!withCount) {
                check(r[0].charAt(0) == r[1].charAt(0), r, "SRANDMEMBER shape");
                check(before.contains(elements("*1\r\n" + r[1]).getFirst()), r, "SRANDMEMBER member");
            } else {
                long c = Long.parseLong(count);
                checkDraws(r, c < 0 ? -c : Math.min(c, before.size()), c > 0, before, "SRANDMEMBER");
                if (c >= before.size()) check(sorted(r[0]).equals(sorted(r[1])), r, "SRANDMEMBER of everything");
            }
        }

        /** Both replies are aggregates of the same type and size whose members come from the set. */
        private void checkDraws(String[] r, long size, boolean distinct, List<String> from, String what) {
            check(r[0].charAt(0) == r[1].charAt(0), r, what + " type");
            for (String reply : r) {
                List<String> drawn = elements(reply);
                check(drawn.size() == size, r, what + " size");
                check(new HashSet<>(from).containsAll(drawn), r, what + " members");
                if (distinct) check(new HashSet<>(drawn).size() == drawn.size(), r, what + " distinct");
            }
        }

        private void sscan(String key) throws IOException {
            String enc = encoding(key);
            List<String> options = new ArrayList<>();
            if (rnd.nextBoolean()) options.addAll(List.of("MATCH", pick("*", "1*", "[a-c]", "*2*", "?")));
            if (rnd.nextBoolean()) options.addAll(List.of("COUNT", Integer.toString(1 + rnd.nextInt(5))));
            List<String> first = new ArrayList<>(List.of("SSCAN", key, "0"));
            first.addAll(options);
            if (!"hashtable".equals(enc)) {
                exact(first.toArray(new String[0]));
                return;
            }
            // A table: the cursors are Cairn's own; the whole iteration finds the same members.
            List<Set<String>> found = new ArrayList<>();
            for (RawConnection c : List.of(redis, ours)) {
                Set<String> seen = new HashSet<>();
                String cursor = "0";
                do {
                    List<String> args = new ArrayList<>(List.of("SSCAN", key, cursor));
                    args.addAll(options);
                    String reply = c.send(request(args.toArray(new String[0]))).readReply();
                    List<Object> parsed = parse(reply);
                    cursor = (String) parsed.get(0);
                    for (Object m : (List<?>) parsed.get(1)) seen.add((String) m);
                } while (!cursor.equals("0"));
                found.add(seen);
            }
            history.add(render(first.toArray(new String[0])) + " ... (whole iteration)");
            check(found.get(0).equals(found.get(1)), new String[] {found.get(0).toString(), found.get(1).toString()},
                    "SSCAN iteration");
        }
    }

    // ---- RESP helpers ----------------------------------------------------------------------

    static byte[] request(String... args) {
        List<byte[]> bytes = new ArrayList<>();
        for (String a : args) bytes.add(a.getBytes(StandardCharsets.ISO_8859_1));
        return RawConnection.request(bytes);
    }

    private static boolean isInteger(String s) {
        return s.matches("-?[1-9][0-9]{0,18}|0") && new java.math.BigInteger(s).bitLength() < 64;
    }

    /** The bulk strings of an aggregate reply (RESP2 or RESP3), in order. */
    static List<String> elements(String reply) {
        List<Object> parsed = parse(reply);
        List<String> out = new ArrayList<>();
        for (Object o : parsed) out.add((String) o);
        return out;
    }

    /** An aggregate reply of bulk strings (or of a cursor and such an aggregate) as nested lists. */
    static List<Object> parse(String reply) {
        int[] at = {0};
        Object value = value(reply, at);
        if (!(value instanceof List<?> l)) throw new AssertionError("not an aggregate: " + printable(reply));
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) l;
        return list;
    }

    private static Object value(String reply, int[] at) {
        int end = reply.indexOf("\r\n", at[0]);
        char type = reply.charAt(at[0]);
        String head = reply.substring(at[0] + 1, end);
        at[0] = end + 2;
        switch (type) {
            case '$' -> {
                int n = Integer.parseInt(head);
                String s = reply.substring(at[0], at[0] + n);
                at[0] += n + 2;
                return s;
            }
            case '*', '~' -> {
                int n = Integer.parseInt(head);
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < n; i++) items.add(value(reply, at));
                return items;
            }
            default -> {
                return type + head;
            }
        }
    }

    /** An aggregate reply with its elements sorted: the same for the same multiset of members. */
    static String sorted(String reply) {
        if (reply.isEmpty() || (reply.charAt(0) != '*' && reply.charAt(0) != '~')) return reply;
        List<String> items = new ArrayList<>(elements(reply));
        items.sort(Comparator.naturalOrder());
        return reply.charAt(0) + String.valueOf(items.size()) + " " + items;
    }

    static String render(String... args) {
        StringBuilder sb = new StringBuilder();
        for (String a : args) sb.append(sb.isEmpty() ? "" : " ").append('"').append(printable(a)).append('"');
        return sb.toString();
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char ch : s.toCharArray()) {
            if (ch >= 32 && ch < 127) sb.append(ch);
            else if (ch == '\r') sb.append("\\r");
            else if (ch == '\n') sb.append("\\n");
            else sb.append(String.format("\\x%02x", (int) ch));
        }
        return sb.toString();
    }

    @Test
    void parsingHelpersReadBothProtocols() {
        assertEquals(List.of("a", "b"), elements("*2\r\n$1\r\na\r\n$1\r\nb\r\n"));
        assertEquals(List.of("b", "a"), elements("~2\r\n$1\r\nb\r\n$1\r\na\r\n"));
        assertEquals(sorted("~2\r\n$1\r\na\r\n$1\r\nb\r\n"), sorted("~2\r\n$1\r\nb\r\n$1\r\na\r\n"));
        assertTrue(isInteger("-9223372036854775808"));
        assertTrue(!isInteger("9223372036854775808") && !isInteger("01") && !isInteger("-0"));
        assertEquals(Arrays.asList("0", List.of("x")), parse("*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n"));
    }
}
