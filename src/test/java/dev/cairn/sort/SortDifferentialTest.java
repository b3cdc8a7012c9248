package dev.cairn.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random SORT and SORT_RO requests against Cairn and a real redis-server 7.0, every
 * reply compared byte for byte. The data: lists, sorted sets and integer sets of numbers
 * and words, weight strings {@code w_<element>} and hashes {@code h_<element>} for BY and
 * GET, rebuilt now and then. Sets of words are only sorted, never returned unsorted (their
 * order is their hash table's, which differs between the two servers).
 */
class SortDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 1500);
    private static final String[] ELEMENTS = {"1", "2", "3", "10", "-5", "2.5", "1e3", " 7", "", "apple", "Banana",
        "cherry", "inf", "-inf", "0x10", "nan", "1e400", "08", "3abc"};
    private static final String[] SOURCES = {"list", "nums", "zset", "iset", "wset", "missing", "str"};
    private static final String[] BY = {"w_*", "h_*->f", "h_*->g", "nosort", "#", "w_*->", "*"};
    private static final String[] GET = {"#", "w_*", "h_*->f", "h_*->missing", "constant", "g_*"};

    @Test
    void randomSortsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 11L), 2);
    }

    @Test
    void randomSortsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 12L), 3);
    }

    private static void compare(long seed, int protocol) throws IOException {
        Random rnd = new Random(seed);
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            if (protocol == 3) {
                expected.call("HELLO", "3");
                actual.call("HELLO", "3");
            }
            for (int i = 0; i < COMMANDS; i++) {
                List<String> command = i % 200 == 0 ? null : sortCommand(rnd);
                List<List<String>> batch = command == null ? dataset(rnd) : List.of(command);
                for (List<String> c : batch) {
                    String[] args = c.toArray(String[]::new);
                    assertEquals(expected.call(args), actual.call(args), "seed " + seed + ": " + String.join(" ", c));
                }
            }
        }
    }

    /** FLUSHALL and a fresh data set. */
    private static List<List<String>> dataset(Random rnd) {
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("FLUSHALL"));
        List<String> list = new ArrayList<>(List.of("RPUSH", "list"));
        List<String> nums = new ArrayList<>(List.of("RPUSH", "nums"));
        List<String> zset = new ArrayList<>(List.of("ZADD", "zset"));
        List<String> iset = new ArrayList<>(List.of("SADD", "iset"));
        List<String> wset = new ArrayList<>(List.of("SADD", "wset"));
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            String e = ELEMENTS[rnd.nextInt(ELEMENTS.length)];
            list.add(e);
            nums.add(Integer.toString(rnd.nextInt(50) - 10));
            zset.add(Integer.toString(rnd.nextInt(5)));
            zset.add(e);
            iset.add(Integer.toString(rnd.nextInt(100)));
            wset.add(ELEMENTS[rnd.nextInt(ELEMENTS.length)] + rnd.nextInt(3));
            commands.add(List.of("SET", "w_" + e, rnd.nextBoolean() ? Integer.toString(rnd.nextInt(9)) : ELEMENTS[rnd.nextInt(ELEMENTS.length)]));
            commands.add(List.of("HSET", "h_" + e, "f", Integer.toString(rnd.nextInt(9)), "g", ELEMENTS[rnd.nextInt(ELEMENTS.length)]));
        }
        commands.add(list);
        commands.add(nums);
        commands.add(zset);
        commands.add(iset);
        commands.add(wset);
        commands.add(List.of("SET", "str", "x"));
        return commands;
    }

    private static List<String> sortCommand(Random rnd) {
        String source = SOURCES[rnd.nextInt(SOURCES.length)];
        boolean readOnly = rnd.nextInt(4) == 0;
        List<String> c = new ArrayList<>(List.of(readOnly ? "SORT_RO" : "SORT", source));
        boolean unsortedAllowed = !source.equals("wset");
        int options = rnd.nextInt(5);
        for (int k = 0; k < options; k++) {
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    String by = BY[rnd.nextInt(BY.length)];
                    if (!by.contains("*") && !unsortedAllowed) by = "w_*";
                    c.add("BY");
                    c.add(by);
                }
                case 1 -> {
                    c.add("LIMIT");
                    c.add(Integer.toString(rnd.nextInt(8) - 2));
                    c.add(rnd.nextInt(10) == 0 ? "x" : Integer.toString(rnd.nextInt(8) - 2));
                }
                case 2 -> {
                    c.add("GET");
                    c.add(GET[rnd.nextInt(GET.length)]);
                }
                case 3 -> c.add(rnd.nextBoolean() ? "ASC" : "DESC");
                case 4, 5 -> c.add("ALPHA");
                case 6 -> {
                    c.add("STORE");
                    c.add(rnd.nextBoolean() ? "dest" : "str");
                }
                default -> c.add(rnd.nextInt(3) == 0 ? "BOGUS" : "alpha");
            }
        }
        return c;
    }
}
