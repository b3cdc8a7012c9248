package dev.cairn.transactions;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.keyspace.AccessClock;
import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Keyspace;
import dev.cairn.testing.QuietListener;
import dev.cairn.transaction.Transaction;
import dev.cairn.transaction.WatchedKeys;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The watch registry on its own, over a keyspace whose clock the test moves. */
class WatchedKeysTest {
    private final MovableClock clock = new MovableClock();
    private final Keyspace keyspace = new Keyspace(2, false, clock, QuietListener.INSTANCE);
    private final Database db0 = keyspace.db(0);
    private final Database db1 = keyspace.db(1);
    private final WatchedKeys registry = new WatchedKeys(2);

    private static final class MovableClock extends AccessClock {
        long now = 1_000_000;

        @Override
        public long nowMillis() {
            return now;
        }
    }

    private static byte[] key(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void touchMarksEveryWatcherOfThatKeyOnly() {
        Transaction a = new Transaction(registry);
        Transaction b = new Transaction(registry);
        Transaction c = new Transaction(registry);
        a.watch(db0, key("k"));
        b.watch(db0, key("k"));
        b.watch(db0, key("other"));
        c.watch(db1, key("k"));
        registry.touch(db0, key("k"));
        assertTrue(a.touched());
        assertTrue(b.touched());
        assertFalse(c.touched(), "same name in another database");
        // A touched transaction watches nothing more; UNWATCH clears the mark.
        b.unwatch();
        b.watch(db0, key("k"));
        registry.touch(db0, key("unrelated"));
        assertFalse(b.touched());
    }

    @Test
    void discardedTransactionsAreForgotten() {
        Transaction a = new Transaction(registry);
        a.watch(db0, key("k"));
        a.discard();
        registry.touch(db0, key("k"));
        assertFalse(a.touched());
        // Watching the same key twice is one watch: a single UNWATCH forgets it.
        a.watch(db0, key("k"));
        a.watch(db0, key("k"));
        a.unwatch();
        registry.touch(db0, key("k"));
        assertFalse(a.touched());
    }

    @Test
    void expiryAfterWatchingCountsAtExec() {
        db0.setExpire(db0.add(key("k"), "v"), clock.now + 10);
        Transaction a = new Transaction(registry);
        a.watch(db0, key("k"));
        assertFalse(a.watchedKeyExpired());
        clock.now += 11;
        assertTrue(a.watchedKeyExpired());
    }

    @Test
    void aKeyExpiredWhenWatchedIsMissingUntilSetAgain() {
        db0.setExpire(db0.add(key("k"), "v"), clock.now - 1);
        Transaction a = new Transaction(registry);
        a.watch(db0, key("k"));
        assertFalse(a.watchedKeyExpired());
        // Its deletion is no change...
        db0.remove(key("k"));
        registry.touch(db0, key("k"));
        assertFalse(a.touched());
        // ...but creating it afterwards is.
        db0.add(key("k"), "new");
        registry.touch(db0, key("k"));
        assertTrue(a.touched());
    }

    @Test
    void emptyingOrSwappingTouchesKeysThatExistOnEitherSide() {
        db0.add(key("here"), "v");
        db1.add(key("there"), "v");
        Transaction here = new Transaction(registry);
        Transaction there = new Transaction(registry);
        Transaction nowhere = new Transaction(registry);
        here.watch(db0, key("here"));
        there.watch(db0, key("there"));
        nowhere.watch(db0, key("nowhere"));
        registry.touchAllInDb(db0, null);
        assertTrue(here.touched());
        assertFalse(there.touched(), "a flush only looks at the flushed database");
        registry.touchAllInDb(db0, db1);
        assertTrue(there.touched());
        assertFalse(nowhere.touched());
    }
}
