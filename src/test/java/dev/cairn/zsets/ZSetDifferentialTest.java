package dev.cairn.zsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.RespReader;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Sends the same seeded random sorted-set commands to Cairn and to a real redis-server
 * 7.0 and asserts that the replies are byte-for-byte the same, over RESP2 and RESP3.
 * Small encoding thresholds (changed now and then with CONFIG SET, under both the
 * listpack and the old ziplist names) make keys move between the listpack and skiplist
 * encodings, and OBJECT ENCODING, DEBUG DIGEST-VALUE and MEMORY USAGE (of listpacks)
 * are compared after changes. Replies that are random by design (ZRANDMEMBER) are
 * compared by shape only, and ZSCAN by the set of pairs a whole iteration returns.
 *
 * <p>Keys z0..z3 get mixed scores; keys l0, l1 only score 0, so that lexicographic ranges
 * (meaningful only for equal scores) are asked of them alone.
 */
class ZSetDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 3000);
    private static final String[] OPTIONS = {
        "--zset-max-listpack-entries", "8", "--zset-max-listpack-value", "6", "--enable-debug-command", "yes"
    };

    @Test
    void randomCommandsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 20240607L), 2);
    }

    @Test
    void randomCommandsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 11L), 3);
    }

    /** COMMAND INFO byte for byte; COMMAND DOCS but for the summary and per-argument "since". */
    @Test
    void commandInfoAndDocsMatchRedis() throws IOException {
        String[] names = {
            "bzmpop", "bzpopmax", "bzpopmin", "zadd", "zcard", "zcount", "zdiff", "zdiffstore", "zincrby", "zinter",
            "zintercard", "zinterstore", "zlexcount", "zmpop", "zmscore", "zpopmax", "zpopmin", "zrandmember", "zrange",
            "zrangebylex", "zrangebyscore", "zrangestore", "zrank", "zrem", "zremrangebylex", "zremrangebyrank",
            "zremrangebyscore", "zrevrange", "zrevrangebylex", "zrevrangebyscore", "zrevrank", "zscan", "zscore",
            "zunion", "zunionstore"
        };
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String name : names) {
                assertEquals(expected.call("COMMAND", "INFO", name), actual.call("COMMAND", "INFO", name), name);
                Object want = withoutOwnWords(RespReader.parse(expected.call("COMMAND", "DOCS", name)));
                Object got = withoutOwnWords(RespReader.parse(actual.call("COMMAND", "DOCS", name)));
                assertEquals(want, got, name);
            }
            assertEquals(expected.call("COMMAND", "GETKEYSANDFLAGS", "ZRANGESTORE", "dst", "src", "0", "-1"),
                    actual.call("COMMAND", "GETKEYSANDFLAGS", "ZRANGESTORE", "dst", "src", "0", "-1"));
            assertEquals(expected.call("COMMAND", "GETKEYSANDFLAGS", "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"),
                    actual.call("COMMAND", "GETKEYSANDFLAGS", "ZUNIONSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "2"));
            assertEquals(expected.call("COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MIN"),
                    actual.call("COMMAND", "GETKEYS", "BZMPOP", "0", "2", "a", "b", "MIN"));
        }
    }

    /**
     * Drops what Cairn words itself or does not track: the summary, and the "since" of
     * each argument (flat RESP2 maps: name, value, name, value...).
     */
    private static Object withoutOwnWords(Object docs) {
        if (!(docs instanceof List<?> list)) return docs;
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            boolean mapKey = i % 2 == 0 && i + 1 < list.size() && isFlatMap(list);
            if (mapKey && ("summary".equals(item) || ("since".equals(item) && list.contains("name")))) {
                i++;
                continue;
            }
            out.add(withoutOwnWords(item));
        }
        return out;
    }

    private static boolean isFlatMap(List<?> list) {
        if (list.size() % 2 != 0) return false;
        for (int i = 0; i < list.size(); i += 2) if (!(list.get(i) instanceof String)) return false;
        return true;
    }

    private static void compare(long seed, int protocol) throws IOException {
        try (RealRedis real = RealRedis.start(OPTIONS);
                TestServer cairn = TestServer.start(OPTIONS);
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            if (protocol == 3) {
                expected.command("HELLO", "3").readReply();
                actual.command("HELLO", "3").readReply();
            }
            Generator generator = new Generator(new Random(seed));
            List<String> history = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                List<String> command = generator.next();
                history.add(String.join(" ", command));
                String name = command.getFirst().toUpperCase();
                String context = "commands up to the failing one:\n"
                        + String.join("\n", history.subList(Math.max(0, history.size() - 40), history.size()));
                if (name.equals("ZSCAN") && command.size() >= 3) {
                    assertEquals(scanAll(expected, command), scanAll(actual, command), context);
                    continue;
                }
                byte[] request = RawConnection.request(latin1(command));
                String want = expected.send(request).readReply();
                String got = actual.send(request).readReply();
                if (name.equals("ZRANDMEMBER") || (name.equals("MEMORY") && !want.startsWith("-"))) {
                    // Random by design, or sampled from a skip list whose node levels are random.
                    if (name.equals("MEMORY") && listpack(expected, command.get(2))) assertEquals(want, got, context);
                    else assertEquals(shape(want), shape(got), context);
                } else {
                    assertEquals(want, got, context);
                }
                if (generator.changedKey != null) {
                    for (String probe : new String[] {"OBJECT ENCODING", "DEBUG DIGEST-VALUE"}) {
                        List<String> args = new ArrayList<>(List.of(probe.split(" ")));
                        args.add(generator.changedKey);
                        byte[] p = RawConnection.request(latin1(args));
                        assertEquals(expected.send(p).readReply(), actual.send(p).readReply(),
                                probe + " " + generator.changedKey + " after " + context);
                    }
                }
            }
        }
    }

    private static boolean listpack(RawConnection c, String key) throws IOException {
        return c.call("OBJECT", "ENCODING", key).contains("listpack");
    }

    /** Every member-score pair a full ZSCAN iteration returns (the options after the cursor kept). */
    private static String scanAll(RawConnection c, List<String> command) throws IOException {
        TreeSet<String> pairs = new TreeSet<>();
        String cursor = "0";
        int calls = 0;
        do {
            List<String> args = new ArrayList<>(command);
            args.set(2, cursor);
            String reply = c.send(RawConnection.request(latin1(args))).readReply();
            if (reply.startsWith("-")) return reply;
            List<?> parts = (List<?>) RespReader.parse(reply);
            cursor = (String) parts.get(0);
            List<?> elements = (List<?>) parts.get(1);
            for (int i = 0; i + 1 < elements.size(); i += 2) pairs.add(elements.get(i) + "=" + elements.get(i + 1));
        } while (!cursor.equals("0") && ++calls < 1000);
        return pairs.toString();
    }

    /** A reply with every string, number and double replaced by its type: its shape. */
    static String shape(String reply) {
        StringBuilder out = new StringBuilder();
        int[] at = {0};
        shape(reply, at, out);
        return out.toString();
    }

    private static void shape(String reply, int[] at, StringBuilder out) {
        char type = reply.charAt(at[0]);
        int end = reply.indexOf("\r\n", at[0]);
        String line = reply.substring(at[0] + 1, end);
        at[0] = end + 2;
        switch (type) {
            case '$' -> {
                int length = Integer.parseInt(line);
                if (length >= 0) at[0] += length + 2;
                out.append(length < 0 ? "nil " : "bulk ");
            }
            case '*', '~', '%' -> {
                int count = Integer.parseInt(line) * (type == '%' ? 2 : 1);
                out.append(type).append(count).append('[');
                for (int i = 0; i < count; i++) shape(reply, at, out);
                out.append("] ");
            }
            case ',' -> out.append("double ");
            case ':' -> out.append("int ");
            default -> out.append(type).append(line).append(' ');
        }
    }

    private static List<byte[]> latin1(List<String> args) {
        List<byte[]> out = new ArrayList<>();
        for (String a : args) out.add(a.getBytes(StandardCharsets.ISO_8859_1));
        return out;
    }

    /** Random sorted-set commands, valid and invalid. */
    private static final class Generator {
        private static final String[] KEYS = {"z0", "z1", "z2", "z3"};
        private static final String[] LEX_KEYS = {"l0", "l1"};
        private static final String[] SCORES = {
            "0", "1", "2", "3", "-1", "5", "10", "1.5", "-2.25", "0.1", "3.0", "1e17", "4611686018427387904",
            "-4611686018427387904", "9007199254740993", "1e300", "inf", "-inf", "+inf", "-0", "0x10", "0x1p-2",
            "1e-320", ".5", "5."
        };
        private static final String[] BAD_SCORES = {"nan", "abc", "", " 1", "1 ", "1e400", "1e-400", "0x", "--1", "1e"};
        private static final String[] BOUNDS = {
            "-inf", "+inf", "inf", "0", "1", "(1", "2", "(2", "5", "(5", "-1", "(-1", "10", "1.5", "(1.5", "1e17",
            "(inf", "(-inf", "", "(", " 3", "0x2", "nan", "x", "(x", "1e400", "-1e400", "3\u00002"
        };
        private static final String[] LEX_BOUNDS = {"-", "+", "[a", "(a", "[b", "(b", "[bb", "(c", "[d", "[", "(", "a", "", "+x", "-\u0000"};
        private static final String[] INTS = {"0", "1", "-1", "2", "-2", "3", "5", "-5", "10", "100", "-100", "x", "1.5",
            "9223372036854775807", "-9223372036854775808"};

        private final Random rnd;
        /** The key the last command may have changed, whose encoding and digest are then compared. */
        String changedKey;

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        private String pick(String... options) {
            return options[rnd.nextInt(options.length)];
        }

        private boolean chance(int percent) {
            return rnd.nextInt(100) < percent;
        }

        private String member() {
            if (chance(8)) return "longmember" + rnd.nextInt(3);
            StringBuilder sb = new StringBuilder();
            int n = 1 + rnd.nextInt(chance(20) ? 3 : 1);
            for (int i = 0; i < n; i++) sb.append((char) ('a' + rnd.nextInt(6)));
            return chance(5) ? String.valueOf(rnd.nextInt(200) - 50) : sb.toString();
        }

        private String score() {
            if (chance(4)) return pick(BAD_SCORES);
            if (chance(50)) return String.valueOf(rnd.nextInt(12) - 3);
            return pick(SCORES);
        }

        private String key() {
            return chance(85) ? pick(KEYS) : chance(50) ? "s" : "missing";
        }

        private String anyKey() {
            return chance(80) ? key() : pick(LEX_KEYS);
        }

        private String integer() {
            return chance(70) ? String.valueOf(rnd.nextInt(12) - 4) : pick(INTS);
        }

        List<String> next() {
            changedKey = null;
            List<String> a = new ArrayList<>();
            int kind = rnd.nextInt(48);
            switch (kind) {
                case 0, 1, 2, 3, 4, 5 -> zadd(a);
                case 6 -> {
                    String k = pick(LEX_KEYS);
                    a.addAll(List.of("ZADD", k));
                    if (chance(20)) a.add(pick("NX", "XX", "CH"));
                    int n = 1 + rnd.nextInt(4);
                    for (int i = 0; i < n; i++) a.addAll(List.of("0", member()));
                    changedKey = k;
                }
                case 7 -> {
                    a.addAll(List.of("ZINCRBY", key(), score(), member()));
                    changedKey = a.get(1);
                }
                case 8, 9 -> {
                    a.addAll(List.of("ZREM", anyKey()));
                    int n = 1 + rnd.nextInt(3);
                    for (int i = 0; i < n; i++) a.add(member());
                    changedKey = a.get(1);
                }
                case 10 -> a.addAll(List.of(pick("ZCARD", "TYPE", "EXISTS", "OBJECT"), anyKey()));
                case 11 -> a.addAll(List.of(pick("ZSCORE", "ZRANK", "ZREVRANK"), anyKey(), member()));
                case 12 -> {
                    a.addAll(List.of("ZMSCORE", anyKey()));
                    int n = 1 + rnd.nextInt(3);
                    for (int i = 0; i < n; i++) a.add(member());
                }
                case 13 -> a.addAll(List.of("ZCOUNT", key(), pick(BOUNDS), pick(BOUNDS)));
                case 14 -> a.addAll(List.of("ZLEXCOUNT", chance(90) ? pick(LEX_KEYS) : "s", pick(LEX_BOUNDS), pick(LEX_BOUNDS)));
                case 15, 16, 17 -> zrange(a, "ZRANGE", false);
                case 18 -> zrange(a, "ZRANGESTORE", true);
                case 19 -> {
                    boolean rev = chance(50);
                    a.addAll(List.of(rev ? "ZREVRANGEBYSCORE" : "ZRANGEBYSCORE", key(), pick(BOUNDS), pick(BOUNDS)));
                    options(a, true, true);
                }
                case 20 -> {
                    boolean rev = chance(50);
                    a.addAll(List.of(rev ? "ZREVRANGEBYLEX" : "ZRANGEBYLEX", pick(LEX_KEYS), pick(LEX_BOUNDS), pick(LEX_BOUNDS)));
                    options(a, false, true);
                }
                case 21 -> {
                    a.addAll(List.of("ZREVRANGE", anyKey(), integer(), integer()));
                    if (chance(50)) a.add("WITHSCORES");
                }
                case 22 -> {
                    a.addAll(List.of("ZREMRANGEBYRANK", anyKey(), integer(), integer()));
                    changedKey = a.get(1);
                }
                case 23 -> {
                    a.addAll(List.of("ZREMRANGEBYSCORE", key(), pick(BOUNDS), pick(BOUNDS)));
                    changedKey = a.get(1);
                }
                case 24 -> {
                    a.addAll(List.of("ZREMRANGEBYLEX", pick(LEX_KEYS), pick(LEX_BOUNDS), pick(LEX_BOUNDS)));
                    changedKey = a.get(1);
                }
                case 25, 26, 27, 28 -> algebra(a);
                case 29, 30 -> {
                    a.addAll(List.of(pick("ZPOPMIN", "ZPOPMAX", "zpopmin"), anyKey()));
                    if (chance(60)) a.add(chance(80) ? String.valueOf(rnd.nextInt(5)) : pick("-1", "x", "0"));
                    if (chance(3)) a.add("1");
                    changedKey = a.get(1);
                }
                case 31 -> {
                    boolean blocking = chance(30);
                    a.add(blocking ? "BZMPOP" : "ZMPOP");
                    if (blocking) a.add("0.01");
                    int n = chance(90) ? 1 + rnd.nextInt(3) : pick(0, -1, 9);
                    a.add(String.valueOf(n));
                    for (int i = 0; i < Math.max(n, 0) && i < 3; i++) a.add(anyKey());
                    a.add(pick("MIN", "MAX", "min", "MID"));
                    if (chance(50)) a.addAll(List.of("COUNT", chance(80) ? String.valueOf(1 + rnd.nextInt(4)) : pick("0", "-1", "x")));
                }
                case 32 -> {
                    a.add(pick("BZPOPMIN", "BZPOPMAX"));
                    int n = 1 + rnd.nextInt(2);
                    for (int i = 0; i < n; i++) a.add(anyKey());
                    a.add(chance(90) ? "0.01" : pick("-1", "x", "inf"));
                    changedKey = a.get(1);
                }
                case 33, 34 -> {
                    a.addAll(List.of("ZRANDMEMBER", anyKey()));
                    if (chance(80)) a.add(chance(80) ? String.valueOf(rnd.nextInt(25) - 12) : pick(INTS));
                    if (a.size() == 3 && chance(50)) a.add(chance(90) ? "WITHSCORES" : "x");
                }
                case 35, 36 -> {
                    a.addAll(List.of("ZSCAN", anyKey(), "0"));
                    if (chance(40)) a.addAll(List.of("MATCH", pick("*", "a*", "*b*", "[a-c]", "longmember*")));
                    if (chance(40)) a.addAll(List.of("COUNT", pick("1", "2", "5", "100")));
                }
                case 37 -> a.addAll(List.of("MEMORY", "USAGE", anyKey()));
                case 38 -> {
                    String setting = pick("zset-max-listpack-entries", "zset-max-ziplist-entries", "zset-max-listpack-value",
                            "zset-max-ziplist-value");
                    a.addAll(List.of("CONFIG", "SET", setting, setting.endsWith("entries") ? pick("0", "1", "4", "8", "128")
                            : pick("0", "2", "6", "64")));
                }
                case 39 -> {
                    a.addAll(List.of("DEL", anyKey()));
                }
                case 40 -> a.addAll(List.of("SET", "s", "v"));
                case 41 -> {
                    a.addAll(List.of("COPY", anyKey(), pick(KEYS)));
                    if (chance(50)) a.add("REPLACE");
                    changedKey = a.get(2);
                }
                case 42 -> a.addAll(List.of("DEBUG", "DIGEST-VALUE", anyKey()));
                case 43 -> {
                    a.addAll(List.of("ZINCRBY", key(), pick("NX", "incr", "1"), member()));
                    changedKey = a.get(1);
                }
                case 44 -> a.addAll(List.of(pick("ZADD", "ZRANGE", "ZUNION", "ZINTERCARD", "ZRANGESTORE", "ZMPOP", "BZPOPMIN", "ZSCAN"), key()));
                default -> {
                    a.addAll(List.of("ZRANGE", anyKey(), "0", "-1", "WITHSCORES"));
                }
            }
            return a;
        }

        private int pick(int... options) {
            return options[rnd.nextInt(options.length)];
        }

        private void zadd(List<String> a) {
            String k = key();
            a.addAll(List.of("ZADD", k));
            int options = chance(60) ? 0 : 1 + rnd.nextInt(3);
            boolean incr = false;
            for (int i = 0; i < options; i++) {
                String o = pick("NX", "XX", "GT", "LT", "CH", "INCR", "nx", "ch", "gt");
                incr |= o.equalsIgnoreCase("incr");
                a.add(o);
            }
            int pairs = incr && chance(90) ? 1 : 1 + rnd.nextInt(4);
            for (int i = 0; i < pairs; i++) {
                a.add(score());
                a.add(member());
            }
            if (chance(3)) a.add("odd");
            changedKey = k;
        }

        private void zrange(List<String> a, String command, boolean store) {
            a.add(command);
            if (store) {
                String dst = chance(80) ? pick(KEYS) : "s";
                a.add(dst);
                changedKey = dst;
            }
            int type = rnd.nextInt(3);
            boolean lex = type == 2;
            String src = lex ? pick(LEX_KEYS) : anyKey();
            if (store && lex) {
                a.set(1, pick(LEX_KEYS));
                changedKey = a.get(1);
            }
            a.add(src);
            if (type == 0) {
                a.add(integer());
                a.add(integer());
            } else if (type == 1) {
                a.add(pick(BOUNDS));
                a.add(pick(BOUNDS));
                a.add(chance(90) ? "BYSCORE" : "byscore");
            } else {
                a.add(pick(LEX_BOUNDS));
                a.add(pick(LEX_BOUNDS));
                a.add("BYLEX");
            }
            if (chance(40)) a.add("REV");
            options(a, !store, type != 0 || chance(10));
            if (chance(3)) a.add(pick("BYSCORE", "REV", "BYLEX", "FOO"));
        }

        private void options(List<String> a, boolean withScores, boolean limit) {
            if (withScores && chance(50)) a.add("WITHSCORES");
            if (limit && chance(50)) {
                a.add("LIMIT");
                a.add(chance(85) ? String.valueOf(rnd.nextInt(5)) : pick("-1", "x", "100"));
                a.add(chance(85) ? String.valueOf(rnd.nextInt(6) - 1) : pick("-5", "x", "0"));
            }
        }

        private void algebra(List<String> a) {
            String op = pick("ZUNION", "ZINTER", "ZDIFF", "ZUNIONSTORE", "ZINTERSTORE", "ZDIFFSTORE", "ZINTERCARD");
            boolean store = op.endsWith("STORE");
            a.add(op);
            boolean lexOnly = false;
            if (store) {
                String dst = chance(85) ? pick(KEYS) : chance(50) ? pick(LEX_KEYS) : "s";
                lexOnly = dst.startsWith("l");
                a.add(dst);
                changedKey = dst;
            }
            int n = chance(95) ? 1 + rnd.nextInt(3) : pick(0, -1, 5);
            a.add(chance(97) ? String.valueOf(n) : "x");
            for (int i = 0; i < Math.max(0, Math.min(n, 3)); i++) a.add(lexOnly ? pick(LEX_KEYS) : anyKey());
            if (!op.equals("ZDIFF") && !op.equals("ZDIFFSTORE") && !op.equals("ZINTERCARD")) {
                if (chance(40) && !lexOnly) {
                    a.add("WEIGHTS");
                    for (int i = 0; i < Math.max(0, n); i++) {
                        a.add(chance(90) ? pick("1", "2", "0.5", "-1", "0", "inf", "-inf", "1e308") : pick("x", "nan", ""));
                    }
                }
                if (chance(40)) a.addAll(List.of("AGGREGATE", chance(90) ? pick("SUM", "MIN", "MAX", "max") : "AVG"));
            }
            if (op.equals("ZINTERCARD") && chance(50)) {
                a.addAll(List.of("LIMIT", chance(85) ? String.valueOf(rnd.nextInt(4)) : pick("-1", "x")));
            }
            if (!store && !op.equals("ZINTERCARD") && chance(50)) a.add("WITHSCORES");
        }
    }
}
