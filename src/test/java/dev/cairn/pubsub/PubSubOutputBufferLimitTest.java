package dev.cairn.pubsub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.server.ClientInfo;
import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pubsub class of client-output-buffer-limit (default 32mb hard, 8mb soft for 60 s):
 * a subscriber that never reads is disconnected and its pending messages freed, while
 * the publisher and the subscribers that keep up carry on, as in Redis.
 */
class PubSubOutputBufferLimitTest {
    private static final int MESSAGE = 1024 * 1024;
    private static final String BIG = "m".repeat(MESSAGE);

    @TempDir
    Path dir;

    /** A subscriber that reads everything it is sent, counting the messages, on its own thread. */
    private static final class KeepingUp implements AutoCloseable {
        final RawConnection connection;
        final AtomicLong messages = new AtomicLong();
        private final Thread thread;

        KeepingUp(int port) throws IOException {
            connection = new RawConnection(port);
            assertEquals("*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n", connection.call("SUBSCRIBE", "ch"));
            thread = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        connection.readReply();
                        messages.incrementAndGet();
                    }
                } catch (IOException e) {
                    // closed at the end of the test
                }
            });
        }

        @Override
        public void close() throws Exception {
            connection.close();
            thread.join(10_000);
        }
    }

    /**
     * Publishes 64 messages of 1 MB with a subscriber that reads nothing and one that keeps up;
     * returns the sum of the publisher's replies (the receivers counted).
     */
    private static long slowSubscriberScenario(int port) throws Exception {
        try (RawConnection slow = RawConnection.slowReader(port);
                KeepingUp reader = new KeepingUp(port);
                RawConnection publisher = new RawConnection(port)) {
            slow.send(RawConnection.request("SUBSCRIBE", "ch"));
            Eventually.until("two subscribers", () -> numsub(publisher) == 2);
            long receivers = 0;
            for (int i = 0; i < 64; i++) {
                String reply = publisher.call("PUBLISH", "ch", BIG);
                receivers += Long.parseLong(reply.substring(1, reply.length() - 2));
            }
            assertTrue(slow.closedByServer(), "the slow subscriber was not disconnected");
            assertEquals(1, numsub(publisher));
            Eventually.until(() -> "the reader got " + reader.messages.get(), () -> reader.messages.get() == 64);
            assertEquals("+PONG\r\n", publisher.call("PING"));
            return receivers;
        }
    }

    private static long numsub(RawConnection c) {
        try {
            String reply = c.call("PUBSUB", "NUMSUB", "ch");
            return Long.parseLong(reply.substring(reply.lastIndexOf(':') + 1, reply.length() - 2));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aSubscriberThatNeverReadsIsDisconnectedAtTheDefaultHardLimit() throws Exception {
        Path log = dir.resolve("cairn.log");
        try (TestServer cairn = TestServer.start("--logfile", log.toString())) {
            long receivers = slowSubscriberScenario(cairn.port());
            // The slow subscriber received the first messages (32 MB at most, plus socket buffers).
            assertTrue(receivers > 64 && receivers < 128, "receivers " + receivers);
            assertEquals(1L, cairn.onCommandThread(() -> cairn.server().stats().clientOutputBufferLimitDisconnections));
            String text = Eventually.fileContains(log, "for overcoming of output buffer limits.");
            assertTrue(text.contains(" flags=P db=0 sub=1 psub=0 ssub=0 multi=-1 "), text);
            // Its pending messages are gone with it: what the remaining clients hold is small.
            long held = cairn.onCommandThread(() -> cairn.server().clients().all().stream()
                    .mapToLong(ClientInfo::memory).sum());
            assertTrue(held < 4L * MESSAGE, "clients still hold " + held + " bytes");
        }
    }

    @Test
    void redisDisconnectsTheSameSubscriber() throws Exception {
        try (RealRedis redis = RealRedis.start()) {
            long receivers = slowSubscriberScenario(redis.port());
            assertTrue(receivers > 64 && receivers < 128, "receivers " + receivers);
        }
    }

    @Test
    void theSoftLimitSetAtRunTimeClosesASubscriberOverItForLongerThanItsSeconds() throws Exception {
        try (TestServer cairn = TestServer.start(); RawConnection admin = new RawConnection(cairn.port())) {
            assertEquals("+OK\r\n", admin.call("CONFIG", "SET", "client-output-buffer-limit", "pubsub 0 1mb 1"));
            String limits = "normal 0 0 0 slave 268435456 67108864 60 pubsub 0 1048576 1";
            assertEquals("*2\r\n$26\r\nclient-output-buffer-limit\r\n$" + limits.length() + "\r\n" + limits + "\r\n",
                    admin.call("CONFIG", "GET", "client-output-buffer-limit"));
            try (RawConnection slow = RawConnection.slowReader(cairn.port())) {
                slow.send(RawConnection.request("SUBSCRIBE", "ch"));
                Eventually.until("subscribed", () -> numsub(admin) == 1);
                // 16 MB once, far more than socket buffers hold; then nothing: the cron closes it.
                for (int i = 0; i < 16; i++) assertEquals(":1\r\n", admin.call("PUBLISH", "ch", BIG));
                // Waiting without reading: reading would bring it back under the limit.
                Eventually.until("the cron closed the subscriber", () -> cairn.onCommandThread(
                        () -> cairn.server().stats().clientOutputBufferLimitDisconnections) == 1);
                assertTrue(slow.closedByServer());
            }
            assertEquals(0, numsub(admin));
        }
    }

    @Test
    void clientsNotSubscribedKeepTheNormalClass() throws Exception {
        try (TestServer cairn = TestServer.start("--client-output-buffer-limit", "pubsub 1mb 0 0");
                RawConnection c = new RawConnection(cairn.port())) {
            assertEquals("+OK\r\n", c.call("SET", "big", BIG + BIG));
            String get = RawConnection.request("GET", "big");
            c.send(get.repeat(8));
            for (int i = 0; i < 8; i++) assertEquals(2 * MESSAGE + 12, c.readReply().length());
            // Subscribed, the same client is held to the pubsub class: a big reply of its own goes over it.
            c.call("HELLO", "3");
            c.call("SUBSCRIBE", "ch");
            c.send(get.repeat(8));
            assertTrue(c.closedByServer());
        }
    }
}
