package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.keyspace.AccessClock;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.testing.QuietListener;
import dev.cairn.keyspace.SnapshotWalk;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The snapshot walk hands over exactly the keys of the instant it started, each once,
 * with the value and TTL of that instant, whatever clients do meanwhile: overwrite,
 * change values in place, delete, expire, add keys, FLUSHDB, SWAPDB, and tables growing,
 * shrinking and rehashing.
 */
class SnapshotWalkTest {
    private static final int DATABASES = 3;

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** What the snapshot must contain for one key. */
    private record Saved(String value, long expireAt) {}

    private static Map<String, Saved> dataset(Keyspace keyspace) {
        Map<String, Saved> all = new HashMap<>();
        for (int d = 0; d < keyspace.count(); d++) {
            int db = d;
            keyspace.db(d).forEach(e -> all.put(db + "/" + new String(e.key(), StandardCharsets.UTF_8),
                    new Saved(e.value().toString(), e.expireAt())));
        }
        return all;
    }

    @ParameterizedTest
    @CsvSource({"false, 1, 2000", "false, 2, 20000", "true, 3, 3000", "false, 4, 50", "true, 5, 0"})
    void savesExactlyTheDataOfTheStart(boolean perSlot, long seed, int initial) {
        Keyspace keyspace = new Keyspace(DATABASES, perSlot, new AccessClock(), QuietListener.INSTANCE);
        Random rnd = new Random(seed);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < initial; i++) {
            String name = "k" + i;
            names.add(name);
            Entry e = keyspace.db(rnd.nextInt(DATABASES)).add(key(name), new StringBuilder("v" + i));
            if (rnd.nextInt(4) == 0) keyspace.db(0).find(e.key());
        }
        for (int d = 0; d < DATABASES; d++) {
            Database db = keyspace.db(d);
            db.forEach(e -> {
                if (rnd.nextInt(3) == 0) db.setExpire(e, 4_000_000_000_000L + rnd.nextInt(1000));
            });
        }
        Map<String, Saved> expected = dataset(keyspace);

        Map<String, Saved> saved = new HashMap<>();
        SnapshotWalk walk = keyspace.startSnapshot((db, e) -> {
            Saved before = saved.put(db + "/" + new String(e.key(), StandardCharsets.UTF_8),
                    new Saved(e.value().toString(), e.expireAt()));
            assertNull(before, "saved twice");
        });
        int created = 0;
        do {
            for (int i = rnd.nextInt(40); i > 0; i--) {
                Database db = keyspace.db(rnd.nextInt(DATABASES));
                String name = names.isEmpty() || rnd.nextInt(5) == 0 ? "new" + created++
                        : names.get(rnd.nextInt(names.size()));
                byte[] k = key(name);
                switch (rnd.nextInt(100)) {
                    case 0 -> db.clear();
                    case 1 -> keyspace.swap(rnd.nextInt(DATABASES), rnd.nextInt(DATABASES));
                    default -> {
                        int action = rnd.nextInt(6);
                        if (action == 0) db.set(k, new StringBuilder("set" + rnd.nextInt()), rnd.nextBoolean());
                        else if (action == 1) db.delete(k);
                        else if (action == 2) {
                            Entry e = db.lookupWrite(k);
                            if (e != null) ((StringBuilder) e.value()).append("+changed");
                        } else if (action == 3) {
                            Entry e = db.lookupWrite(k);
                            if (e != null) db.setExpire(e, 4_100_000_000_000L);
                        } else if (action == 4) {
                            Entry e = db.lookupWrite(k);
                            if (e != null) db.persist(e);
                        } else if (db.find(k) == null) {
                            db.add(k, new StringBuilder("added"));
                        }
                    }
                }
            }
        } while (!walk.step(1 + rnd.nextInt(8)));

        assertTrue(walk.complete());
        assertNull(keyspace.snapshot());
        assertEquals(expected, saved);
    }

    @ParameterizedTest
    @CsvSource({"1", "2"})
    void aSecondSnapshotAfterAnAbandonedOneSeesEveryKey(long seed) {
        Keyspace keyspace = new Keyspace(1, false, new AccessClock(), QuietListener.INSTANCE);
        Database db = keyspace.db(0);
        for (int i = 0; i < 5000; i++) db.add(key("k" + i), "v" + i);
        for (int round = 0; round < 300; round++) {
            SnapshotWalk walk = keyspace.startSnapshot((d, e) -> {});
            walk.step(new Random(seed + round).nextInt(50));
            walk.abandon();
            assertNull(keyspace.snapshot());
        }
        Map<String, Saved> saved = new HashMap<>();
        SnapshotWalk walk = keyspace.startSnapshot((d, e) -> saved.put(d + "/" + new String(e.key(),
                StandardCharsets.UTF_8), new Saved(e.value().toString(), e.expireAt())));
        while (!walk.step(100)) {
            // walk on
        }
        assertEquals(dataset(keyspace), saved);
    }
}
