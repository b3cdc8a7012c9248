package dev.cairn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.TestServer;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

class SmokeTest {
    @Test
    void setThenGetThroughJedis() {
        try (TestServer server = TestServer.start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("OK", jedis.set("k", "v"));
            assertEquals("v", jedis.get("k"));
            assertEquals("PONG", jedis.ping());
        }
    }
}
