package dev.cairn.strings;

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
 * Sends the same seeded random string and bitmap commands to Cairn and to a real
 * redis-server 7.0 and asserts that every reply is byte-for-byte the same. Arguments
 * mix valid and invalid values over a small key space so that commands interact
 * (APPEND after INCR, BITOP over SETRANGE results, ...). Expiry amounts are either
 * invalid, far in the future or already past, so no reply depends on timing.
 */
class StringDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 600);

    @Test
    void randomCommandsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 20240601L), 2);
    }

    @Test
    void randomCommandsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 7L), 3);
    }

    /**
     * INCRBYFLOAT's long double arithmetic and printing against the real thing: random
     * decimal and hexadecimal numbers of every magnitude, accumulated in a few keys.
     */
    @Test
    void incrbyfloatArithmetic() throws IOException {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 99L));
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (int i = 0; i < COMMANDS * 3; i++) {
                String key = "f" + rnd.nextInt(4);
                List<byte[]> command = rnd.nextInt(30) == 0
                        ? List.of("GETDEL".getBytes(), key.getBytes())
                        : List.of("INCRBYFLOAT".getBytes(), key.getBytes(), randomFloat(rnd).getBytes());
                byte[] request = RawConnection.request(command);
                assertEquals(expected.send(request).readReply(), actual.send(request).readReply(), render(command));
            }
        }
    }

    /**
     * BITCOUNT and BITPOS over random binary strings with random ranges in both units:
     * the edge rules (negative indexes, inverted ranges, clear bits past the end).
     */
    @Test
    void bitRanges() throws IOException {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 5L));
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (int i = 0; i < COMMANDS * 3; i++) {
                List<byte[]> command = new ArrayList<>();
                if (i % 20 == 0) {
                    byte[] value = new byte[rnd.nextInt(40)];
                    for (int k = 0; k < value.length; k++) {
                        value[k] = (byte) (rnd.nextInt(3) == 0 ? rnd.nextInt(256) : rnd.nextBoolean() ? 0 : 0xff);
                    }
                    command.add("SET".getBytes());
                    command.add("b".getBytes());
                    command.add(value);
                } else {
                    boolean pos = rnd.nextBoolean();
                    command.add((pos ? "BITPOS" : "BITCOUNT").getBytes());
                    command.add("b".getBytes());
                    if (pos) command.add(Integer.toString(rnd.nextInt(2)).getBytes());
                    int extra = rnd.nextInt(4);
                    int bound = rnd.nextBoolean() ? 45 : 330;
                    for (int k = 0; k < extra; k++) {
                        String arg = k < 2 ? Integer.toString(rnd.nextInt(2 * bound) - bound) : (rnd.nextBoolean() ? "BIT" : "BYTE");
                        command.add(arg.getBytes());
                    }
                }
                byte[] request = RawConnection.request(command);
                assertEquals(expected.send(request).readReply(), actual.send(request).readReply(), render(command));
            }
        }
    }

    private static String randomFloat(Random rnd) {
        String sign = rnd.nextInt(3) == 0 ? "-" : rnd.nextInt(10) == 0 ? "+" : "";
        if (rnd.nextInt(10) == 0) {
            return sign + "0x" + Long.toHexString(rnd.nextLong() >>> rnd.nextInt(64)) + "." + Integer.toHexString(rnd.nextInt())
                    + "p" + (rnd.nextInt(200) - 100);
        }
        StringBuilder digits = new StringBuilder();
        int whole = rnd.nextInt(22);
        for (int i = 0; i < whole; i++) digits.append((char) ('0' + rnd.nextInt(10)));
        if (whole == 0 || rnd.nextBoolean()) {
            digits.append('.');
            int fraction = 1 + rnd.nextInt(25);
            for (int i = 0; i < fraction; i++) digits.append((char) ('0' + rnd.nextInt(10)));
        }
        if (rnd.nextInt(4) == 0) digits.append('e').append(rnd.nextInt(80) - 40);
        return sign + digits;
    }

    private static void compare(long seed, int protocol) throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            if (protocol == 3) {
                // The HELLO replies name different servers; only the switch matters.
                expected.command("HELLO", "3").readReply();
                actual.command("HELLO", "3").readReply();
            }
            CommandGenerator generator = new CommandGenerator(new Random(seed));
            List<String> history = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                List<byte[]> command = generator.next();
                history.add(render(command));
                byte[] request = RawConnection.request(command);
                String want = expected.send(request).readReply();
                String got = actual.send(request).readReply();
                if (!want.equals(got)) {
                    // The state may have diverged earlier: show recent commands and the keys.
                    StringBuilder keys = new StringBuilder();
                    for (String k : CommandGenerator.KEYS) {
                        byte[] get = RawConnection.request(List.of("GET".getBytes(), k.getBytes()));
                        keys.append(k).append(": redis ").append(render(List.of(latin1(expected.send(get).readReply()))))
                                .append(" | cairn ").append(render(List.of(latin1(actual.send(get).readReply()))))
                                .append('\n');
                    }
                    assertEquals(want, got, "commands up to the failing one:\n"
                            + String.join("\n", history.subList(Math.max(0, history.size() - 40), history.size()))
                            + "\nkeys now:\n" + keys);
                }
            }
        }
    }

    private static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
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

    /** Random commands of the string and bitmap groups, valid and invalid. */
    static final class CommandGenerator {
        private final Random rnd;

        CommandGenerator(Random rnd) {
            this.rnd = rnd;
        }

        private static final String[] KEYS = {"k0", "k1", "k2", "k3", "k4"};
        private static final String[] NUMBERS = {
            "0", "1", "-1", "7", "42", "-300", "9223372036854775807", "-9223372036854775808",
            "9223372036854775806", "-9223372036854775807", "4611686018427387904", "10", "255", "65535",
            "+5", " 5", "05", "1.5", "abc", "", "99999999999999999999"
        };
        private static final String[] FLOATS = {
            "0.1", "-0.1", "1.5", "3", "-2", "1e3", "1.5e-3", "10000000000.1", "0x10", "0x1.8p1", "inf", "-inf",
            "nan", " 1", "1 ", "abc", "", "1e308", "-1e308", "1e-20", "5.0e", ".5", "5.", "1e4000", "1e-5000",
            "123456789012345678901234567890", "0.3333333333333333333333", "-0", "+7.25"
        };

        private String key() {
            return KEYS[rnd.nextInt(KEYS.length)];
        }

        private String pick(String... options) {
            return options[rnd.nextInt(options.length)];
        }

        private String smallInt(int bound) {
            return Integer.toString(rnd.nextInt(2 * bound + 1) - bound);
        }

        private String number() {
            return rnd.nextInt(3) == 0 ? smallInt(20) : pick(NUMBERS);
        }

        private byte[] value() {
            return switch (rnd.nextInt(6)) {
                case 0 -> number().getBytes(StandardCharsets.ISO_8859_1);
                case 1 -> pick(FLOATS).getBytes(StandardCharsets.ISO_8859_1);
                case 2 -> {
                    byte[] b = new byte[rnd.nextInt(6)];
                    rnd.nextBytes(b);
                    yield b;
                }
                case 3 -> "x".repeat(rnd.nextInt(60)).getBytes(StandardCharsets.ISO_8859_1);
                default -> {
                    StringBuilder sb = new StringBuilder();
                    int n = rnd.nextInt(12);
                    for (int i = 0; i < n; i++) sb.append((char) ('a' + rnd.nextInt(4)));
                    yield sb.toString().getBytes(StandardCharsets.ISO_8859_1);
                }
            };
        }

        private String expiryAmount() {
            return pick("1000", "100000", "0", "-5", "abc", "9223372036854775807", "9223372036854775");
        }

        List<byte[]> next() {
            List<Object> a = new ArrayList<>();
            switch (rnd.nextInt(31)) {
                case 0, 1 -> {
                    a.add("SET");
                    a.add(key());
                    a.add(value());
                    int options = rnd.nextInt(4);
                    for (int i = 0; i < options; i++) {
                        String o = pick("NX", "XX", "GET", "KEEPTTL", "EX", "PX", "EXAT", "PXAT", "nx", "ex", "FOO");
                        a.add(o);
                        if (o.equalsIgnoreCase("ex") || o.equals("PX") || o.equals("EXAT") || o.equals("PXAT")) {
                            if (rnd.nextInt(8) != 0) a.add(o.startsWith("EXAT") || o.equals("PXAT") ? pick("1", "4102444800", "4102444800000", "0") : expiryAmount());
                        }
                    }
                }
                case 2 -> {
                    a.add(pick("GET", "GETDEL", "STRLEN", "INCR", "DECR"));
                    a.add(key());
                }
                case 3 -> {
                    a.add("GETEX");
                    a.add(key());
                    int options = rnd.nextInt(3);
                    for (int i = 0; i < options; i++) {
                        String o = pick("EX", "PX", "EXAT", "PXAT", "PERSIST", "NX", "KEEPTTL");
                        a.add(o);
                        if (o.length() <= 4 && o.charAt(1) == 'X' && rnd.nextInt(6) != 0) {
                            a.add(o.endsWith("AT") ? pick("1", "4102444800", "4102444800000") : expiryAmount());
                        }
                    }
                }
                case 4 -> {
                    a.add(pick("GETSET", "SETNX", "APPEND"));
                    a.add(key());
                    a.add(value());
                }
                case 5 -> {
                    a.add(pick("SETEX", "PSETEX"));
                    a.add(key());
                    a.add(expiryAmount());
                    a.add(value());
                }
                case 6 -> {
                    a.add(pick("MSET", "MSETNX"));
                    int pairs = rnd.nextInt(3) + 1;
                    for (int i = 0; i < pairs; i++) {
                        a.add(key());
                        a.add(value());
                    }
                    if (rnd.nextInt(5) == 0) a.add(key());
                }
                case 7 -> {
                    a.add("MGET");
                    int n = rnd.nextInt(4) + 1;
                    for (int i = 0; i < n; i++) a.add(rnd.nextInt(6) == 0 ? "missing" : key());
                }
                case 8 -> {
                    a.add(pick("GETRANGE", "SUBSTR"));
                    a.add(key());
                    a.add(rnd.nextInt(10) == 0 ? pick(NUMBERS) : smallInt(12));
                    a.add(rnd.nextInt(10) == 0 ? pick(NUMBERS) : smallInt(12));
                }
                case 9 -> {
                    a.add("SETRANGE");
                    a.add(key());
                    a.add(rnd.nextInt(8) == 0 ? pick("-1", "536870912", "abc", "9223372036854775807") : Integer.toString(rnd.nextInt(20)));
                    a.add(rnd.nextInt(6) == 0 ? new byte[0] : value());
                }
                case 10, 11 -> {
                    a.add(pick("INCRBY", "DECRBY"));
                    a.add(key());
                    a.add(number());
                }
                case 12, 13 -> {
                    a.add("INCRBYFLOAT");
                    a.add(key());
                    a.add(rnd.nextInt(4) == 0 ? number() : pick(FLOATS));
                }
                case 14, 15 -> {
                    a.add("LCS");
                    a.add(key());
                    a.add(key());
                    int options = rnd.nextInt(4);
                    for (int i = 0; i < options; i++) {
                        String o = pick("LEN", "IDX", "MINMATCHLEN", "WITHMATCHLEN", "idx", "BAD");
                        a.add(o);
                        if (o.equals("MINMATCHLEN") && rnd.nextInt(6) != 0) a.add(pick("0", "1", "2", "3", "-1", "x"));
                    }
                }
                case 16, 17 -> {
                    a.add("SETBIT");
                    a.add(key());
                    a.add(rnd.nextInt(10) == 0 ? pick("-1", "4294967296", "x", "#3") : Integer.toString(rnd.nextInt(90)));
                    a.add(rnd.nextInt(10) == 0 ? pick("2", "-1", "x") : pick("0", "1"));
                }
                case 18 -> {
                    a.add("GETBIT");
                    a.add(key());
                    a.add(rnd.nextInt(10) == 0 ? pick("-1", "4294967296", "4294967295", "x") : Integer.toString(rnd.nextInt(100)));
                }
                case 19, 20 -> {
                    a.add("BITCOUNT");
                    a.add(rnd.nextInt(8) == 0 ? "missing" : key());
                    int n = rnd.nextInt(5);
                    for (int i = 0; i < n; i++) a.add(i < 2 ? (rnd.nextInt(10) == 0 ? "x" : smallInt(40)) : pick("BIT", "BYTE", "bit", "FOO"));
                }
                case 21, 22 -> {
                    a.add("BITPOS");
                    a.add(rnd.nextInt(8) == 0 ? "missing" : key());
                    a.add(rnd.nextInt(10) == 0 ? pick("2", "x", "-1") : pick("0", "1"));
                    int n = rnd.nextInt(5);
                    for (int i = 0; i < n; i++) a.add(i < 2 ? (rnd.nextInt(10) == 0 ? "x" : smallInt(40)) : pick("BIT", "BYTE", "byte", "FOO"));
                }
                case 23, 24 -> {
                    a.add("BITOP");
                    a.add(pick("AND", "OR", "XOR", "NOT", "and", "not", "NAND"));
                    a.add(key());
                    int n = rnd.nextInt(3) + 1;
                    for (int i = 0; i < n; i++) a.add(rnd.nextInt(6) == 0 ? "missing" : key());
                }
                case 25, 26, 27 -> {
                    a.add(rnd.nextInt(4) == 0 ? "BITFIELD_RO" : "BITFIELD");
                    a.add(key());
                    int n = rnd.nextInt(4);
                    for (int i = 0; i < n; i++) bitfieldOp(a);
                }
                case 28 -> {
                    a.add(pick("GET", "SET", "INCR", "MGET", "BITCOUNT", "BITOP", "GETRANGE", "LCS", "BITFIELD"));
                }
                default -> {
                    a.add("GET");
                    a.add(key());
                }
            }
            List<byte[]> args = new ArrayList<>();
            for (Object o : a) {
                args.add(o instanceof byte[] b ? b : ((String) o).getBytes(StandardCharsets.ISO_8859_1));
            }
            return args;
        }

        private void bitfieldOp(List<Object> a) {
            String op = pick("GET", "SET", "INCRBY", "OVERFLOW", "get", "incrby", "BAD");
            a.add(op);
            if (op.equalsIgnoreCase("overflow")) {
                if (rnd.nextInt(8) != 0) a.add(pick("WRAP", "SAT", "FAIL", "sat", "NONE"));
                return;
            }
            String type = rnd.nextInt(12) == 0
                    ? pick("u64", "i65", "i0", "x8", "I8", "u")
                    : (rnd.nextBoolean() ? "i" : "u") + (1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 63));
            a.add(type);
            a.add(rnd.nextInt(10) == 0 ? pick("-1", "x", "4294967296", "#-1") : (rnd.nextInt(3) == 0 ? "#" + rnd.nextInt(4) : Integer.toString(rnd.nextInt(70))));
            if (!op.equalsIgnoreCase("get")) a.add(rnd.nextInt(8) == 0 ? "x" : number());
        }
    }
}
