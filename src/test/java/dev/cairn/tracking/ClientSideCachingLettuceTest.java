package dev.cairn.tracking;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TrackingArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.support.caching.CacheAccessor;
import io.lettuce.core.support.caching.CacheFrontend;
import io.lettuce.core.support.caching.ClientSideCaching;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Lettuce's client-side caching (ClientSideCaching over RESP3) against Cairn: the
 * frontend caches what it reads, serves it from the local map, and drops it when Cairn's
 * invalidation push arrives after another client changed the key.
 */
class ClientSideCachingLettuceTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    @Test
    void cacheFrontendSeesChangesMadeByOtherClients() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> tracked = client.connect();
                StatefulRedisConnection<String, String> writer = client.connect()) {
            writer.sync().set("greeting", "hello");
            Map<String, String> cache = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend =
                    ClientSideCaching.enable(CacheAccessor.forMap(cache), tracked, TrackingArgs.Builder.enabled());
            try {
                assertEquals("hello", frontend.get("greeting"));
                assertEquals("hello", cache.get("greeting"));
                // Served from the local copy: a second read does not go to the server.
                assertEquals("hello", frontend.get("greeting"));

                writer.sync().set("greeting", "bonjour");
                Eventually.until("the cached value is invalidated", () -> !cache.containsKey("greeting"));
                assertEquals("bonjour", frontend.get("greeting"));
                assertEquals("bonjour", cache.get("greeting"));

                writer.sync().del("greeting");
                Eventually.until("the deleted key is invalidated", () -> !cache.containsKey("greeting"));
                assertEquals(null, frontend.get("greeting"));

                assertTrue(writer.sync().info("clients").contains("tracking_clients:1\r\n"));
            } finally {
                frontend.close();
            }
        } finally {
            client.shutdown();
        }
    }

    @Test
    void broadcastingFrontendHearsOfKeysUnderItsPrefix() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        try (StatefulRedisConnection<String, String> tracked = client.connect();
                StatefulRedisConnection<String, String> writer = client.connect()) {
            // Written before tracking starts: its own invalidation would race with the read below.
            writer.sync().set("user:1", "ann");
            Map<String, String> cache = new ConcurrentHashMap<>();
            CacheFrontend<String, String> frontend = ClientSideCaching.enable(CacheAccessor.forMap(cache), tracked,
                    TrackingArgs.Builder.enabled().bcast().prefixes("user:"));
            List<String> invalidated = new CopyOnWriteArrayList<>();
            ((ClientSideCaching<String, String>) frontend).addInvalidationListener(invalidated::add);
            try {
                assertEquals("ann", frontend.get("user:1"));
                writer.sync().set("other", "x");
                writer.sync().set("user:1", "bob");
                Eventually.until("user:1 is invalidated",
                        () -> invalidated.contains("user:1") && !cache.containsKey("user:1"));
                assertFalse(invalidated.contains("other"));
                assertEquals("bob", frontend.get("user:1"));
            } finally {
                frontend.close();
            }
        } finally {
            client.shutdown();
        }
    }
}
