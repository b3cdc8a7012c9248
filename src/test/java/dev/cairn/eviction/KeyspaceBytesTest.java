package dev.cairn.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;

/**
 * The keyspace's byte count is kept incrementally by every path that creates, changes,
 * moves or deletes a key: after a random mix of such commands, deleting every key one by
 * one must bring it back to exactly zero (any path that forgot to account would leave a
 * remainder, or go negative).
 */
class KeyspaceBytesTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    @Test
    void everyWritePathKeepsTheCountExact() {
        Jedis j = cairn.jedis();
        Random rnd = new Random(42);
        for (int i = 0; i < 5000; i++) {
            String k = "k" + rnd.nextInt(40);
            String other = "k" + rnd.nextInt(40);
            String v = "x".repeat(rnd.nextInt(200));
            try {
                switch (rnd.nextInt(22)) {
                    case 0 -> j.set(k, v);
                    case 1 -> j.append(k, v);
                    case 2 -> j.setrange(k, rnd.nextInt(300), v);
                    case 3 -> j.incr(k);
                    case 4 -> j.del(k);
                    case 5 -> j.rename(k, other);
                    case 6 -> j.move(k, 1 + rnd.nextInt(2));
                    case 7 -> j.expire(k, 1000);
                    case 8 -> j.persist(k);
                    case 9 -> j.swapDB(0, 1 + rnd.nextInt(2));
                    case 10 -> j.copy(k, other, true);
                    case 11 -> j.rpush(k, v, v);
                    case 12 -> j.lpop(k, 1 + rnd.nextInt(3));
                    case 13 -> j.hset(k, "f" + rnd.nextInt(700), v);
                    case 14 -> j.hdel(k, "f" + rnd.nextInt(700));
                    case 15 -> j.sadd(k, "m" + rnd.nextInt(600), Integer.toString(rnd.nextInt(1000)));
                    case 16 -> j.srem(k, "m" + rnd.nextInt(600));
                    case 17 -> j.zadd(k, rnd.nextInt(100), "m" + rnd.nextInt(300) + v);
                    case 18 -> j.zpopmin(k);
                    case 19 -> j.set(k, v, SetParams.setParams().px(1));
                    case 20 -> j.getDel(k);
                    default -> j.setbit(k, rnd.nextInt(4000), true);
                }
            } catch (JedisDataException wrongType) {
                // WRONGTYPE and friends: no change.
            }
        }
        long filled = cairn.onCommandThread(() -> cairn.server().keyspace().bytes());
        assertTrue(filled > 0);
        long sum = cairn.onCommandThread(() -> {
            long n = 0;
            for (int db = 0; db < 16; db++) n += cairn.server().keyspace().db(db).bytes();
            return n;
        });
        assertEquals(filled, sum);
        // DEL of every name in every database: expired keys are removed by the lookup.
        for (int db = 0; db < 3; db++) {
            j.select(db);
            for (int i = 0; i < 40; i++) j.del("k" + i);
        }
        j.select(0);
        assertEquals(0L, (long) cairn.onCommandThread(() -> cairn.server().keyspace().totalKeys()));
        assertEquals(0L, cairn.onCommandThread(() -> cairn.server().keyspace().bytes()));
    }
}
