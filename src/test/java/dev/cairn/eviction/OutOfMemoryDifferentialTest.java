package dev.cairn.eviction;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With maxmemory 1 both servers are over the limit at once: the same requests to Cairn
 * and to redis-server 7.0 must get byte-for-byte the same replies. Covers the OOM error
 * of denyoom commands, reads and DEL still served, MULTI (every command refused, EXEC
 * aborted), scripts (redis.call and pcall of a write, shebang flags), and the OBJECT
 * IDLETIME / FREQ rules under LRU and LFU policies.
 */
class OutOfMemoryDifferentialTest {
    private static final List<List<String>> REQUESTS = List.of(
            List.of("SET", "a", "1"),
            List.of("SET", "b", "2"),
            List.of("CONFIG", "SET", "maxmemory", "1"),
            List.of("SET", "c", "3"),
            List.of("APPEND", "a", "x"),
            List.of("LPUSH", "l", "x"),
            List.of("INCR", "a"),
            List.of("GET", "a"),
            List.of("EXISTS", "a", "b", "c"),
            List.of("EXPIRE", "b", "100"),
            List.of("DEL", "b"),
            List.of("EVAL", "return redis.call('set','x','1')", "0"),
            List.of("EVAL", "return redis.pcall('set','x','1')", "0"),
            List.of("EVAL", "return redis.call('get','a')", "0"),
            List.of("EVAL", "#!lua\nreturn redis.call('get','a')", "0"),
            List.of("EVAL", "#!lua flags=no-writes\nreturn redis.call('get','a')", "0"),
            List.of("EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','x','1')", "0"),
            List.of("EVAL", "redis.call('del','x') return redis.call('set','x','2')", "0"),
            List.of("GET", "x"),
            List.of("MULTI"),
            List.of("GET", "a"),
            List.of("DEL", "a"),
            List.of("EXEC"),
            List.of("MULTI"),
            List.of("DISCARD"),
            List.of("OBJECT", "FREQ", "a"),
            List.of("OBJECT", "FREQ", "nokey"),
            List.of("OBJECT", "IDLETIME", "nokey"),
            List.of("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"),
            List.of("CONFIG", "SET", "lfu-log-factor", "0"),
            List.of("OBJECT", "IDLETIME", "a"),
            List.of("OBJECT", "IDLETIME", "nokey"),
            List.of("OBJECT", "FREQ", "nokey"),
            List.of("CONFIG", "SET", "maxmemory-policy", "volatile-lru"),
            List.of("SET", "c", "3"),
            List.of("CONFIG", "SET", "maxmemory-policy", "noeviction"),
            List.of("CONFIG", "SET", "maxmemory", "0"),
            List.of("SET", "c", "3"),
            List.of("CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"),
            List.of("SET", "f", "v"),
            List.of("OBJECT", "FREQ", "f"),
            List.of("GET", "f"),
            List.of("GET", "f"),
            List.of("OBJECT", "FREQ", "f"),
            List.of("CONFIG", "GET", "maxmemory"),
            List.of("CONFIG", "GET", "maxmemory-policy"),
            List.of("CONFIG", "GET", "maxmemory-samples"),
            List.of("CONFIG", "GET", "maxmemory-eviction-tenacity"),
            List.of("CONFIG", "GET", "lfu-log-factor"),
            List.of("CONFIG", "GET", "lfu-decay-time"),
            List.of("CONFIG", "GET", "lazyfree-lazy-eviction"),
            List.of("CONFIG", "SET", "maxmemory-policy", "lru"),
            List.of("CONFIG", "SET", "maxmemory-samples", "0"),
            List.of("CONFIG", "SET", "maxmemory-eviction-tenacity", "101"),
            List.of("CONFIG", "SET", "maxmemory", "1gb"),
            List.of("CONFIG", "GET", "maxmemory"));

    @Test
    void sameRepliesAsRedisOverTheLimit() throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (List<String> command : REQUESTS) {
                String[] args = command.toArray(new String[0]);
                assertEquals(expected.call(args), actual.call(args), String.join(" ", command));
            }
        }
    }

    /** EXEC of queued writes is aborted when memory went over the limit after they were queued. */
    @Test
    void execAbortedWhenTheLimitIsReachedAfterQueuing() throws IOException {
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start()) {
            for (int port : new int[] {real.port(), cairn.port()}) {
                try (RawConnection tx = new RawConnection(port); RawConnection admin = new RawConnection(port)) {
                    assertEquals("+OK\r\n", tx.call("MULTI"));
                    assertEquals("+QUEUED\r\n", tx.call("SET", "k", "v"));
                    assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxmemory", "1"));
                    assertEquals("-EXECABORT Transaction discarded because of: OOM command not allowed when used "
                            + "memory > 'maxmemory'.\r\n", tx.call("EXEC"), "port " + port);
                    assertEquals("+OK\r\n", tx.call("MULTI"));
                    assertEquals("-OOM command not allowed when used memory > 'maxmemory'.\r\n", tx.call("GET", "k"));
                    assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", tx.call("EXEC"));
                    assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxmemory", "0"));
                }
            }
        }
    }
}
