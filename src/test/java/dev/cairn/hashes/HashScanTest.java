package dev.cairn.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Map.Entry;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * HSCAN: a listpack hash comes back whole with cursor 0; a table hash is walked with a
 * cursor that returns every field present for the whole iteration, with its value, while
 * the hash grows, shrinks and changes in between the calls.
 */
class HashScanTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final Jedis jedis = server.jedis();

    @Test
    void missingKeyAndBadArguments() throws Exception {
        try (RawConnection raw = new RawConnection(server.port())) {
            assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", raw.call("HSCAN", "none", "0"));
            assertEquals("-ERR invalid cursor\r\n", raw.call("HSCAN", "none", "x"));
            raw.call("HSET", "h", "a", "1");
            assertEquals("-ERR syntax error\r\n", raw.call("HSCAN", "h", "0", "COUNT", "0"));
            assertEquals("-ERR syntax error\r\n", raw.call("HSCAN", "h", "0", "MATCH"));
            assertEquals("-ERR value is not an integer or out of range\r\n", raw.call("HSCAN", "h", "0", "COUNT", "x"));
        }
    }

    @Test
    void listpackIsReturnedWholeInOneCall() {
        for (int i = 0; i < 100; i++) jedis.hset("h", "f" + i, "v" + i);
        ScanResult<Entry<String, String>> r = jedis.hscan("h", "0", new ScanParams().count(1));
        assertEquals("0", r.getCursor());
        assertEquals(100, r.getResult().size());
        assertEquals("f0", r.getResult().get(0).getKey());
        assertEquals("v0", r.getResult().get(0).getValue());
        ScanResult<Entry<String, String>> matched = jedis.hscan("h", "0", new ScanParams().match("f1*"));
        assertEquals(11, matched.getResult().size());
    }

    @Test
    void tableScanWithMatchFiltersOnFields() {
        for (int i = 0; i < 1000; i++) jedis.hset("h", "f" + i, i % 2 == 0 ? "even" : "odd");
        assertEquals("hashtable", jedis.objectEncoding("h"));
        Map<String, String> seen = new HashMap<>();
        String cursor = "0";
        do {
            ScanResult<Entry<String, String>> r = jedis.hscan("h", cursor, new ScanParams().match("f9*").count(50));
            for (Entry<String, String> e : r.getResult()) seen.put(e.getKey(), e.getValue());
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(111, seen.size());
        assertEquals("odd", seen.get("f99"));
        assertEquals("even", seen.get("f998"));
    }

    @Test
    void everyStableFieldIsReturnedWhileTheHashChanges() {
        Random rnd = new Random(42);
        for (int round = 0; round < 5; round++) {
            jedis.del("h");
            Set<String> stable = new HashSet<>();
            for (int i = 0; i < 2000; i++) {
                jedis.hset("h", "stable:" + i, "s" + i);
                stable.add("stable:" + i);
            }
            for (int i = 0; i < 3000; i++) jedis.hset("h", "doomed:" + i, "d");
            Map<String, String> seen = new HashMap<>();
            String cursor = "0";
            int step = 0;
            do {
                ScanResult<Entry<String, String>> r = jedis.hscan("h", cursor, new ScanParams().count(1 + rnd.nextInt(40)));
                for (Entry<String, String> e : r.getResult()) seen.put(e.getKey(), e.getValue());
                cursor = r.getCursor();
                // Grow (several doublings), then shrink (halvings), changing values too.
                if (step < 30) {
                    for (int i = 0; i < 300; i++) jedis.hset("h", "new:" + step + ":" + i, "n");
                } else if (step < 60) {
                    for (int i = 0; i < 100; i++) jedis.hdel("h", "doomed:" + ((step - 30) * 100 + i));
                    for (int i = 0; i < 300; i++) jedis.hdel("h", "new:" + (step - 30) + ":" + i);
                }
                jedis.hset("h", "stable:" + rnd.nextInt(2000), "changed");
                step++;
                assertTrue(step < 100_000, "the scan must end");
            } while (!cursor.equals("0"));
            Set<String> missing = new HashSet<>(stable);
            missing.removeAll(seen.keySet());
            assertEquals(Set.of(), missing, "fields present throughout but never returned");
            for (String f : stable) {
                String v = seen.get(f);
                assertTrue(v.equals("changed") || v.equals("s" + f.substring(7)), f + " -> " + v);
            }
        }
    }

    @Test
    void scanOfAnUnchangedTableReturnsEachFieldOnce() {
        for (int i = 0; i < 700; i++) jedis.hset("h", "f" + i, "v");
        Set<String> seen = new HashSet<>();
        int total = 0;
        String cursor = "0";
        do {
            ScanResult<Entry<String, String>> r = jedis.hscan("h", cursor);
            for (Entry<String, String> e : r.getResult()) seen.add(e.getKey());
            total += r.getResult().size();
            cursor = r.getCursor();
        } while (!cursor.equals("0"));
        assertEquals(700, seen.size());
        assertEquals(700, total);
    }
}
