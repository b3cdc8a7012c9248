package dev.cairn.introspection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** MEMORY USAGE, STATS, DOCTOR, MALLOC-STATS, PURGE and HELP. */
class MemoryTest {
    @RegisterExtension
    static final ServerFixture server = ServerFixture.cairn();

    /** Redis 7.0's figures for string keys (int, embstr and raw encodings). */
    @Test
    void usageOfStringsIsRedisAccounting() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.set("foo", "bar");
            j.set("n", "12345");
            j.set("long", "x".repeat(60));
            j.set("k", "x".repeat(300));
            assertEquals(64, j.memoryUsage("foo"));
            assertEquals(48, j.memoryUsage("n"));
            assertEquals(112, j.memoryUsage("long"));
            assertEquals(368, j.memoryUsage("k"));
            assertEquals(64, j.memoryUsage("foo", 0));
            assertNull(j.memoryUsage("nosuch"));
            JedisDataException e = assertThrows(JedisDataException.class, () -> j.memoryUsage("foo", -1));
            assertEquals("ERR syntax error", e.getMessage());
        }
    }

    @Test
    void statsHaveRedisFieldNames() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            j.select(2);
            j.set("in-db-2", "v");
            Map<String, Object> stats = j.memoryStats();
            List<?> flat = (List<?>) Replies.text(j.sendCommand(() -> "MEMORY".getBytes(), "STATS"));
            List<String> names = new ArrayList<>();
            for (int i = 0; i < flat.size(); i += 2) names.add((String) flat.get(i));
            assertEquals(stats.keySet(), new java.util.HashSet<>(names));
            assertEquals(List.of("peak.allocated", "total.allocated", "startup.allocated", "replication.backlog",
                    "clients.slaves", "clients.normal", "cluster.links", "aof.buffer", "lua.caches",
                    "functions.caches"), names.subList(0, 10));
            assertTrue(names.contains("db.2"), names::toString);
            assertEquals(List.of("overhead.total", "keys.count", "keys.bytes-per-key", "dataset.bytes",
                    "dataset.percentage", "peak.percentage", "allocator.allocated", "allocator.active",
                    "allocator.resident", "allocator-fragmentation.ratio", "allocator-fragmentation.bytes",
                    "allocator-rss.ratio", "allocator-rss.bytes", "rss-overhead.ratio", "rss-overhead.bytes",
                    "fragmentation", "fragmentation.bytes"), names.subList(names.size() - 17, names.size()));
            assertTrue((Long) stats.get("keys.count") >= 1);
            assertTrue((Long) stats.get("peak.allocated") >= (Long) stats.get("startup.allocated") / 2);
        }
    }

    @Test
    void dbStatsAreANestedMap() throws Exception {
        try (Jedis j = new Jedis("127.0.0.1", server.port()); RawConnection r = new RawConnection(server.port())) {
            j.set("x", "1");
            String reply = r.call("MEMORY", "STATS");
            assertTrue(reply.contains("$4\r\ndb.0\r\n*6\r\n$23\r\noverhead.hashtable.main\r\n:"), reply);
            r.call("HELLO", "3");
            reply = r.call("MEMORY", "STATS");
            assertTrue(reply.startsWith("%"), reply);
            assertTrue(reply.contains("$18\r\ndataset.percentage\r\n,"), reply);
        }
    }

    @Test
    void doctorMallocStatsPurgeAndHelp() {
        try (Jedis j = new Jedis("127.0.0.1", server.port())) {
            assertTrue(j.memoryDoctor().startsWith("Hi Sam, "), j.memoryDoctor());
            assertEquals("Stats not supported for the current allocator",
                    new String((byte[]) j.sendCommand(() -> "MEMORY".getBytes(), "MALLOC-STATS")));
            assertEquals("OK", j.memoryPurge());
            List<?> help = (List<?>) Replies.text(j.sendCommand(() -> "MEMORY".getBytes(), "HELP"));
            assertEquals(List.of("MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", "DOCTOR",
                    "    Return memory problems reports.", "MALLOC-STATS",
                    "    Return internal statistics report from the memory allocator.", "PURGE",
                    "    Attempt to purge dirty pages for reclamation by the allocator.", "STATS",
                    "    Return information about the memory usage of the server.", "USAGE <key> [SAMPLES <count>]",
                    "    Return memory in bytes used by <key> and its value. Nested values are",
                    "    sampled up to <count> times (default: 5, 0 means sample all).", "HELP",
                    "    Prints this help."), help);
        }
    }

    @Test
    void lettuceMemoryUsage() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set("lettuce", "x".repeat(45));
            assertEquals(120L, c.sync().memoryUsage("lettuce"));
            assertNull(c.sync().memoryUsage("nothing-here"));
        } finally {
            client.shutdown();
        }
    }
}
