package dev.cairn.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.keyspace.AccessClock;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.testing.QuietListener;
import dev.cairn.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * SCAN's promise: a full iteration returns every key that was present from its start to
 * its end, however the database changes in between, including when its tables grow,
 * shrink or are half-way through a rehash. Keys added or removed meanwhile may or may
 * not be returned.
 */
class ScanGuaranteeTest {
    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** A database of {@code initial} keys, scanned while {@code between} changes it before each step. */
    private static void checkGuarantee(boolean perSlot, int initial, long seed, Mutation between) {
        Keyspace keyspace = new Keyspace(1, perSlot, new AccessClock(), QuietListener.INSTANCE);
        Database db = keyspace.db(0);
        Set<String> present = new HashSet<>();
        for (int i = 0; i < initial; i++) {
            db.add(key("k" + i), "v");
            present.add("k" + i);
        }
        Set<String> stable = new HashSet<>(present);
        Set<String> seen = new HashSet<>();
        Random rnd = new Random(seed);
        long cursor = 0;
        int steps = 0;
        do {
            cursor = db.scan(cursor, e -> seen.add(new String(e.key(), StandardCharsets.UTF_8)));
            between.apply(keyspace, db, present, stable, rnd, steps++);
            assertTrue(steps < 10_000_000, "the scan must end");
        } while (cursor != 0);
        Set<String> missing = new HashSet<>(stable);
        missing.removeAll(seen);
        assertEquals(Set.of(), missing, "keys present throughout but never returned");
    }

    interface Mutation {
        void apply(Keyspace keyspace, Database db, Set<String> present, Set<String> stable, Random rnd, int step);
    }

    private static int counter;

    private static void addNew(Database db, Set<String> present, int n) {
        for (int i = 0; i < n; i++) {
            String k = "new" + (counter++);
            db.add(key(k), "v");
            present.add(k);
        }
    }

    private static void removeSome(Database db, Set<String> present, Set<String> stable, Random rnd, int n) {
        List<String> all = new ArrayList<>(present);
        for (int i = 0; i < n && !all.isEmpty(); i++) {
            String k = all.remove(rnd.nextInt(all.size()));
            db.remove(key(k));
            present.remove(k);
            stable.remove(k);
        }
    }

    @Test
    void unchangedDatabaseIsReturnedExactly() {
        checkGuarantee(false, 1000, 1, (ks, db, present, stable, rnd, step) -> {});
    }

    @Test
    void tableGrowingManyTimesDuringTheScan() {
        // From 16 keys to over 4000: eight doublings, mostly while a rehash is under way.
        checkGuarantee(false, 16, 2, (ks, db, present, stable, rnd, step) -> {
            if (step < 80) addNew(db, present, 50);
        });
    }

    @Test
    void tableShrinkingDuringTheScan() {
        checkGuarantee(false, 5000, 3, (ks, db, present, stable, rnd, step) -> {
            if (step == 3) removeSome(db, present, stable, rnd, 4950);
            ks.maintainTables(1); // lets the cron shrink and rehash a little at a time
        });
    }

    @Test
    void randomAddsRemovesAndRehashing() {
        for (long seed = 10; seed < 40; seed++) {
            checkGuarantee(false, 200, seed, (ks, db, present, stable, rnd, step) -> {
                switch (rnd.nextInt(4)) {
                    // Bounded growth, so that the scan can outrun it and finish.
                    case 0 -> addNew(db, present, step < 200 ? rnd.nextInt(300) : 0);
                    case 1 -> removeSome(db, present, stable, rnd, rnd.nextInt(Math.max(1, present.size() / 2 + 1)));
                    case 2 -> ks.maintainTables(1 + rnd.nextInt(4));
                    default -> { }
                }
            });
        }
    }

    @Test
    void perSlotTablesKeepTheGuarantee() {
        checkGuarantee(true, 3000, 4, (ks, db, present, stable, rnd, step) -> {
            if (step % 50 == 0 && step < 2000) addNew(db, present, 200);
            if (step % 70 == 0) removeSome(db, present, stable, rnd, 100);
        });
    }

    @Test
    void scanThroughTheServerWhileAnotherClientWrites() {
        try (TestServer server = TestServer.start();
                Jedis scanner = new Jedis("127.0.0.1", server.port(), 30_000);
                Jedis writer = new Jedis("127.0.0.1", server.port(), 30_000)) {
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 1000; i++) {
                writer.set("stable:" + i, "v");
                stable.add("stable:" + i);
            }
            for (int i = 0; i < 1000; i++) writer.set("doomed:" + i, "v");
            Set<String> seen = new HashSet<>();
            String cursor = "0";
            int round = 0;
            do {
                ScanResult<String> r = scanner.scan(cursor, new ScanParams().count(25));
                seen.addAll(r.getResult());
                cursor = r.getCursor();
                // Grow with new keys and shrink by deleting the doomed ones as we go.
                if (round < 50) {
                    for (int i = 0; i < 40; i++) writer.set("new:" + round + ":" + i, "v");
                    for (int i = 0; i < 20; i++) writer.del("doomed:" + (round * 20 + i));
                }
                round++;
            } while (!cursor.equals("0"));
            Set<String> missing = new HashSet<>(stable);
            missing.removeAll(seen);
            assertEquals(Set.of(), missing);
        }
    }
}
