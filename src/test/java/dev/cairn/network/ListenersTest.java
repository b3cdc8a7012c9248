package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.Client;
import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.RedisCli;
import dev.cairn.testing.TestServer;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** port, bind, unixsocket(perm), tcp-backlog and tcp-keepalive, compared with redis-server where it shows. */
class ListenersTest {
    /** A TEST-NET-3 address, which no interface of a test machine carries. */
    static final String MISSING_ADDRESS = "203.0.113.77";

    @TempDir
    Path dir;

    static void assertNotLocal(String address) throws IOException {
        Assumptions.assumeTrue(NetworkInterface.getByInetAddress(InetAddress.getByName(address)) == null,
                address + " is an address of this machine");
    }

    @Test
    void listensOnEveryBindAddressIncludingIpv6Loopback() throws IOException {
        try (TestServer s = TestServer.start("--bind", "127.0.0.1", "::1");
                RawConnection v4 = new RawConnection(s.port());
                RawConnection v6 = RawConnection.connect("::1", s.port())) {
            assertEquals("+PONG\r\n", v4.call("PING"));
            assertEquals("+PONG\r\n", v6.call("PING"));
            // As CLIENT LIST shows them: addr=127.0.0.1:port, addr=[::1]:port.
            assertEquals("127.0.0.1:" + s.port(), s.onCommandThread(() -> s.server().clients().byId(1).laddr()));
            assertEquals("[::1]:" + s.port(), s.onCommandThread(() -> s.server().clients().byId(2).laddr()));
            String other = NonLoopback.ipv4();
            if (other != null) assertThrows(ConnectException.class, () -> RawConnection.connect(other, s.port()));
        }
    }

    @Test
    void wildcardsBindEachFamily() throws IOException {
        try (TestServer s = TestServer.start("--bind", "*", "-::*");
                RawConnection v4 = new RawConnection(s.port());
                RawConnection v6 = RawConnection.connect("::1", s.port())) {
            assertEquals("+PONG\r\n", v4.call("PING"));
            assertEquals("+PONG\r\n", v6.call("PING"));
        }
    }

    @Test
    void anOptionalMissingAddressIsSkippedWithRedisWarning() throws IOException {
        assertNotLocal(MISSING_ADDRESS);
        Path log = dir.resolve("cairn.log");
        try (TestServer s = TestServer.start("--bind", "127.0.0.1", "-" + MISSING_ADDRESS, "--logfile", log.toString(),
                "--loglevel", "notice"); RawConnection p = new RawConnection(s.port())) {
            assertEquals("+PONG\r\n", p.call("PING"));
            assertTrue(Eventually.text(log).contains(" # Warning: Could not create server TCP listening socket "
                    + MISSING_ADDRESS + ":" + s.port() + ": bind: Cannot assign requested address\n"), Eventually.text(log));
        }
    }

    @Test
    void configSetPortAndBindFailLikeRedisAndKeepListening() throws IOException {
        assertNotLocal(MISSING_ADDRESS);
        Path log = dir.resolve("cairn.log");
        try (TestServer cairn = TestServer.start("--logfile", log.toString()); RealRedis redis = RealRedis.start();
                RawConnection c = new RawConnection(cairn.port()); RawConnection r = new RawConnection(redis.port())) {
            // Each moves to the port the other listens on: in use.
            assertEquals(r.call("CONFIG", "SET", "port", Integer.toString(cairn.port())),
                    c.call("CONFIG", "SET", "port", Integer.toString(redis.port())));
            String badBind = "127.0.0.1 " + MISSING_ADDRESS;
            String cairnReply = c.call("CONFIG", "SET", "bind", badBind);
            assertEquals("-ERR CONFIG SET failed (possibly related to argument 'bind') - Failed to bind to specified "
                    + "addresses.\r\n", cairnReply);
            assertEquals(r.call("CONFIG", "SET", "bind", badBind), cairnReply);
            assertEquals(r.call("CONFIG", "GET", "bind"), c.call("CONFIG", "GET", "bind"));
            // Still listening where it was.
            try (RawConnection again = new RawConnection(cairn.port())) {
                assertEquals("+PONG\r\n", again.call("PING"));
            }
            String optional = "127.0.0.1 -" + MISSING_ADDRESS;
            assertEquals(r.call("CONFIG", "SET", "bind", optional), c.call("CONFIG", "SET", "bind", optional));
            assertEquals(r.call("CONFIG", "GET", "bind"), c.call("CONFIG", "GET", "bind"));
            String text = Eventually.text(log);
            assertTrue(text.contains(" # Warning: Could not create server TCP listening socket 127.0.0.1:" + redis.port()
                    + ": bind: Address already in use\n"), text);
            assertTrue(text.contains(" # Failed applying new configuration. Possibly related to new port setting. "
                    + "Restoring previous settings.\n"), text);
            assertTrue(text.contains(" # Failed to bind\n"), text);
        }
    }

    @Test
    void configSetPortMovesTheListenerAndKeepsConnections() throws IOException {
        try (TestServer s = TestServer.start(); RawConnection p = new RawConnection(s.port())) {
            int oldPort = s.port();
            int newPort = TestServer.freePort();
            assertEquals("+OK\r\n", p.call("CONFIG", "SET", "port", Integer.toString(newPort)));
            assertEquals("+PONG\r\n", p.call("PING"));
            try (RawConnection moved = new RawConnection(newPort)) {
                assertEquals("*2\r\n$4\r\nport\r\n$" + Integer.toString(newPort).length() + "\r\n" + newPort + "\r\n",
                        moved.call("CONFIG", "GET", "port"));
            }
            assertThrows(ConnectException.class, () -> new RawConnection(oldPort));
            assertEquals("+OK\r\n", p.call("CONFIG", "SET", "bind", "127.0.0.1 ::1"));
            try (RawConnection v6 = RawConnection.connect("::1", newPort)) {
                assertEquals("+PONG\r\n", v6.call("PING"));
            }
        }
    }

    @Test
    void unixSocketWithPermissionsServesRedisCliAndIsRemovedOnShutdown() throws IOException {
        Path socket = dir.resolve("cairn.sock");
        TestServer s = TestServer.start("--unixsocket", socket.toString(), "--unixsocketperm", "700");
        try {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
            assertEquals("OK\nvalue\nPONG\n",
                    RedisCli.run(0, "SET k value\nGET k\nPING\n", "-s", socket.toString()));
            assertEquals("value\n", RedisCli.run(s.port(), "", "GET", "k"));
        } finally {
            s.close();
        }
        Eventually.until("the unix socket file is removed", () -> !Files.exists(socket));
    }

    @Test
    void unixSocketPermissionsMatchRedis() throws IOException {
        Path cairnSocket = dir.resolve("cairn.sock");
        Path redisSocket = dir.resolve("redis.sock");
        try (TestServer s = TestServer.start("--unixsocket", cairnSocket.toString(), "--unixsocketperm", "755");
                RealRedis r = RealRedis.start("--unixsocket", redisSocket.toString(), "--unixsocketperm", "755")) {
            assertEquals(PosixFilePermissions.toString(Files.getPosixFilePermissions(redisSocket)),
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(cairnSocket)));
        }
    }

    @Test
    void tcpKeepaliveSetsRedisProbeTimesOnNewConnections() throws IOException {
        try (TestServer s = TestServer.start(); RawConnection p = new RawConnection(s.port())) {
            p.call("PING");
            assertEquals(List.of(true, 300, 100, 3), keepalive(s));
            assertEquals("+OK\r\n", p.call("CONFIG", "SET", "tcp-keepalive", "0"));
            try (RawConnection q = new RawConnection(s.port())) {
                q.call("PING");
                assertEquals(false, keepaliveOf(s, 2).getFirst());
            }
            assertEquals("+OK\r\n", p.call("CONFIG", "SET", "tcp-keepalive", "2"));
            try (RawConnection q = new RawConnection(s.port())) {
                q.call("PING");
                assertEquals(List.of(true, 2, 1, 3), keepaliveOf(s, 3));
            }
        }
    }

    private static List<Object> keepalive(TestServer s) {
        return keepaliveOf(s, 1);
    }

    /** SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT of the client with this id. */
    private static List<Object> keepaliveOf(TestServer s, long id) {
        return s.onCommandThread(() -> {
            Client c = s.server().clients().byId(id);
            var config = c.channel().config();
            if (!config.getOption(ChannelOption.SO_KEEPALIVE)) return List.of(false);
            return List.of(true, config.getOption(EpollChannelOption.TCP_KEEPIDLE),
                    config.getOption(EpollChannelOption.TCP_KEEPINTVL), config.getOption(EpollChannelOption.TCP_KEEPCNT));
        });
    }

    @Test
    void tcpBacklogIsTheListenQueueLength() throws Exception {
        try (TestServer s = TestServer.start("--tcp-backlog", "77")) {
            Process ss = new ProcessBuilder("ss", "-Hltn", "sport = :" + s.port()).redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes());
            assertTrue(ss.waitFor(30, TimeUnit.SECONDS));
            // For a listening socket ss shows the backlog as Send-Q: "LISTEN 0 77 127.0.0.1:port ...".
            assertTrue(out.matches("(?s)LISTEN\\s+0\\s+77\\s+127\\.0\\.0\\.1:" + s.port() + "\\s.*"), out);
            assertFalse(out.isBlank());
        }
    }
}
