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
 * Long lists of many nodes against the real server: random pushes, pops, LSET, LINSERT,
 * LREM, LTRIM, LMOVE, LINDEX, LPOS and LRANGE windows on lists of thousands of elements,
 * under node limits in bytes and in elements, so Cairn's nodes fill, split, merge and
 * empty at every place; the whole lists and their digests are compared now and then.
 */
class ListNodesDifferentialTest {
    private static final String[] KEYS = {"a", "b"};

    @Test
    void longListsMatchRedis() throws IOException {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 11L));
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String fill : new String[] {"-1", "3", "-2"}) {
                same(expected, actual, List.of("FLUSHALL"));
                same(expected, actual, List.of("CONFIG", "SET", "list-max-listpack-size", fill));
                for (int i = 0; i < 1500; i++) {
                    same(expected, actual, command(rnd));
                    if (i % 100 == 99) {
                        for (String k : KEYS) {
                            same(expected, actual, List.of("LRANGE", k, "0", "-1"));
                            same(expected, actual, List.of("DEBUG", "DIGEST-VALUE", k));
                        }
                    }
                }
            }
        }
    }

    private static List<String> command(Random rnd) {
        String key = KEYS[rnd.nextInt(KEYS.length)];
        List<String> a = new ArrayList<>();
        switch (rnd.nextInt(16)) {
            case 0, 1, 2, 3 -> {
                a.add(rnd.nextBoolean() ? "LPUSH" : "RPUSH");
                a.add(key);
                int n = 1 + rnd.nextInt(60);
                for (int i = 0; i < n; i++) a.add(element(rnd));
            }
            case 4 -> a.addAll(List.of(rnd.nextBoolean() ? "LPOP" : "RPOP", key, Integer.toString(rnd.nextInt(40))));
            case 5 -> a.addAll(List.of("LSET", key, index(rnd), element(rnd)));
            case 6 -> a.addAll(List.of("LINSERT", key, rnd.nextBoolean() ? "BEFORE" : "AFTER", common(rnd), element(rnd)));
            case 7 -> a.addAll(List.of("LREM", key, Integer.toString(rnd.nextInt(9) - 4), common(rnd)));
            case 8 -> a.addAll(List.of("LTRIM", key, Integer.toString(rnd.nextInt(30)), Integer.toString(-1 - rnd.nextInt(30))));
            case 9 -> a.addAll(List.of("LMOVE", key, KEYS[rnd.nextInt(KEYS.length)], rnd.nextBoolean() ? "LEFT" : "RIGHT",
                    rnd.nextBoolean() ? "LEFT" : "RIGHT"));
            case 10 -> a.addAll(List.of("LINDEX", key, index(rnd)));
            case 11 -> a.addAll(List.of("LPOS", key, common(rnd), "RANK", Integer.toString(rnd.nextBoolean() ? 1 + rnd.nextInt(5)
                    : -1 - rnd.nextInt(5)), "COUNT", Integer.toString(rnd.nextInt(4)), "MAXLEN", Integer.toString(rnd.nextInt(3) * 700)));
            case 12 -> a.addAll(List.of("LLEN", key));
            default -> {
                String start = index(rnd);
                a.addAll(List.of("LRANGE", key, start, Integer.toString(Integer.parseInt(start) + rnd.nextInt(300))));
            }
        }
        return a;
    }

    /** An index anywhere in a list of a few thousand elements, from either end. */
    private static String index(Random rnd) {
        int i = rnd.nextInt(3000);
        return Integer.toString(rnd.nextBoolean() ? i : -1 - i);
    }

    /** Values that repeat, so LINSERT, LREM and LPOS find them. */
    private static String common(Random rnd) {
        return "v" + rnd.nextInt(5);
    }

    private static String element(Random rnd) {
        return switch (rnd.nextInt(10)) {
            case 0, 1, 2 -> common(rnd);
            case 3 -> Long.toString(rnd.nextInt(100000) - 500);
            case 4 -> "m".repeat(100 + rnd.nextInt(200));
            case 5 -> rnd.nextInt(30) == 0 ? "L".repeat(5000 + rnd.nextInt(5000)) : "007";
            default -> "e" + rnd.nextInt(100000);
        };
    }

    private static void same(RawConnection expected, RawConnection actual, List<String> command) throws IOException {
        List<byte[]> args = new ArrayList<>();
        for (String a : command) args.add(a.getBytes(StandardCharsets.ISO_8859_1));
        byte[] request = RawConnection.request(args);
        String shown = command.size() > 6 ? String.join(" ", command.subList(0, 2)) + " ..." : String.join(" ", command);
        assertEquals(expected.send(request).readReply(), actual.send(request).readReply(), shown);
    }
}
