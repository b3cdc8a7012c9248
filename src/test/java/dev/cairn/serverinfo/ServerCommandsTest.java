package dev.cairn.serverinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;

/** TIME, LASTSAVE and SHUTDOWN. */
class ServerCommandsTest {
    @Test
    void timeAndLastsaveWithJedis() {
        try (TestServer server = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            long before = System.currentTimeMillis() / 1000;
            List<String> time = jedis.time();
            long after = System.currentTimeMillis() / 1000;
            assertEquals(2, time.size());
            long seconds = Long.parseLong(time.get(0));
            assertTrue(seconds >= before && seconds <= after, time.toString());
            long micros = Long.parseLong(time.get(1));
            assertTrue(micros >= 0 && micros < 1_000_000);
            // Micro-seconds are printed as a plain number, without zero padding.
            assertEquals(Long.toString(micros), time.get(1));
            // Nothing was ever saved: the last save is the start of the server.
            assertEquals(server.server().startMillis() / 1000, jedis.lastsave());
        }
    }

    @Test
    void timeAndLastsaveWithLettuce() {
        try (TestServer server = TestServer.start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> conn = client.connect()) {
                RedisCommands<String, String> sync = conn.sync();
                List<String> time = sync.time();
                assertEquals(2, time.size());
                assertTrue(Math.abs(Long.parseLong(time.get(0)) - System.currentTimeMillis() / 1000) <= 1);
                assertEquals(server.server().startMillis() / 1000 * 1000, sync.lastsave().getTime());
            } finally {
                client.shutdown();
            }
        }
    }

    @Test
    void shutdownOptionsAreValidated() throws IOException {
        try (TestServer server = TestServer.start(); RawConnection c = new RawConnection(server.port())) {
            assertEquals("-ERR No shutdown in progress.\r\n", c.call("SHUTDOWN", "ABORT"));
            assertEquals("-ERR syntax error\r\n", c.call("SHUTDOWN", "ABORT", "NOW"));
            assertEquals("-ERR syntax error\r\n", c.call("SHUTDOWN", "SAVE", "NOSAVE"));
            assertEquals("-ERR syntax error\r\n", c.call("SHUTDOWN", "LATER"));
            try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
                JedisDataException e = assertThrows(JedisDataException.class, jedis::shutdownAbort);
                assertEquals("ERR No shutdown in progress.", e.getMessage());
            }
        }
    }

    @Test
    void shutdownClosesTheServerWithoutReplying() throws IOException {
        TestServer server = TestServer.start();
        try (RawConnection c = new RawConnection(server.port())) {
            c.command("SHUTDOWN", "NOSAVE", "NOW", "FORCE");
            assertEquals("", c.readUntilClosed());
        }
        awaitStopped(server.port());
    }

    @Test
    void shutdownWithJedis() {
        TestServer server = TestServer.start();
        try (Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.shutdown();
        }
        awaitStopped(server.port());
    }

    @Test
    void shutdownWithLettuce() {
        TestServer server = TestServer.start();
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        // The connection ends with the server: no point reconnecting.
        client.setOptions(ClientOptions.builder().autoReconnect(false).build());
        try (StatefulRedisConnection<String, String> conn = client.connect()) {
            conn.sync().shutdown(false);
        } finally {
            client.shutdown();
        }
        awaitStopped(server.port());
    }

    /** Waits until nothing listens on the port any more. */
    private static void awaitStopped(int port) {
        Eventually.until("the server to stop", () -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return false;
            } catch (IOException e) {
                return true;
            }
        });
    }
}
