package dev.cairn.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Sends the same seeded random hash commands to Cairn and to a real redis-server 7.0 and
 * compares the replies byte for byte, over RESP2 and RESP3. Small encoding thresholds
 * (CONFIG SET, also under the old ziplist names) and long fields and values make hashes
 * convert, and OBJECT ENCODING, DEBUG DIGEST-VALUE and MEMORY USAGE are compared along
 * the way.
 *
 * <p>Replies whose order or choice is up to the server are compared in the deterministic
 * part only: a table's HGETALL, HKEYS, HVALS and whole-hash HRANDFIELD as sorted
 * elements, a random HRANDFIELD by its shape (type and count), a table's HSCAN as the
 * set of pairs of a full iteration, and MEMORY USAGE only for listpacks (Redis's tables
 * are sometimes half-way through an incremental rehash).
 */
class HashDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 2000);

    @Test
    void randomCommandsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 20240701L), 2);
    }

    @Test
    void randomCommandsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 11L), 3);
    }

    /** How two replies are compared. */
    private enum Mode {
        EXACT, SORTED, SORTED_PAIRS, SHAPE
    }

    private static void compare(long seed, int protocol) throws IOException {
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            if (protocol == 3) {
                // The HELLO replies name different servers; only the switch matters.
                expected.command("HELLO", "3").readReply();
                actual.command("HELLO", "3").readReply();
            }
            Generator generator = new Generator(new Random(seed), protocol);
            List<String> history = new ArrayList<>();
            Session session = new Session(expected, actual, history);
            for (int i = 0; i < COMMANDS; i++) generator.next(session);
            for (String key : Generator.KEYS) {
                session.check(Mode.EXACT, "DEBUG", "DIGEST-VALUE", key);
                session.check(Mode.EXACT, "OBJECT", "ENCODING", key);
            }
            session.check(Mode.EXACT, "DEBUG", "DIGEST");
        }
    }

    /** Both connections, the commands sent so far, and the comparison of one command. */
    private record Session(RawConnection expected, RawConnection actual, List<String> history) {
        void check(Mode mode, String... args) throws IOException {
            List<byte[]> command = new ArrayList<>();
            for (String a : args) command.add(a.getBytes(StandardCharsets.ISO_8859_1));
            check(mode, command);
        }

        void check(Mode mode, List<byte[]> command) throws IOException {
            String want = send(expected, command);
            String got = send(actual, command);
            history.add(render(command));
            String w = mode == Mode.EXACT ? want : canonical(want, mode);
            String g = mode == Mode.EXACT ? got : canonical(got, mode);
            if (!w.equals(g)) {
                assertEquals(want, got, "commands up to the failing one (" + mode + "):\n"
                        + String.join("\n", history.subList(Math.max(0, history.size() - 40), history.size())));
            }
        }

        /** The reply both servers give (they must agree), without recording it. */
        String agreed(String... args) throws IOException {
            List<byte[]> command = new ArrayList<>();
            for (String a : args) command.add(a.getBytes(StandardCharsets.ISO_8859_1));
            String want = send(expected, command);
            String got = send(actual, command);
            history.add(render(command));
            assertEquals(want, got, "commands up to the failing one:\n"
                    + String.join("\n", history.subList(Math.max(0, history.size() - 40), history.size())));
            return want;
        }

        /** A full HSCAN iteration on each server: the same pairs, however many calls. */
        void checkFullScan(String key, String... options) throws IOException {
            history.add("(full HSCAN " + key + " " + String.join(" ", options) + ")");
            assertEquals(fullScan(expected, key, options), fullScan(actual, key, options), String.join("\n",
                    history.subList(Math.max(0, history.size() - 40), history.size())));
        }

        private static TreeSet<String> fullScan(RawConnection conn, String key, String... options) throws IOException {
            TreeSet<String> pairs = new TreeSet<>();
            String cursor = "0";
            do {
                List<byte[]> command = new ArrayList<>(List.of("HSCAN".getBytes(), key.getBytes(), cursor.getBytes()));
                for (String o : options) command.add(o.getBytes(StandardCharsets.ISO_8859_1));
                Resp reply = Resp.parse(send(conn, command));
                cursor = reply.children.get(0).payload;
                List<Resp> items = reply.children.get(1).children;
                for (int i = 0; i < items.size(); i += 2) pairs.add(items.get(i).text + items.get(i + 1).text);
            } while (!cursor.equals("0"));
            return pairs;
        }

        private static String send(RawConnection conn, List<byte[]> command) throws IOException {
            return conn.send(RawConnection.request(command)).readReply();
        }
    }

    /** A reply reduced to what both servers must agree on (see {@link Mode}). */
    private static String canonical(String reply, Mode mode) {
        Resp r = Resp.parse(reply);
        if (r.children == null) return mode == Mode.SHAPE && r.text.startsWith("$") ? "$" : r.text;
        if (mode == Mode.SHAPE) return r.text;
        List<String> items = new ArrayList<>();
        boolean pairs = mode == Mode.SORTED_PAIRS && r.children.stream().allMatch(c -> c.children == null);
        for (int i = 0; i < r.children.size(); i += pairs ? 2 : 1) {
            items.add(pairs ? canonical(r.children.get(i)) + canonical(r.children.get(i + 1)) : canonical(r.children.get(i)));
        }
        items.sort(null);
        return r.text + items;
    }

    private static String canonical(Resp r) {
        if (r.children == null) return r.text;
        StringBuilder sb = new StringBuilder(r.text);
        for (Resp c : r.children) sb.append(canonical(c));
        return sb.toString();
    }

    /**
     * A parsed reply: {@code text} is the whole reply for a scalar, the header line for an
     * aggregate (whose elements are {@code children}); {@code payload} is a bulk's content.
     */
    private record Resp(String text, String payload, List<Resp> children) {
        static Resp parse(String reply) {
            int[] at = {0};
            return parse(reply, at);
        }

        private static Resp parse(String s, int[] at) {
            int start = at[0];
            int eol = s.indexOf("\r\n", start);
            char type = s.charAt(start);
            String header = s.substring(start, eol + 2);
            at[0] = eol + 2;
            switch (type) {
                case '$', '=', '!' -> {
                    int length = Integer.parseInt(s.substring(start + 1, eol));
                    if (length < 0) return new Resp(header, null, null);
                    String payload = s.substring(at[0], at[0] + length);
                    at[0] += length + 2;
                    return new Resp(s.substring(start, at[0]), payload, null);
                }
                case '*', '~', '%', '>' -> {
                    int n = Integer.parseInt(s.substring(start + 1, eol));
                    if (n < 0) return new Resp(header, null, null);
                    if (type == '%') n *= 2;
                    List<Resp> children = new ArrayList<>();
                    for (int i = 0; i < n; i++) children.add(parse(s, at));
                    return new Resp(header, null, children);
                }
                default -> {
                    return new Resp(header, null, null);
                }
            }
        }
    }

    static String render(List<byte[]> args) {
        StringBuilder sb = new StringBuilder();
        for (byte[] a : args) {
            sb.append(sb.isEmpty() ? "" : " ").append('"');
            for (byte b : a) {
                int v = b & 0xff;
                if (v >= 32 && v < 127 && v != '"' && v != '\\') sb.append((char) v);
                else sb.append(String.format("\\x%02x", v));
            }
            sb.append('"');
        }
        return sb.toString();
    }

    /** Random hash commands, valid and invalid, over a few keys and fields. */
    private static final class Generator {
        static final String[] KEYS = {"h0", "h1", "h2", "h3", "s"};
        private static final String[] NUMBERS = {
            "0", "1", "-1", "7", "42", "-300", "9223372036854775807", "-9223372036854775808", "9223372036854775806",
            "-9223372036854775807", "100000", "127", "128", "-4096", "4095", "32767", "-32769", "8388607",
            "2147483648", "+5", " 5", "05", "-0", "1.5", "abc", "", "99999999999999999999"
        };
        private static final String[] FLOATS = {
            "0.1", "-0.1", "1.5", "3", "-2", "1e3", "1.5e-3", "10000000000.1", "0x10", "inf", "-inf", "nan", " 1",
            "abc", "", "1e308", "1e4000", "5.", ".5", "-0", "+7.25", "0.3333333333333333333333"
        };

        private final Random rnd;
        private final int protocol;

        Generator(Random rnd, int protocol) {
            this.rnd = rnd;
            this.protocol = protocol;
        }

        private String pick(String... options) {
            return options[rnd.nextInt(options.length)];
        }

        private String key() {
            return rnd.nextInt(15) == 0 ? pick("s", "missing") : KEYS[rnd.nextInt(4)];
        }

        private String field() {
            return switch (rnd.nextInt(12)) {
                case 0 -> "long-field-" + "x".repeat(rnd.nextInt(70));
                case 1 -> pick("", "1", "-5", "100");
                default -> "f" + rnd.nextInt(12);
            };
        }

        private String value() {
            return switch (rnd.nextInt(7)) {
                case 0 -> pick(NUMBERS);
                case 1 -> pick(FLOATS);
                case 2 -> "v".repeat(rnd.nextInt(80));
                case 3 -> Integer.toString(rnd.nextInt(2000) - 1000);
                default -> "val" + rnd.nextInt(50);
            };
        }

        void next(Session s) throws IOException {
            String key = key();
            switch (rnd.nextInt(40)) {
                case 0, 1, 2, 3, 4, 5 -> {
                    List<String> a = new ArrayList<>(List.of(pick("HSET", "HSET", "HMSET"), key));
                    int pairs = 1 + rnd.nextInt(4);
                    for (int i = 0; i < pairs; i++) {
                        a.add(field());
                        a.add(value());
                    }
                    if (rnd.nextInt(12) == 0) a.add(field());
                    s.check(Mode.EXACT, a.toArray(String[]::new));
                }
                case 6 -> s.check(Mode.EXACT, "HSETNX", key, field(), value());
                case 7, 8 -> s.check(Mode.EXACT, pick("HGET", "HEXISTS", "HSTRLEN"), key, field());
                case 9 -> {
                    List<String> a = new ArrayList<>(List.of("HMGET", key));
                    int n = 1 + rnd.nextInt(4);
                    for (int i = 0; i < n; i++) a.add(field());
                    s.check(Mode.EXACT, a.toArray(String[]::new));
                }
                case 10, 11, 12 -> {
                    List<String> a = new ArrayList<>(List.of("HDEL", key));
                    int n = 1 + rnd.nextInt(3);
                    for (int i = 0; i < n; i++) a.add(field());
                    s.check(Mode.EXACT, a.toArray(String[]::new));
                }
                case 13, 14 -> s.check(Mode.EXACT, "HINCRBY", key, field(), rnd.nextBoolean() ? pick(NUMBERS)
                        : Integer.toString(rnd.nextInt(200) - 100));
                case 15, 16 -> s.check(Mode.EXACT, "HINCRBYFLOAT", key, field(), rnd.nextBoolean() ? pick(FLOATS)
                        : rnd.nextInt(100) + "." + rnd.nextInt(100));
                case 17 -> s.check(Mode.EXACT, pick("HLEN", "TYPE", "EXISTS"), key);
                case 18, 19, 20 -> {
                    String cmd = pick("HGETALL", "HKEYS", "HVALS");
                    s.check(orderMode(s, key, cmd.equals("HGETALL")), cmd, key);
                }
                case 21, 22, 23 -> randomField(s, key);
                case 24, 25 -> scan(s, key);
                case 26, 27 -> {
                    String encoding = s.agreed("OBJECT", "ENCODING", key);
                    s.check(Mode.EXACT, "DEBUG", "DIGEST-VALUE", key);
                    if (encoding.contains("listpack")) s.check(Mode.EXACT, "MEMORY", "USAGE", key);
                }
                case 28 -> {
                    String name = pick("hash-max-listpack-entries", "hash-max-ziplist-entries");
                    s.check(Mode.EXACT, "CONFIG", "SET", name, pick("0", "1", "2", "3", "4", "6", "8", "16", "512"));
                }
                case 29 -> {
                    String name = pick("hash-max-listpack-value", "hash-max-ziplist-value");
                    s.check(Mode.EXACT, "CONFIG", "SET", name, pick("0", "1", "3", "5", "8", "16", "64"));
                }
                case 30, 31 -> s.check(Mode.EXACT, "DEL", key);
                case 32 -> s.check(Mode.EXACT, "SET", "s", value());
                case 33 -> s.check(Mode.EXACT, "COPY", key, KEYS[rnd.nextInt(4)], "REPLACE");
                default -> s.check(Mode.EXACT, "OBJECT", "ENCODING", key);
            }
        }

        /** Exact for a listpack (insertion order in both servers), sorted for a table. */
        private Mode orderMode(Session s, String key, boolean pairs) throws IOException {
            String encoding = s.agreed("OBJECT", "ENCODING", key);
            if (!encoding.contains("hashtable")) return Mode.EXACT;
            return pairs ? Mode.SORTED_PAIRS : Mode.SORTED;
        }

        private void randomField(Session s, String key) throws IOException {
            switch (rnd.nextInt(5)) {
                case 0 -> s.check(Mode.SHAPE, "HRANDFIELD", key);
                case 1 -> s.check(Mode.EXACT, "HRANDFIELD", key, pick("x", "1.5", "-9223372036854775808"),
                        "WITHVALUES");
                case 2 -> s.check(Mode.EXACT, "HRANDFIELD", key, pick("0", "1", "5"), pick("WITHVALUE", "withvalues", "x"),
                        pick("x", "WITHVALUES"));
                default -> {
                    long count = rnd.nextInt(4) == 0 ? 100 : rnd.nextInt(21) - 10;
                    boolean withValues = rnd.nextBoolean();
                    String hlen = s.agreed("HLEN", key);
                    long size = hlen.startsWith(":") ? Long.parseLong(hlen.substring(1).strip()) : 0;
                    // The whole hash: deterministic as a set; otherwise a random choice.
                    Mode mode = count >= size || count == 0
                            ? (withValues && protocol == 2 ? Mode.SORTED_PAIRS : Mode.SORTED) : Mode.SHAPE;
                    if (withValues) s.check(mode, "HRANDFIELD", key, Long.toString(count), "WITHVALUES");
                    else s.check(mode, "HRANDFIELD", key, Long.toString(count));
                }
            }
        }

        private void scan(Session s, String key) throws IOException {
            List<String> options = new ArrayList<>();
            if (rnd.nextBoolean()) options.addAll(List.of("MATCH", pick("f1*", "*", "long*", "f?", "[a-f]*")));
            if (rnd.nextBoolean()) options.addAll(List.of("COUNT", pick("1", "3", "10", "100")));
            if (rnd.nextInt(15) == 0) options.add(pick("COUNT", "NOVALUES"));
            String encoding = s.agreed("OBJECT", "ENCODING", key);
            if (encoding.contains("hashtable") && !options.contains("NOVALUES") && options.size() % 2 == 0) {
                s.checkFullScan(key, options.toArray(String[]::new));
            } else {
                List<String> a = new ArrayList<>(List.of("HSCAN", key, pick("0", "0", "abc", "-1")));
                a.addAll(options);
                s.check(Mode.EXACT, a.toArray(String[]::new));
            }
        }
    }
}
