package dev.cairn.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.ServerFixture;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.redisson.Redisson;
import org.redisson.api.PendingResult;
import org.redisson.api.RStream;
import org.redisson.api.RedissonClient;
import org.redisson.api.StreamGroup;
import org.redisson.api.StreamMessageId;
import org.redisson.api.stream.StreamAddArgs;
import org.redisson.api.stream.StreamCreateGroupArgs;
import org.redisson.api.stream.StreamReadGroupArgs;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson's RStream against Cairn: a consumer-group round trip as an application does
 * it (a producer adds, a consumer blocked in XREADGROUP is served, acknowledges, another
 * consumer claims what was left pending) through a real client.
 */
class RedissonStreamTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private static RedissonClient redisson;

    @BeforeAll
    static void connect() {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + cairn.port()).setConnectionMinimumIdleSize(2);
        redisson = Redisson.create(config);
    }

    @AfterAll
    static void disconnect() {
        if (redisson != null) redisson.shutdown();
    }

    @Test
    void consumerGroupRoundTrip() throws Exception {
        RStream<String, String> stream = redisson.getStream("orders", StringCodec.INSTANCE);
        stream.createGroup(StreamCreateGroupArgs.name("workers").makeStream());

        // A worker waits for work; the producer's XADD serves it.
        CompletableFuture<Map<StreamMessageId, Map<String, String>>> waiting = stream
                .readGroupAsync("workers", "w1", StreamReadGroupArgs.neverDelivered().count(10).timeout(Duration.ofSeconds(10)))
                .toCompletableFuture();
        Eventually.until("the worker is blocked", () -> cairn.jedis().info("clients").contains("blocked_clients:1"));
        StreamMessageId first = stream.add(StreamAddArgs.entries("item", "book", "qty", "2"));
        Map<StreamMessageId, Map<String, String>> got = waiting.get(10, TimeUnit.SECONDS);
        assertEquals(Map.of(first, Map.of("item", "book", "qty", "2")), got);

        StreamMessageId second = stream.add(StreamAddArgs.entries("item", "pen", "qty", "1"));
        assertEquals(List.of(second), List.copyOf(
                stream.readGroup("workers", "w2", StreamReadGroupArgs.neverDelivered()).keySet()));
        assertEquals(1, stream.ack("workers", first));

        PendingResult pending = stream.getPendingInfo("workers");
        assertEquals(1, pending.getTotal());
        assertEquals(Map.of("w2", 1L), pending.getConsumerNames());
        // w2 went away: w3 claims its entry.
        Map<StreamMessageId, Map<String, String>> claimed = stream.claim("workers", "w3", 0, TimeUnit.MILLISECONDS, second);
        assertEquals(Map.of(second, Map.of("item", "pen", "qty", "1")), claimed);
        assertEquals(1, stream.ack("workers", second));

        StreamGroup group = stream.listGroups().getFirst();
        assertEquals("workers", group.getName());
        assertEquals(3, group.getConsumers());
        assertEquals(0, group.getPending());
        assertEquals(second, group.getLastDeliveredId());
        assertEquals(2, stream.size());
    }
}
