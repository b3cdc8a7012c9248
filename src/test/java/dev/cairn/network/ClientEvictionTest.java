package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * maxmemory-clients (client eviction): the largest clients are disconnected while all
 * clients together hold at least the limit; CLIENT NO-EVICT protects; INFO evicted_clients;
 * the directive's syntax, compared with redis-server.
 */
class ClientEvictionTest {
    /** The start of a SET whose 4 MB value is still arriving. */
    private static final String BIG_SET_HEAD = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$4000000\r\n";

    @TempDir
    Path dir;

    private static long evictedClients(int port) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            String info = p.call("INFO", "stats");
            var m = Pattern.compile("evicted_clients:(\\d+)\r\n").matcher(info);
            assertTrue(m.find(), info);
            return Long.parseLong(m.group(1));
        }
    }

    /** Sends and waits for the server to close the connection, which may happen while sending. */
    private static boolean sendIsCut(RawConnection c, String text) throws IOException {
        try {
            c.send(text);
        } catch (SocketException e) {
            return true;
        }
        return c.closedByServer();
    }

    /** A client whose request is 300 KB into a 4 MB value, over the 128 KB the limit can be. */
    private static void hugeQueryIsEvicted(int port) throws IOException {
        try (RawConnection survivor = new RawConnection(port); RawConnection big = new RawConnection(port)) {
            assertEquals("+PONG\r\n", survivor.call("PING"));
            assertEquals("+PONG\r\n", big.call("PING"));
            assertTrue(sendIsCut(big, BIG_SET_HEAD + "x".repeat(300_000)), "port " + port);
            assertEquals("+PONG\r\n", survivor.call("PING"), "port " + port);
        }
        assertEquals(1, evictedClients(port), "port " + port);
    }

    @Test
    void aClientWithAHugeQueryIsEvictedAndOthersSurviveAsRedis() throws Exception {
        Path log = dir.resolve("cairn.log");
        // 1 byte is raised to Redis's minimum of 128 KB: the small clients stay.
        try (TestServer cairn = TestServer.start("--maxmemory-clients", "1", "--loglevel", "notice",
                "--logfile", log.toString());
                RealRedis redis = RealRedis.start("--maxmemory-clients", "1")) {
            hugeQueryIsEvicted(redis.port());
            hugeQueryIsEvicted(cairn.port());
            String text = Eventually.fileContains(log, "Evicting client: ");
            assertTrue(Pattern.compile(" \\* Evicting client: "
                    + ProtocolLimitsTest.CLIENT_INFO.replace("cmd=(?:NULL|[a-z|]+)", "cmd=ping") + "\n")
                    .matcher(text).find(), text);
        }
    }

    @Test
    void aPercentageOfMaxmemoryIsTheLimitAndWithoutMaxmemoryNothingIsEvicted() throws Exception {
        try (TestServer s = TestServer.start("--maxmemory-clients", "5%")) {
            try (RawConnection big = new RawConnection(s.port())) {
                big.send(BIG_SET_HEAD + "x".repeat(300_000));
                // No maxmemory: 5% of nothing means no limit; the request completes.
                big.send("x".repeat(3_700_000) + "\r\n");
                assertEquals("+OK\r\n", big.readReply());
            }
            try (RawConnection p = new RawConnection(s.port())) {
                assertEquals("+OK\r\n", p.call("CONFIG", "SET", "maxmemory", "4mb"));
            }
            // 5% of 4 MB is 209715 bytes.
            hugeQueryIsEvicted(s.port());
        }
    }

    @Test
    void aClientNotReadingItsRepliesIsEvictedAsRedis() throws Exception {
        try (TestServer cairn = TestServer.start("--maxmemory-clients", "1mb");
                RealRedis redis = RealRedis.start("--maxmemory-clients", "1mb")) {
            for (int port : new int[] {redis.port(), cairn.port()}) {
                try (RawConnection p = new RawConnection(port)) {
                    assertEquals("+OK\r\n", p.call("SET", "big", "x".repeat(500_000)));
                }
                try (RawConnection survivor = new RawConnection(port); RawConnection slow = RawConnection.slowReader(port)) {
                    // 20 MB of replies it does not read: far more than the socket buffers hold.
                    slow.send(RawConnection.request("GET", "big").repeat(40));
                    assertTrue(slow.closedByServer(), "port " + port);
                    assertEquals("+PONG\r\n", survivor.call("PING"));
                }
                assertEquals(1, evictedClients(port), "port " + port);
            }
        }
    }

    @Test
    void theLargestClientGoesUntilTheTotalIsUnderTheLimit() throws Exception {
        try (TestServer s = TestServer.start("--maxmemory-clients", "6mb")) {
            try (RawConnection smaller = new RawConnection(s.port()); RawConnection larger = new RawConnection(s.port())) {
                smaller.send(BIG_SET_HEAD + "x".repeat(2_000_000));
                Eventually.until("the first request is read", () -> queryBufferOver(s, 2_000_000));
                assertTrue(sendIsCut(larger, BIG_SET_HEAD + "x".repeat(3_500_000)));
                smaller.send("x".repeat(2_000_000) + "\r\n");
                assertEquals("+OK\r\n", smaller.readReply());
            }
            assertEquals(1, evictedClients(s.port()));
        }
    }

    private static boolean queryBufferOver(TestServer s, long bytes) {
        return s.onCommandThread(() -> s.server().clients().all().stream()
                .anyMatch(c -> c.queryBufferLength() >= bytes));
    }

    @Test
    void noEvictProtectsAClientAsRedis() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (TestServer cairn = TestServer.start("--maxmemory-clients", "1", "--logfile", log.toString());
                RealRedis redis = RealRedis.start("--maxmemory-clients", "1")) {
            for (int port : new int[] {redis.port(), cairn.port()}) {
                try (RawConnection big = new RawConnection(port)) {
                    assertEquals("+OK\r\n", big.call("CLIENT", "NO-EVICT", "on"));
                    big.send(BIG_SET_HEAD + "x".repeat(300_000));
                    if (port == cairn.port()) {
                        Eventually.fileContains(log, "Over client maxmemory after evicting all evictable clients");
                    }
                    big.send("x".repeat(3_700_000) + "\r\n");
                    assertEquals("+OK\r\n", big.readReply(), "port " + port);
                    // Off again, the next huge request gets it evicted.
                    assertEquals("+OK\r\n", big.call("CLIENT", "NO-EVICT", "off"));
                    assertTrue(sendIsCut(big, BIG_SET_HEAD + "x".repeat(300_000)), "port " + port);
                }
                assertEquals(1, evictedClients(port), "port " + port);
            }
        }
    }

    @Test
    void lowerLimitAtRunTimeEvictsAndResetstatClearsTheCount() throws Exception {
        try (TestServer s = TestServer.start(); RawConnection admin = new RawConnection(s.port())) {
            try (RawConnection big = new RawConnection(s.port())) {
                big.send(BIG_SET_HEAD + "x".repeat(300_000));
                Eventually.until("the request is read", () -> queryBufferOver(s, 300_000));
                assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "maxmemory-clients", "200kb"));
                assertTrue(big.closedByServer());
            }
            assertEquals("+PONG\r\n", admin.call("PING"));
            assertEquals(1, evictedClients(s.port()));
            assertEquals("+OK\r\n", admin.call("CONFIG", "RESETSTAT"));
            assertEquals(0, evictedClients(s.port()));
        }
    }

    /** CONFIG SET and GET of maxmemory-clients, replies compared with redis-server's. */
    @Test
    void theDirectiveParsesAndPrintsAsRedis() throws Exception {
        String[] values = {"0", "5%", "100%", "101%", "-1", "-5%", "1mb", "1gb", "abc", "5.5%", "%", "0%", "10",
            "1k", "9223372036854775807", "9223372036854775808", "100000000000000000000", "99999999999999999%",
            " 5%", "+5%", "05%", "5K%", "1b", "2GB", ""};
        try (TestServer cairn = TestServer.start(); RealRedis redis = RealRedis.start();
                RawConnection c = new RawConnection(cairn.port()); RawConnection r = new RawConnection(redis.port())) {
            for (String v : values) {
                assertEquals(r.call("CONFIG", "SET", "maxmemory-clients", v),
                        c.call("CONFIG", "SET", "maxmemory-clients", v), v);
                assertEquals(r.call("CONFIG", "GET", "maxmemory-clients"), c.call("CONFIG", "GET", "maxmemory-clients"), v);
            }
            assertFalse(c.call("CONFIG", "GET", "maxmemory-clients").isEmpty());
        }
    }
}
