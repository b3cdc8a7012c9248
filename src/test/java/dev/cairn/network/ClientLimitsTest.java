package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.RedisCli;
import dev.cairn.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** timeout, maxclients, protected-mode, requirepass/AUTH and the limits before AUTH, as redis-server 7.0. */
class ClientLimitsTest {
    @TempDir
    Path dir;

    /** What a fresh connection sends and receives until the server closes it. */
    private static String refusal(int port) throws IOException {
        try (RawConnection p = new RawConnection(port)) {
            return p.readUntilClosed();
        }
    }

    @Test
    void anIdleClientIsClosedAndAnActiveOneIsNot() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (TestServer s = TestServer.start("--timeout", "1", "--loglevel", "verbose", "--logfile", log.toString());
                RawConnection idle = new RawConnection(s.port());
                RawConnection busy = new RawConnection(s.port());
                RawConnection slowWriter = new RawConnection(s.port())) {
            assertEquals("+PONG\r\n", idle.call("PING"));
            // A request trickling in counts as activity even before it is complete.
            slowWriter.send("*2\r\n$4\r\nECHO\r\n$12\r\n");
            for (int i = 0; i < 12; i++) {
                assertEquals("+PONG\r\n", busy.call("PING"));
                slowWriter.send("x");
                Thread.sleep(300);
            }
            slowWriter.send("\r\n");
            assertEquals("$12\r\n" + "x".repeat(12) + "\r\n", slowWriter.readReply());
            assertEquals("", idle.readUntilClosed());
            assertEquals("+PONG\r\n", busy.call("PING"));
            Eventually.fileContains(log, " - Closing idle client\n");
        }
    }

    /**
     * A connection the server admitted: RealRedis probed the port with a connection of its
     * own, which redis-server may not have noticed closing yet.
     */
    private static RawConnection admitted(int port) throws IOException {
        for (int attempt = 0; ; attempt++) {
            RawConnection p = new RawConnection(port);
            if (p.call("PING").equals("+PONG\r\n")) return p;
            p.close();
            if (attempt == 20) throw new AssertionError("never admitted");
        }
    }

    @Test
    void aClientOverMaxclientsGetsRedisErrorAndIsClosed() throws Exception {
        try (TestServer cairn = TestServer.start("--maxclients", "2"); RealRedis redis = RealRedis.start("--maxclients", "2");
                RawConnection c1 = new RawConnection(cairn.port()); RawConnection c2 = new RawConnection(cairn.port());
                RawConnection r1 = admitted(redis.port()); RawConnection r2 = admitted(redis.port())) {
            for (RawConnection p : List.of(c1, c2)) assertEquals("+PONG\r\n", p.call("PING"));
            assertEquals("-ERR max number of clients reached\r\n", refusal(cairn.port()));
            assertEquals(refusal(redis.port()), refusal(cairn.port()));
            assertEquals("+PONG\r\n", c1.call("PING"));
            // A place freed is taken by the next client.
            c2.close();
            Eventually.until("the closed client is gone", () -> cairn.onCommandThread(() -> cairn.server().clients().count()) == 1);
            try (RawConnection c3 = new RawConnection(cairn.port())) {
                assertEquals("+PONG\r\n", c3.call("PING"));
            }
            assertEquals(2L, cairn.onCommandThread(() -> cairn.server().stats().rejectedConnections));
        }
    }

    @Test
    void protectedModeRefusesANonLoopbackClientWithRedisText() throws Exception {
        String address = NonLoopback.ipv4();
        Assumptions.assumeTrue(address != null, "this machine has no non-loopback IPv4 address to connect from");
        try (TestServer cairn = TestServer.start("--bind", "127.0.0.1", address);
                RealRedis redis = RealRedis.start("--bind", "127.0.0.1", address)) {
            String denied;
            try (RawConnection p = RawConnection.connect(address, cairn.port())) {
                denied = p.readUntilClosed();
            }
            assertTrue(denied.startsWith("-DENIED Redis is running in protected mode because protected mode is enabled"),
                    denied);
            try (RawConnection p = RawConnection.connect(address, redis.port())) {
                assertEquals(p.readUntilClosed(), denied);
            }
            // Loopback is welcome; so is everyone once protected mode is off.
            try (RawConnection local = new RawConnection(cairn.port())) {
                assertEquals("+PONG\r\n", local.call("PING"));
                assertEquals("+OK\r\n", local.call("CONFIG", "SET", "protected-mode", "no"));
            }
            try (RawConnection remote = RawConnection.connect(address, cairn.port())) {
                assertEquals("+PONG\r\n", remote.call("PING"));
            }
        }
    }

    @Test
    void protectedModeAcceptsOnlyTheExactLoopbackAddressesAndAPasswordLiftsIt() throws Exception {
        try (TestServer cairn = TestServer.start(); RealRedis redis = RealRedis.start()) {
            // Redis compares the peer's address with "127.0.0.1": 127.0.0.2 is refused.
            String fromOtherLoopback;
            try (RawConnection p = RawConnection.connectFrom("127.0.0.2", "127.0.0.1", cairn.port())) {
                fromOtherLoopback = p.readUntilClosed();
            }
            try (RawConnection p = RawConnection.connectFrom("127.0.0.2", "127.0.0.1", redis.port())) {
                assertEquals(p.readUntilClosed(), fromOtherLoopback);
            }
            assertTrue(fromOtherLoopback.startsWith("-DENIED "), fromOtherLoopback);
            try (RawConnection local = new RawConnection(cairn.port())) {
                assertEquals("+OK\r\n", local.call("CONFIG", "SET", "requirepass", "secret"));
            }
            try (RawConnection p = RawConnection.connectFrom("127.0.0.2", "127.0.0.1", cairn.port())) {
                assertEquals("-NOAUTH Authentication required.\r\n", p.call("PING"));
                assertEquals("+OK\r\n", p.call("AUTH", "secret"));
                assertEquals("+PONG\r\n", p.call("PING"));
            }
        }
    }

    @Test
    void unixSocketClientsAreLocalForProtectedMode() {
        Path socket = dir.resolve("cairn.sock");
        try (TestServer s = TestServer.start("--bind", "", "--unixsocket", socket.toString())) {
            assertEquals("PONG\n", RedisCli.run(0, "", "-s", socket.toString(), "PING"));
        }
    }

    @Test
    void requirepassAuthAndNoauthAsRedis() throws Exception {
        String session = "PING\r\nGET k\r\nAUTH wrong\r\nAUTH default wrong\r\nAUTH a b c\r\nHELLO 3\r\nAUTH secret\r\n"
                + "PING\r\nAUTH default secret\r\nSET k v\r\nGET k\r\nQUIT\r\n";
        try (TestServer cairn = TestServer.start("--requirepass", "secret");
                RealRedis redis = RealRedis.start("--requirepass", "secret");
                RawConnection c = new RawConnection(cairn.port()); RawConnection r = new RawConnection(redis.port())) {
            String expected = r.send(session).readUntilClosed();
            assertEquals(expected, c.send(session).readUntilClosed());
            assertTrue(expected.startsWith("-NOAUTH Authentication required.\r\n-NOAUTH Authentication required.\r\n"
                    + "-WRONGPASS invalid username-password pair or user is disabled.\r\n"), expected);
        }
    }

    @Test
    void jedisAndLettuceAuthenticate() {
        try (TestServer s = TestServer.start("--requirepass", "secret")) {
            try (Jedis jedis = new Jedis("127.0.0.1", s.port())) {
                JedisDataException noauth = assertThrows(JedisDataException.class, jedis::ping);
                assertEquals("NOAUTH Authentication required.", noauth.getMessage());
                JedisDataException wrong = assertThrows(JedisDataException.class, () -> jedis.auth("nope"));
                assertEquals("WRONGPASS invalid username-password pair or user is disabled.", wrong.getMessage());
                assertEquals("OK", jedis.auth("secret"));
                assertEquals("PONG", jedis.ping());
            }
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(s.port())
                    .withPassword("secret".toCharArray()).build());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                assertEquals("OK", conn.sync().set("k", "v"));
                assertEquals("v", conn.sync().get("k"));
            } finally {
                client.shutdown();
            }
            // Without the password Lettuce's connection handshake is refused. (How Lettuce words
            // the failure varies with its internal timing; the NOAUTH text is checked above.)
            RedisClient anonymous = RedisClient.create(RedisURI.create("127.0.0.1", s.port()));
            anonymous.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
            try {
                assertThrows(RedisConnectionException.class, anonymous::connect);
            } finally {
                anonymous.shutdown();
            }
        }
    }

    @Test
    void removingThePasswordLetsUnauthenticatedClientsInUntilOneIsSetAgain() throws Exception {
        try (TestServer cairn = TestServer.start("--requirepass", "pw");
                RealRedis redis = RealRedis.start("--requirepass", "pw")) {
            List<String> results = new ArrayList<>();
            for (int port : new int[] {redis.port(), cairn.port()}) {
                try (RawConnection anonymous = new RawConnection(port); RawConnection admin = new RawConnection(port)) {
                    StringBuilder sb = new StringBuilder(anonymous.call("PING"));
                    sb.append(admin.call("AUTH", "pw")).append(admin.call("CONFIG", "SET", "requirepass", ""));
                    sb.append(anonymous.call("PING"));
                    sb.append(admin.call("CONFIG", "SET", "requirepass", "pw2"));
                    sb.append(anonymous.call("PING")).append(admin.call("PING"));
                    results.add(sb.toString());
                }
            }
            assertEquals(results.get(0), results.get(1));
            assertEquals("-NOAUTH Authentication required.\r\n+OK\r\n+OK\r\n+PONG\r\n+OK\r\n"
                    + "-NOAUTH Authentication required.\r\n+PONG\r\n", results.get(1));
        }
    }

    @Test
    void beforeAuthRequestsAreLimitedAsRedis() throws Exception {
        // Each input, and whether the server closes the connection after its reply.
        Map<String, Boolean> inputs = new LinkedHashMap<>();
        inputs.put("*11\r\n", true);
        inputs.put(RawConnection.request("PING", "1", "2", "3", "4", "5", "6", "7", "8", "9"), false);
        inputs.put("*2\r\n$4\r\nECHO\r\n$16385\r\n", true);
        inputs.put(RawConnection.request("ECHO", "x".repeat(16384)), false);
        inputs.put("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n", true);
        inputs.put("PING " + "a".repeat(20000) + "\r\n", false);
        try (TestServer cairn = TestServer.start("--requirepass", "pw");
                RealRedis redis = RealRedis.start("--requirepass", "pw")) {
            for (var input : inputs.entrySet()) {
                String[] replies = new String[2];
                int[] ports = {redis.port(), cairn.port()};
                for (int i = 0; i < 2; i++) {
                    try (RawConnection p = new RawConnection(ports[i])) {
                        p.send(input.getKey());
                        replies[i] = input.getValue() ? p.readUntilClosed() : p.readReply();
                    }
                }
                assertEquals(replies[0], replies[1], input.getKey().substring(0, Math.min(40, input.getKey().length())));
                assertEquals(input.getValue(), replies[1].startsWith("-ERR Protocol error: unauthenticated "));
            }
            // Once authenticated, the same requests are not limited.
            try (RawConnection c = new RawConnection(cairn.port())) {
                assertEquals("+OK\r\n", c.call("AUTH", "pw"));
                assertEquals("$16385\r\n" + "y".repeat(16385) + "\r\n", c.call("ECHO", "y".repeat(16385)));
                assertEquals("-ERR wrong number of arguments for 'ping' command\r\n",
                        c.call("PING", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10"));
            }
        }
    }
}
