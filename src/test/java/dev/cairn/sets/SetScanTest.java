package dev.cairn.sets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import dev.cairn.types.SetValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * SSCAN's promise on a hashtable-encoded set: a full iteration returns every member that was
 * in the set from its start to its end, however the set changes in between, including when
 * its table doubles or halves. Members added or removed meanwhile may or may not come back.
 */
class SetScanTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** A table of {@code initial} members, scanned one bucket at a time while {@code between} changes it. */
    private static void checkGuarantee(int initial, long seed, Mutation between) {
        SetValue set = SetValue.emptyTable(0);
        Set<String> present = new HashSet<>();
        for (int i = 0; i < initial; i++) {
            // Integers and text: both forms of member live in the table.
            String m = i % 2 == 0 ? Integer.toString(i) : "m" + i;
            set.add(bytes(m), 512);
            present.add(m);
        }
        Set<String> stable = new HashSet<>(present);
        Set<String> seen = new HashSet<>();
        Random rnd = new Random(seed);
        long cursor = 0;
        int steps = 0;
        do {
            cursor = set.scan(cursor, m -> seen.add(new String(m, StandardCharsets.UTF_8)));
            between.apply(set, present, stable, rnd, steps++);
            assertTrue(steps < 10_000_000, "the scan must end");
        } while (cursor != 0);
        Set<String> missing = new HashSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "members present throughout but never returned");
        Set<String> strangers = new HashSet<>(seen);
        strangers.removeAll(present);
        strangers.removeAll(removedEver);
        assertEquals(Set.of(), strangers, "members that were never in the set");
    }

    interface Mutation {
        void apply(SetValue set, Set<String> present, Set<String> stable, Random rnd, int step);
    }

    private static int counter;
    private static final Set<String> removedEver = new HashSet<>();

    private static void addNew(SetValue set, Set<String> present, int n) {
        for (int i = 0; i < n; i++) {
            String m = (counter % 2 == 0 ? "" : "new") + (1_000_000 + counter++);
            set.add(bytes(m), 512);
            present.add(m);
        }
    }

    private static void removeSome(SetValue set, Set<String> present, Set<String> stable, Random rnd, int n) {
        List<String> all = new ArrayList<>(present);
        for (int i = 0; i < n && all.size() > 1; i++) {
            String m = all.remove(rnd.nextInt(all.size()));
            set.remove(bytes(m));
            present.remove(m);
            stable.remove(m);
            removedEver.add(m);
        }
    }

    @Test
    void unchangedSetIsReturnedExactly() {
        checkGuarantee(1000, 1, (set, present, stable, rnd, step) -> {});
    }

    @Test
    void tableGrowingDuringTheScan() {
        checkGuarantee(16, 2, (set, present, stable, rnd, step) -> {
            if (step < 80) addNew(set, present, 50);
        });
    }

    @Test
    void tableShrinkingDuringTheScan() {
        checkGuarantee(5000, 3, (set, present, stable, rnd, step) -> {
            if (step == 3) removeSome(set, present, stable, rnd, 4950);
        });
    }

    @Test
    void randomAddsAndRemoves() {
        for (long seed = 10; seed < 40; seed++) {
            checkGuarantee(200, seed, (set, present, stable, rnd, step) -> {
                switch (rnd.nextInt(3)) {
                    case 0 -> addNew(set, present, step < 200 ? rnd.nextInt(300) : 0);
                    case 1 -> removeSome(set, present, stable, rnd, rnd.nextInt(Math.max(1, present.size() / 2 + 1)));
                    default -> { }
                }
            });
        }
    }

    @Test
    void sscanThroughTheServerWhileAnotherClientWrites() {
        try (Jedis scanner = new Jedis("127.0.0.1", server.port(), 30_000);
                Jedis writer = new Jedis("127.0.0.1", server.port(), 30_000)) {
            Set<String> stable = new HashSet<>();
            List<String> doomed = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                writer.sadd("s", "stable:" + i, Integer.toString(i));
                stable.add("stable:" + i);
                doomed.add(Integer.toString(i));
            }
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int round = 0;
            do {
                ScanResult<String> r = scanner.sscan("s", cursor, new ScanParams().count(25));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                // Grow with new members and shrink by removing the doomed ones as we go.
                if (round < 50) {
                    for (int i = 0; i < 40; i++) writer.sadd("s", "new:" + round + ":" + i);
                    for (int i = 0; i < 20; i++) writer.srem("s", doomed.get(round * 20 + i));
                }
                round++;
            } while (!cursor.equals("0"));
            Set<String> missing = new HashSet<>(stable);
            missing.removeAll(seen);
            assertEquals(Set.of(), missing);
        }
    }
}
