package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sends the same seeded random list commands to Cairn and to a real redis-server 7.0 and
 * asserts that every reply is byte-for-byte the same, over RESP2 and RESP3. A few keys,
 * one of them often a string, and a small alphabet of elements make commands meet each
 * other's data (LPOS and LREM find matches, LMOVE moves onto existing lists, pops empty
 * lists). The blocking commands run with a timeout of 10 ms: with one client their
 * reply is the same whether or not they wait. MEMORY USAGE and DEBUG DIGEST-VALUE are
 * compared too: the lists stay within one quicklist node, where Cairn's figures are Redis's.
 */
class ListDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 1500);
    private static final String[] KEYS = {"l0", "l1", "l2", "s"};

    @Test
    void randomCommandsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 20240611L), 2);
    }

    @Test
    void randomCommandsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 11L), 3);
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
            Generator generator = new Generator(new Random(seed));
            List<String> history = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                List<byte[]> command = generator.next();
                history.add(render(command));
                byte[] request = RawConnection.request(command);
                String want = expected.send(request).readReply();
                String got = actual.send(request).readReply();
                if (!want.equals(got)) {
                    // The state may have diverged earlier: show recent commands and the lists.
                    StringBuilder keys = new StringBuilder();
                    for (String k : KEYS) {
                        byte[] range = RawConnection.request(List.of("LRANGE".getBytes(), k.getBytes(),
                                "0".getBytes(), "-1".getBytes()));
                        keys.append(k).append(": redis ").append(expected.send(range).readReply().replace("\r\n", " "))
                                .append("| cairn ").append(actual.send(range).readReply().replace("\r\n", " "))
                                .append('\n');
                    }
                    assertEquals(want, got, "commands up to the failing one:\n"
                            + String.join("\n", history.subList(Math.max(0, history.size() - 40), history.size()))
                            + "\nlists now:\n" + keys);
                }
            }
            assertEquals(expected.call("DEBUG", "DIGEST"), actual.call("DEBUG", "DIGEST"), "the whole dataset");
            // Every element pushed, popped, trimmed or removed counts as a change, as in Redis.
            assertEquals(changes(expected), changes(actual), "rdb_changes_since_last_save");
        }
    }

    private static String changes(RawConnection c) throws IOException {
        for (String line : c.call("INFO", "persistence").split("\r\n")) {
            if (line.startsWith("rdb_changes_since_last_save:")) return line;
        }
        throw new AssertionError("no rdb_changes_since_last_save");
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

    /** Random list commands, valid and invalid. */
    private static final class Generator {
        private static final String[] ELEMENTS = {"a", "b", "c", "a", "b", "0", "17", "-3", "300", "100000", ""};
        private static final String[] INDEXES = {
            "0", "1", "2", "-1", "-2", "3", "5", "-6", "100", "-100", "9223372036854775807", "-9223372036854775808",
            "x", "1.5", "", "+1"
        };
        private final Random rnd;

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        private String pick(String... options) {
            return options[rnd.nextInt(options.length)];
        }

        private String key() {
            return rnd.nextInt(12) == 0 ? "missing" : KEYS[rnd.nextInt(KEYS.length)];
        }

        private byte[] element() {
            return switch (rnd.nextInt(10)) {
                case 0 -> {
                    byte[] b = new byte[rnd.nextInt(5)];
                    rnd.nextBytes(b);
                    yield b;
                }
                case 1 -> "x".repeat(rnd.nextInt(90)).getBytes(StandardCharsets.ISO_8859_1);
                default -> pick(ELEMENTS).getBytes(StandardCharsets.ISO_8859_1);
            };
        }

        private String index() {
            return rnd.nextInt(4) == 0 ? pick(INDEXES) : Integer.toString(rnd.nextInt(15) - 7);
        }

        private String end() {
            return rnd.nextInt(15) == 0 ? pick("UP", "middle", "") : pick("LEFT", "RIGHT", "left", "Right");
        }

        private String timeout() {
            return rnd.nextInt(15) == 0 ? pick("-1", "x", "inf", "nan") : pick("0.01", ".01", "0.012");
        }

        List<byte[]> next() {
            List<Object> a = new ArrayList<>();
            switch (rnd.nextInt(40)) {
                case 0, 1, 2, 3, 4, 5 -> {
                    a.add(pick("LPUSH", "RPUSH", "LPUSH", "RPUSH", "LPUSHX", "RPUSHX"));
                    a.add(key());
                    int n = rnd.nextInt(4) + (rnd.nextInt(10) == 0 ? 0 : 1);
                    for (int i = 0; i < n; i++) a.add(element());
                }
                case 6, 7, 8 -> {
                    a.add(pick("LPOP", "RPOP"));
                    a.add(key());
                    if (rnd.nextBoolean()) a.add(rnd.nextInt(5) == 0 ? pick(INDEXES) : Integer.toString(rnd.nextInt(4)));
                    if (rnd.nextInt(20) == 0) a.add("1");
                }
                case 9 -> {
                    a.add("LLEN");
                    a.add(key());
                }
                case 10, 11, 12 -> {
                    a.add("LRANGE");
                    a.add(key());
                    a.add(index());
                    a.add(index());
                }
                case 13, 14 -> {
                    a.add("LINDEX");
                    a.add(key());
                    a.add(index());
                }
                case 15 -> {
                    a.add("LSET");
                    a.add(key());
                    a.add(index());
                    a.add(element());
                }
                case 16, 17 -> {
                    a.add("LREM");
                    a.add(key());
                    a.add(rnd.nextInt(5) == 0 ? pick(INDEXES) : Integer.toString(rnd.nextInt(5) - 2));
                    a.add(element());
                }
                case 18 -> {
                    a.add("LTRIM");
                    a.add(key());
                    a.add(index());
                    a.add(index());
                }
                case 19, 20 -> {
                    a.add("LINSERT");
                    a.add(key());
                    a.add(rnd.nextInt(12) == 0 ? "AROUND" : pick("BEFORE", "AFTER", "before", "After"));
                    a.add(element());
                    a.add(element());
                }
                case 21, 22, 23 -> {
                    a.add("LPOS");
                    a.add(key());
                    a.add(element());
                    int options = rnd.nextInt(4);
                    for (int i = 0; i < options; i++) {
                        String o = pick("RANK", "COUNT", "MAXLEN", "rank", "count", "FOO");
                        a.add(o);
                        if (rnd.nextInt(10) != 0) {
                            a.add(rnd.nextInt(4) == 0 ? pick(INDEXES) : Integer.toString(rnd.nextInt(7) - 3));
                        }
                    }
                }
                case 24, 25 -> {
                    a.add("LMOVE");
                    a.add(key());
                    a.add(key());
                    a.add(end());
                    a.add(end());
                }
                case 26 -> {
                    a.add("RPOPLPUSH");
                    a.add(key());
                    a.add(key());
                }
                case 27, 28 -> lmpop(a, false);
                case 29 -> {
                    a.add(pick("BLPOP", "BRPOP"));
                    int n = rnd.nextInt(3) + 1;
                    for (int i = 0; i < n; i++) a.add(key());
                    a.add(timeout());
                }
                case 30 -> {
                    a.add("BLMOVE");
                    a.add(key());
                    a.add(key());
                    a.add(end());
                    a.add(end());
                    a.add(timeout());
                }
                case 31 -> {
                    a.add("BRPOPLPUSH");
                    a.add(key());
                    a.add(key());
                    a.add(timeout());
                }
                case 32 -> lmpop(a, true);
                case 33 -> {
                    a.add(pick("SET", "DEL", "DEL", "TYPE", "EXISTS", "OBJECT"));
                    if (a.getFirst().equals("OBJECT")) a.add("ENCODING");
                    a.add(key());
                    if (a.getFirst().equals("SET")) a.add(element());
                }
                case 34, 35 -> {
                    a.add("MEMORY");
                    a.add("USAGE");
                    a.add(key());
                }
                case 36 -> {
                    a.add("DEBUG");
                    a.add("DIGEST-VALUE");
                    a.add(key());
                    a.add(key());
                }
                case 37 -> {
                    a.add("COPY");
                    a.add(key());
                    a.add(key());
                    if (rnd.nextBoolean()) a.add("REPLACE");
                }
                default -> {
                    a.add(pick("LPUSH", "LRANGE", "LPOS", "LMPOP", "BLPOP", "LINSERT", "LSET", "LMOVE", "LPOP"));
                    if (rnd.nextBoolean()) a.add(key());
                }
            }
            List<byte[]> args = new ArrayList<>();
            for (Object o : a) {
                args.add(o instanceof byte[] b ? b : ((String) o).getBytes(StandardCharsets.ISO_8859_1));
            }
            return args;
        }

        private void lmpop(List<Object> a, boolean blocking) {
            a.add(blocking ? "BLMPOP" : "LMPOP");
            if (blocking) a.add(timeout());
            int n = rnd.nextInt(3) + 1;
            a.add(rnd.nextInt(10) == 0 ? pick("0", "-1", "x", "5", "9223372036854775807") : Integer.toString(n));
            for (int i = 0; i < n; i++) a.add(key());
            a.add(end());
            if (rnd.nextInt(3) == 0) {
                a.add(pick("COUNT", "count", "LIMIT"));
                if (rnd.nextInt(8) != 0) a.add(rnd.nextInt(5) == 0 ? pick(INDEXES) : Integer.toString(rnd.nextInt(4)));
            }
        }
    }
}
