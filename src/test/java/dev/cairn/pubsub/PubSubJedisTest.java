package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.ServerFixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Connection;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.JedisShardedPubSub;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.args.ClientType;
import redis.clients.jedis.params.ClientKillParams;

/** Pub/Sub through Jedis's JedisPubSub and JedisShardedPubSub, subscribers on their own threads. */
class PubSubJedisTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn().flushingBeforeEachTest();

    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeSubscribers() throws Exception {
        for (AutoCloseable c : opened) c.close();
        try (Jedis j = new Jedis("127.0.0.1", cairn.port())) {
            Eventually.until("subscribers gone", () -> j.pubsubNumPat() == 0 && j.pubsubChannels().isEmpty()
                    && j.pubsubShardChannels().isEmpty());
        }
    }

    /** What a subscriber saw, one line per callback ("message ooxx hello"). */
    static final class Events {
        final BlockingQueue<String> seen = new LinkedBlockingQueue<>();

        void add(String... words) {
            seen.add(String.join(" ", words));
        }

        String next() throws InterruptedException {
            String e = seen.poll(30, TimeUnit.SECONDS);
            assertNotNull(e, "no event within 30 s");
            return e;
        }

        List<String> next(int n) throws InterruptedException {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(next());
            return out;
        }
    }

    static final class Listener extends JedisPubSub {
        final Events events = new Events();

        @Override
        public void onMessage(String channel, String message) {
            events.add("message", channel, message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            events.add("pmessage", pattern, channel, message);
        }

        @Override
        public void onSubscribe(String channel, int count) {
            events.add("subscribe", channel, Integer.toString(count));
        }

        @Override
        public void onUnsubscribe(String channel, int count) {
            events.add("unsubscribe", String.valueOf(channel), Integer.toString(count));
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            events.add("psubscribe", pattern, Integer.toString(count));
        }

        @Override
        public void onPUnsubscribe(String pattern, int count) {
            events.add("punsubscribe", String.valueOf(pattern), Integer.toString(count));
        }

        @Override
        public void onPong(String message) {
            events.add("pong", message);
        }
    }

    static final class ShardListener extends JedisShardedPubSub {
        final Events events = new Events();

        @Override
        public void onSMessage(String channel, String message) {
            events.add("smessage", channel, message);
        }

        @Override
        public void onSSubscribe(String channel, int count) {
            events.add("ssubscribe", channel, Integer.toString(count));
        }

        @Override
        public void onSUnsubscribe(String channel, int count) {
            events.add("sunsubscribe", String.valueOf(channel), Integer.toString(count));
        }
    }

    /** Runs a blocking subscribe on its own connection and thread; closed after the test. */
    private void subscriber(Consumer<Jedis> subscribe) {
        Jedis j = new Jedis("127.0.0.1", cairn.port());
        opened.add(j);
        Thread.ofVirtual().start(() -> {
            try {
                subscribe.accept(j);
            } catch (RuntimeException e) {
                // the connection was closed by the test
            }
        });
    }

    private Listener subscribed(String... channels) throws InterruptedException {
        Listener l = new Listener();
        subscriber(j -> j.subscribe(l, channels));
        for (int i = 0; i < channels.length; i++) assertTrue(l.events.next().startsWith("subscribe "));
        return l;
    }

    private Listener psubscribed(String... patterns) throws InterruptedException {
        Listener l = new Listener();
        subscriber(j -> j.psubscribe(l, patterns));
        for (int i = 0; i < patterns.length; i++) assertTrue(l.events.next().startsWith("psubscribe "));
        return l;
    }

    @Test
    void everySubscriberGetsEveryMessageInOrderAndPublishCountsThem() throws Exception {
        Jedis publisher = cairn.jedis();
        assertEquals(0, publisher.publish("ooxx", "lost"));
        Listener a = subscribed("ooxx");
        Listener b = subscribed("ooxx", "other");
        for (int i = 0; i < 5; i++) assertEquals(2, publisher.publish("ooxx", "m" + i));
        assertEquals(1, publisher.publish("other", "o"));
        for (int i = 0; i < 5; i++) {
            assertEquals("message ooxx m" + i, a.events.next());
            assertEquals("message ooxx m" + i, b.events.next());
        }
        assertEquals("message other o", b.events.next());
        b.unsubscribe("ooxx");
        assertEquals("unsubscribe ooxx 1", b.events.next());
        assertEquals(1, publisher.publish("ooxx", "only a"));
        assertEquals("message ooxx only a", a.events.next());
        b.unsubscribe();
        assertEquals("unsubscribe other 0", b.events.next());
        assertFalse(b.isSubscribed());
    }

    @Test
    void subscribingTwiceConfirmsAgainWithoutASecondSubscription() throws Exception {
        Listener l = subscribed("a");
        l.subscribe("a", "b");
        assertEquals(List.of("subscribe a 1", "subscribe b 2"), l.events.next(2));
        assertEquals(1, cairn.jedis().publish("a", "once"));
        assertEquals("message a once", l.events.next());
    }

    @Test
    void patternSubscribersGetEveryMatchingChannel() throws Exception {
        Jedis publisher = cairn.jedis();
        Listener l = psubscribed("wang*", "w?ng*", "[xy]z");
        assertEquals(2, publisher.publish("wangbaoqiang", "jintian zhennanshou "));
        assertEquals(List.of("pmessage wang* wangbaoqiang jintian zhennanshou ",
                "pmessage w?ng* wangbaoqiang jintian zhennanshou "), l.events.next(2));
        assertEquals(1, publisher.publish("wing", "x"));
        assertEquals("pmessage w?ng* wing x", l.events.next());
        assertEquals(1, publisher.publish("yz", "y"));
        assertEquals("pmessage [xy]z yz y", l.events.next());
        assertEquals(0, publisher.publish("zz", "none"));
        // Channel and pattern subscriptions together count for both the count and the receivers.
        l.subscribe("wang");
        assertEquals("subscribe wang 4", l.events.next());
        assertEquals(3, publisher.publish("wang", "all"));
        assertEquals(List.of("message wang all", "pmessage wang* wang all", "pmessage w?ng* wang all"),
                l.events.next(3));
        l.punsubscribe("w?ng*", "nosuch");
        assertEquals(List.of("punsubscribe w?ng* 3", "punsubscribe nosuch 3"), l.events.next(2));
        assertEquals(2, publisher.publish("wang", "less"));
    }

    @Test
    void pingWhileSubscribedAnswersWithAPongMessage() throws Exception {
        Listener l = subscribed("ch");
        l.ping();
        assertEquals("pong ", l.events.next());
        l.ping("hi");
        assertEquals("pong hi", l.events.next());
    }

    @Test
    void pubsubReportsChannelsSubscribersAndPatterns() throws Exception {
        Jedis j = cairn.jedis();
        assertEquals(List.of(), j.pubsubChannels());
        assertEquals(0, j.pubsubNumPat());
        subscribed("news.it", "news.sport");
        subscribed("news.it");
        psubscribed("news.*", "x*");
        psubscribed("news.*");
        assertEquals(List.of("news.it", "news.sport"), j.pubsubChannels().stream().sorted().toList());
        assertEquals(List.of("news.sport"), j.pubsubChannels("*sp*"));
        assertEquals(Map.of("news.it", 2L, "news.sport", 1L, "news.*", 0L),
                j.pubsubNumSub("news.it", "news.sport", "news.*"));
        assertEquals(2, j.pubsubNumPat());
        String stats = j.info("stats");
        assertTrue(stats.contains("pubsub_channels:2\r\npubsub_patterns:2\r\npubsubshard_channels:0"), stats);
    }

    @Test
    void shardChannelsHaveTheirOwnSubscriptionsAndMessages() throws Exception {
        ShardListener l = new ShardListener();
        Connection connection = new Connection("127.0.0.1", cairn.port());
        opened.add(connection);
        Thread.ofVirtual().start(() -> {
            try {
                l.proceed(connection, "s1", "s2");
            } catch (RuntimeException e) {
                // closed by the test
            }
        });
        assertEquals(List.of("ssubscribe s1 1", "ssubscribe s2 2"), l.events.next(2));
        Listener plain = psubscribed("*");
        Jedis j = cairn.jedis();
        assertEquals(1L, j.sendCommand(Protocol.Command.SPUBLISH, "s1", "hello"));
        assertEquals("smessage s1 hello", l.events.next());
        // PUBLISH to the same name reaches only the pattern subscriber.
        assertEquals(1, j.publish("s1", "plain"));
        assertEquals("pmessage * s1 plain", plain.events.next());
        assertEquals(List.of("s1", "s2"), j.pubsubShardChannels().stream().sorted().toList());
        assertEquals(List.of("s2"), j.pubsubShardChannels("*2"));
        assertEquals(Map.of("s1", 1L, "nosuch", 0L), j.pubsubShardNumSub("s1", "nosuch"));
        assertEquals(List.of(), j.pubsubChannels());
        l.sunsubscribe("s1");
        assertEquals("sunsubscribe s1 1", l.events.next());
        assertEquals(0L, j.sendCommand(Protocol.Command.SPUBLISH, "s1", "gone"));
        l.sunsubscribe();
        assertEquals("sunsubscribe s2 0", l.events.next());
    }

    @Test
    void aClosedConnectionLeavesItsChannelsAndPatterns() throws Exception {
        subscribed("a", "b");
        psubscribed("p*");
        Jedis j = cairn.jedis();
        assertEquals(2, j.pubsubChannels().size());
        for (AutoCloseable c : opened) c.close();
        opened.clear();
        Eventually.until("subscriptions dropped", () -> j.pubsubChannels().isEmpty() && j.pubsubNumPat() == 0);
        assertEquals(0, j.publish("a", "nobody"));
    }

    @Test
    void clientListShowsSubscriptionsAndTypePubsubSelectsSubscribers() throws Exception {
        Listener l = subscribed("a", "b");
        l.psubscribe("p*");
        l.events.next();
        Jedis j = cairn.jedis();
        String list = j.clientList();
        String subscriberLine = Arrays.stream(list.split("\n")).filter(line -> line.contains(" sub=2")).findFirst()
                .orElseThrow(() -> new AssertionError(list));
        assertTrue(subscriberLine.contains(" flags=P db=0 sub=2 psub=1 ssub=0 multi=-1 "), subscriberLine);
        assertTrue(subscriberLine.contains(" cmd=psubscribe "), subscriberLine);
        String mine = j.clientInfo();
        assertTrue(mine.contains(" flags=N db=0 sub=0 psub=0 ssub=0 "), mine);
        String pubsubOnly = j.clientList(ClientType.PUBSUB);
        assertEquals(1, pubsubOnly.split("\n").length, pubsubOnly);
        assertTrue(pubsubOnly.contains(" sub=2 psub=1 "), pubsubOnly);
        assertFalse(j.clientList(ClientType.NORMAL).contains(" flags=P "));
        assertEquals(1, j.clientKill(ClientKillParams.clientKillParams().type(ClientType.PUBSUB)));
        Eventually.until("killed subscriber's channels dropped", () -> j.pubsubChannels().isEmpty());
        assertEquals("", j.clientList(ClientType.PUBSUB));
    }
}
