package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.ServerFixture;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.sync.RedisPubSubCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pub/Sub through Lettuce's StatefulRedisPubSubConnection and RedisPubSubListener, over
 * RESP3 (Lettuce's default: push frames, and any command allowed while subscribed) and
 * over RESP2.
 */
class PubSubLettuceTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private final List<RedisClient> clients = new ArrayList<>();

    @AfterEach
    void shutdown() {
        for (RedisClient c : clients) c.shutdown();
        cairn.lettuce().configSet("notify-keyspace-events", "");
    }

    /** Records every callback as one line ("message ch hello"). */
    static final class Recorder implements RedisPubSubListener<String, String> {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void message(String channel, String message) {
            events.add("message " + channel + " " + message);
        }

        @Override
        public void message(String pattern, String channel, String message) {
            events.add("pmessage " + pattern + " " + channel + " " + message);
        }

        @Override
        public void subscribed(String channel, long count) {
            events.add("subscribed " + channel + " " + count);
        }

        @Override
        public void psubscribed(String pattern, long count) {
            events.add("psubscribed " + pattern + " " + count);
        }

        @Override
        public void unsubscribed(String channel, long count) {
            events.add("unsubscribed " + channel + " " + count);
        }

        @Override
        public void punsubscribed(String pattern, long count) {
            events.add("punsubscribed " + pattern + " " + count);
        }

        @Override
        public void ssubscribed(String channel, long count) {
            events.add("ssubscribed " + channel + " " + count);
        }

        @Override
        public void sunsubscribed(String channel, long count) {
            events.add("sunsubscribed " + channel + " " + count);
        }

        @Override
        public void smessage(String channel, String message) {
            events.add("smessage " + channel + " " + message);
        }

        String next() throws InterruptedException {
            String e = events.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "no event within 30 s");
            return e;
        }

        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(next());
            return out;
        }
    }

    private record Subscriber(RedisPubSubCommands<String, String> commands, Recorder events) {}

    private Subscriber subscriber(ProtocolVersion protocol) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + cairn.port());
        client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
        clients.add(client);
        StatefulRedisPubSubConnection<String, String> connection = client.connectPubSub();
        Recorder recorder = new Recorder();
        connection.addListener(recorder);
        return new Subscriber(connection.sync(), recorder);
    }

    @Test
    void resp3SubscribersGetPushesAndMayRunAnyCommand() throws Exception {
        Subscriber s = subscriber(ProtocolVersion.RESP3);
        RedisCommands<String, String> publisher = cairn.lettuce();
        s.commands().subscribe("ch", "other");
        assertEquals(List.of("subscribed ch 1", "subscribed other 2"), s.events().next(2));
        s.commands().psubscribe("c*");
        assertEquals("psubscribed c* 3", s.events().next());
        assertEquals(2L, publisher.publish("ch", "hello"));
        assertEquals(List.of("message ch hello", "pmessage c* ch hello"), s.events().next(2));
        // RESP3 separates pushes from replies: the subscribed connection works normally.
        assertEquals("OK", s.commands().set("k", "v"));
        assertEquals("v", s.commands().get("k"));
        assertEquals("PONG", s.commands().ping());
        assertEquals(2L, s.commands().publish("ch", "self"));
        assertEquals(List.of("message ch self", "pmessage c* ch self"), s.events().next(2));
        s.commands().unsubscribe("ch");
        assertEquals("unsubscribed ch 2", s.events().next());
        s.commands().punsubscribe();
        assertEquals("punsubscribed c* 1", s.events().next());
        assertEquals(0L, publisher.publish("ch", "gone"));
        assertEquals(1L, publisher.publish("other", "still"));
        assertEquals("message other still", s.events().next());
    }

    @Test
    void resp2SubscribersAreLimitedToSubscriptionCommands() throws Exception {
        Subscriber s = subscriber(ProtocolVersion.RESP2);
        s.commands().subscribe("ch");
        assertEquals("subscribed ch 1", s.events().next());
        // Lettuce refuses GET itself here; PING goes through and gets the subscribed form,
        // ["pong", ""], of which Lettuce returns the payload.
        assertEquals("", s.commands().ping());
        assertEquals(1L, cairn.lettuce().publish("ch", "m"));
        assertEquals("message ch m", s.events().next());
        s.commands().unsubscribe();
        assertEquals("unsubscribed ch 0", s.events().next());
        assertEquals("OK", s.commands().set("k", "v"));
    }

    @Test
    void shardChannels() throws Exception {
        Subscriber s = subscriber(ProtocolVersion.RESP3);
        RedisCommands<String, String> publisher = cairn.lettuce();
        s.commands().ssubscribe("s1", "s2");
        assertEquals(List.of("ssubscribed s1 1", "ssubscribed s2 2"), s.events().next(2));
        assertEquals(1L, publisher.spublish("s1", "hello"));
        assertEquals("smessage s1 hello", s.events().next());
        assertEquals(0L, publisher.publish("s1", "not shard"));
        assertEquals(List.of("s1", "s2"), publisher.pubsubShardChannels().stream().sorted().toList());
        assertEquals(List.of("s1"), publisher.pubsubShardChannels("*1"));
        assertEquals(Map.of("s1", 1L, "x", 0L), publisher.pubsubShardNumsub("s1", "x"));
        s.commands().sunsubscribe("s1", "s2");
        assertEquals(List.of("sunsubscribed s1 1", "sunsubscribed s2 0"), s.events().next(2));
        assertEquals(0L, publisher.spublish("s1", "gone"));
    }

    @Test
    void introspection() throws Exception {
        Subscriber a = subscriber(ProtocolVersion.RESP3);
        Subscriber b = subscriber(ProtocolVersion.RESP2);
        a.commands().subscribe("x", "y");
        b.commands().subscribe("x");
        b.commands().psubscribe("x*", "y*");
        a.events().next(2);
        b.events().next(3);
        RedisCommands<String, String> c = cairn.lettuce();
        assertEquals(List.of("x", "y"), c.pubsubChannels().stream().sorted().toList());
        assertEquals(List.of("y"), c.pubsubChannels("y"));
        assertEquals(Map.of("x", 2L, "y", 1L, "z", 0L), c.pubsubNumsub("x", "y", "z"));
        assertEquals(2L, c.pubsubNumpat());
        assertEquals(3L, c.publish("x", "m"));
    }

    @Test
    void keyspaceNotificationsReachPatternSubscribers() throws Exception {
        RedisCommands<String, String> c = cairn.lettuce();
        assertEquals("OK", c.configSet("notify-keyspace-events", "KEA"));
        assertEquals(Map.of("notify-keyspace-events", "AKE"), c.configGet("notify-keyspace-events"));
        Subscriber s = subscriber(ProtocolVersion.RESP3);
        s.commands().psubscribe("__key*__:*");
        s.events().next();
        c.set("k", "v");
        c.expire("k", 100);
        c.del("k");
        assertEquals(List.of(
                "pmessage __key*__:* __keyspace@0__:k set", "pmessage __key*__:* __keyevent@0__:set k",
                "pmessage __key*__:* __keyspace@0__:k expire", "pmessage __key*__:* __keyevent@0__:expire k",
                "pmessage __key*__:* __keyspace@0__:k del", "pmessage __key*__:* __keyevent@0__:del k"),
                s.events().next(6));
    }

    @Test
    void closingTheConnectionDropsItsSubscriptions() throws Exception {
        Subscriber s = subscriber(ProtocolVersion.RESP3);
        s.commands().subscribe("a");
        s.commands().ssubscribe("b");
        s.events().next(2);
        clients.removeFirst().shutdown();
        RedisCommands<String, String> c = cairn.lettuce();
        Eventually.until("subscriptions dropped",
                () -> c.pubsubChannels().isEmpty() && c.pubsubShardChannels().isEmpty());
    }
}
