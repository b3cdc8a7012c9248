package dev.cairn.bloom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RedisCli;
import dev.cairn.testing.ServerFixture;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

/**
 * The seeds' use of a Bloom filter: against cache penetration. Every key the database has
 * is in a filter; a lookup that misses the cache asks the filter first, and only items
 * the filter may hold reach the database. The rare false positive that reaches it and
 * finds nothing is remembered with a short-lived marker, and a row added to the database
 * is added to the filter as well.
 */
class CachePenetrationTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn().flushingBeforeEachTest();

    private final UnifiedJedis redis = new UnifiedJedis("redis://127.0.0.1:" + server.port());

    /** The "database": the rows, and how many queries reached it. */
    private final Map<String, String> database = new HashMap<>();
    private int queries;

    @AfterEach
    void close() {
        redis.close();
    }

    private String queryDatabase(String id) {
        queries++;
        return database.get(id);
    }

    /** The cache-aside read with the filter in front of the database. */
    private String lookup(String id) {
        String cached = redis.get("cache:" + id);
        if (cached != null) return cached.isEmpty() ? null : cached;
        if (!redis.bfExists("courses", id)) return null;        // certainly absent: the database is spared
        String row = queryDatabase(id);
        // A false positive is cached as an empty marker so that it costs one query only.
        redis.set("cache:" + id, row == null ? "" : row, new SetParams().ex(row == null ? 60 : 3600));
        return row;
    }

    private void addCourse(String id, String title) {
        database.put(id, title);
        redis.bfAdd("courses", id);
    }

    @Test
    void absentItemsNeverReachTheDatabase() {
        // A deliberately small, loose filter, so that some false positives do occur.
        redis.bfReserve("courses", 0.05, 100);
        addCourse("java-backend", "Java back end");
        addCourse("java-architect", "Java architect");
        addCourse("java-bigdata", "Java big data");
        addCourse("ai", "Artificial intelligence");
        for (int i = 0; i < 96; i++) addCourse("elective-" + i, "Elective " + i);

        assertEquals("Java architect", lookup("java-architect"));
        assertEquals("Java architect", lookup("java-architect"));
        assertEquals(1, queries, "the second read is served from the cache");

        // An attacker asks for 10,000 courses that do not exist, each twice.
        queries = 0;
        for (int i = 0; i < 10_000; i++) assertNull(lookup("painting-" + i));
        int firstRound = queries;
        assertTrue(firstRound > 0 && firstRound <= 10_000 * 0.05, firstRound + " of 10,000 absent lookups reached the database");
        // The second time, even the false positives are answered by their markers.
        for (int i = 0; i < 10_000; i++) assertNull(lookup("painting-" + i));
        assertEquals(firstRound, queries);
        System.out.printf("cache penetration: %d of 20,000 absent lookups reached the database%n", queries);

        // A course added later is found: the filter learns it with the database.
        addCourse("painting-5", "Painting");
        redis.del("cache:painting-5");
        assertEquals("Painting", lookup("painting-5"));
    }

    /** The seed's redis-cli session, replayed with the real redis-cli. */
    @Test
    void seedSession() {
        String output = RedisCli.run(server.port(), "BF.ADD newFilter foo\nBF.EXISTS newFilter foo\nBF.EXISTS newFilter bar\n",
                "--no-raw");
        assertEquals("(integer) 1\n(integer) 1\n(integer) 0\n", output);
    }
}
