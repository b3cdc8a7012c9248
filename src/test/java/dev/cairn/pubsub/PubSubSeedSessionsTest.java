package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.RedisCli;
import dev.cairn.testing.ServerFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The pub/sub sessions of the seed documents with the real redis-cli: subscribers are
 * redis-cli processes left running in subscribe mode (a terminal window each), the
 * publisher another redis-cli; each prints exactly what the seed shows.
 */
class PubSubSeedSessionsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    private static String confirmation(String kind, String name) {
        return "Reading messages... (press Ctrl-C to quit)\n1) \"" + kind + "\"\n2) \"" + name + "\"\n3) (integer) 1\n";
    }

    private static void awaitSubscribers(int port, String channel, long count) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Eventually.until(channel + " has " + count + " subscribers",
                    () -> j.pubsubNumSub(channel).get(channel) == count);
        }
    }

    private static void awaitPatterns(int port, long count) {
        try (Jedis j = new Jedis("127.0.0.1", port)) {
            Eventually.until(count + " patterns", () -> j.pubsubNumPat() == count);
        }
    }

    /** shared/seeds/000: a message published before anyone subscribes is lost; then SUBSCRIBE ooxx. */
    @Test
    void seed000SubscribeAfterPublish() throws Exception {
        seed000(cairn.port());
    }

    private static void seed000(int port) throws Exception {
        assertEquals("(integer) 0\n", RedisCli.run(port, "PUBLISH ooxx hello\n", "--no-raw"));
        try (SubscribedCli window2 = new SubscribedCli(port, "SUBSCRIBE", "ooxx")) {
            String expected = confirmation("subscribe", "ooxx");
            window2.awaitOutput(expected);
            awaitSubscribers(port, "ooxx", 1);
            assertEquals(expected, window2.stop());
        }
        awaitSubscribers(port, "ooxx", 0);
    }

    /**
     * shared/seeds/001: two windows subscribed to diantai and two to the pattern wang*;
     * the publisher's count and what each window prints.
     */
    @Test
    void seed001TwoSubscribersAndTwoPatternSubscribers() throws Exception {
        seed001(cairn.port());
    }

    private static void seed001(int port) throws Exception {
        List<SubscribedCli> windows = new ArrayList<>();
        try {
            windows.add(new SubscribedCli(port, "SUBSCRIBE", "diantai"));
            windows.add(new SubscribedCli(port, "SUBSCRIBE", "diantai"));
            awaitSubscribers(port, "diantai", 2);
            assertEquals("(integer) 2\n", RedisCli.run(port, "PUBLISH diantai 'jinyewugenglaiwojia'\n", "--no-raw"));
            String diantai = confirmation("subscribe", "diantai")
                    + "1) \"message\"\n2) \"diantai\"\n3) \"jinyewugenglaiwojia\"\n";
            for (SubscribedCli w : windows) assertEquals(diantai, w.awaitOutput(diantai).stop());

            windows.clear();
            windows.add(new SubscribedCli(port, "PSUBSCRIBE", "wang*"));
            windows.add(new SubscribedCli(port, "PSUBSCRIBE", "wang*"));
            awaitPatterns(port, 1);
            try (Jedis j = new Jedis("127.0.0.1", port)) {
                Eventually.until("two pattern subscribers", () -> j.clientList().split("psub=1").length == 3);
            }
            assertEquals("(integer) 2\n",
                    RedisCli.run(port, "PUBLISH wangbaoqiang \"jintian zhennanshou \"\n", "--no-raw"));
            String wang = confirmation("psubscribe", "wang*")
                    + "1) \"pmessage\"\n2) \"wang*\"\n3) \"wangbaoqiang\"\n4) \"jintian zhennanshou \"\n";
            for (SubscribedCli w : windows) assertEquals(wang, w.awaitOutput(wang).stop());
        } finally {
            for (SubscribedCli w : windows) w.close();
        }
    }

    /**
     * shared/seeds/002 (publish/subscribe section): client 1 publishes abc to nobody, client 2
     * subscribes to cx, client 1's bbbbbb reaches it. (The seed's "(integer) 2" counted a
     * second subscriber it did not show; here client 2 is the only one.)
     */
    @Test
    void seed002SubscriberSeesOnlyLaterMessages() throws Exception {
        seed002(cairn.port());
    }

    private static void seed002(int port) throws Exception {
        assertEquals("(integer) 0\n", RedisCli.run(port, "PUBLISH cx abc\n", "--no-raw"));
        try (SubscribedCli client2 = new SubscribedCli(port, "SUBSCRIBE", "cx")) {
            awaitSubscribers(port, "cx", 1);
            assertEquals("(integer) 1\n", RedisCli.run(port, "PUBLISH cx bbbbbb\n", "--no-raw"));
            String expected = confirmation("subscribe", "cx") + "1) \"message\"\n2) \"cx\"\n3) \"bbbbbb\"\n";
            assertEquals(expected, client2.awaitOutput(expected).stop());
        }
    }

    /**
     * redis-cli's {@code help @pubsub} (seeds 000 and 002) lists the same commands with the
     * same syntax and versions as against redis-server; only the summaries are our own words.
     */
    @Test
    void helpAtPubsubListsTheSameCommandsAsRedis() {
        try (RealRedis real = RealRedis.start()) {
            assertEquals(withoutSummaries(RedisCli.run(real.port(), "help @pubsub\n")),
                    withoutSummaries(RedisCli.run(cairn.port(), "help @pubsub\n")));
        }
    }

    private static String withoutSummaries(String help) {
        return help.lines().filter(line -> !line.contains("summary:")).collect(Collectors.joining("\n"));
    }

    /** The same sessions print the same against the real redis-server. */
    @Test
    void theSameSessionsGiveTheSameOutputOnRealRedis() throws Exception {
        try (RealRedis real = RealRedis.start()) {
            seed000(real.port());
            seed001(real.port());
            seed002(real.port());
        }
    }
}
