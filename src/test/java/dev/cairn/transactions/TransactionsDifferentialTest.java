package dev.cairn.transactions;

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
 * Two connections to Cairn and two to a real redis-server 7.0 take turns sending the same
 * seeded random commands: MULTI, EXEC, DISCARD, WATCH and UNWATCH among string and key
 * commands (some refused while queuing: unknown, wrong arity), database switches,
 * flushes and swaps. Every reply must be byte-for-byte the same. No command depends on
 * time: TTLs are far in the future.
 */
class TransactionsDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 600);

    @Test
    void randomTransactionsFromTwoClients() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 20240607L), 2);
    }

    @Test
    void randomTransactionsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 11L), 3);
    }

    private static void compare(long seed, int protocol) throws IOException {
        Random rnd = new Random(seed);
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection realA = new RawConnection(real.port());
                RawConnection realB = new RawConnection(real.port());
                RawConnection cairnA = new RawConnection(cairn.port());
                RawConnection cairnB = new RawConnection(cairn.port())) {
            RawConnection[][] pairs = {{realA, cairnA}, {realB, cairnB}};
            if (protocol == 3) {
                // The HELLO replies name different servers and ids; only the switch matters.
                for (RawConnection[] pair : pairs) {
                    pair[0].call("HELLO", "3");
                    pair[1].call("HELLO", "3");
                }
            }
            List<String> history = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                int who = rnd.nextInt(3) == 0 ? 1 : 0;
                String[] command = randomCommand(rnd);
                history.add((who == 0 ? "A: " : "B: ") + String.join(" ", command));
                String expected = pairs[who][0].call(command);
                String actual = pairs[who][1].call(command);
                assertEquals(expected, actual, "after:\n" + String.join("\n", history.subList(Math.max(0,
                        history.size() - 30), history.size())));
            }
        }
    }

    private static String[] randomCommand(Random rnd) {
        String k = key(rnd);
        int pick = rnd.nextInt(100);
        if (pick < 12) return new String[] {"MULTI"};
        if (pick < 22) return new String[] {"EXEC"};
        if (pick < 25) return new String[] {"DISCARD"};
        if (pick < 33) return rnd.nextBoolean() ? new String[] {"WATCH", k} : new String[] {"WATCH", k, key(rnd), key(rnd)};
        if (pick < 36) return new String[] {"UNWATCH"};
        if (pick < 46) return new String[] {"SET", k, Integer.toString(rnd.nextInt(100))};
        if (pick < 52) return new String[] {"GET", k};
        if (pick < 57) return new String[] {"INCR", k};
        if (pick < 61) return new String[] {"DEL", k, key(rnd)};
        if (pick < 64) return new String[] {"APPEND", k, "x"};
        if (pick < 66) return new String[] {"EXPIRE", k, "100000"};
        if (pick < 67) return new String[] {"PERSIST", k};
        if (pick < 69) return new String[] {"RENAME", k, key(rnd)};
        if (pick < 70) return new String[] {"MOVE", k, Integer.toString(rnd.nextInt(3))};
        if (pick < 73) return new String[] {"SELECT", Integer.toString(rnd.nextInt(3))};
        if (pick < 75) return new String[] {"EXISTS", k, key(rnd)};
        if (pick < 76) return new String[] {"FLUSHDB"};
        if (pick < 77) return new String[] {"FLUSHALL"};
        if (pick < 79) return new String[] {"SWAPDB", Integer.toString(rnd.nextInt(3)), Integer.toString(rnd.nextInt(3))};
        if (pick < 81) return new String[] {"SETNX", k, "n"};
        if (pick < 83) return new String[] {"NOSUCH", k};
        if (pick < 85) return new String[] {"GET"};
        if (pick < 86) return new String[] {"EXEC", "extra"};
        if (pick < 87) return new String[] {"DISCARD", "extra"};
        if (pick < 88) return new String[] {"MULTI", "extra"};
        if (pick < 89) return new String[] {"WATCH"};
        if (pick < 90) return new String[] {"RESET"};
        if (pick < 92) return new String[] {"PING"};
        if (pick < 94) return new String[] {"DBSIZE"};
        if (pick < 96) return new String[] {"SET", k, "v", "XX", "GET"};
        if (pick < 98) return new String[] {"GETDEL", k};
        return new String[] {"INCRBY", k, "notanumber"};
    }

    private static String key(Random rnd) {
        return "k" + rnd.nextInt(4);
    }
}
