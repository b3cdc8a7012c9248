package dev.cairn.tracking;

import static dev.cairn.tracking.TrackingSession.id;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.ServerFixture;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same client-side caching sessions on Cairn and on redis-server 7.0, every reply
 * and every invalidation push compared byte for byte: a tracker and a writer (and
 * redirection targets), in default mode, BCAST with prefixes, OPTIN/OPTOUT, NOLOOP,
 * REDIRECT to RESP2 subscribers and RESP3 clients, flushes, expiry, scripts and
 * transactions, tracking-table-max-keys, and every error of CLIENT TRACKING and CACHING.
 * A session reads a push only where one must come: where none may, the next reply read
 * shows it.
 */
class TrackingDifferentialTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    @RegisterExtension
    static final ServerFixture redis =
            ServerFixture.realRedis("--enable-debug-command", "yes").flushingBeforeEachTest();

    private static final String[] TRACKING_INFO = {"INFO", "everything"};
    private static final String[] TRACKING_FIELDS = {
            "tracking_clients", "tracking_total_keys", "tracking_total_items", "tracking_total_prefixes"};

    private static void same(Consumer<TrackingSession> session) throws Exception {
        String expected;
        String actual;
        try (TrackingSession s = new TrackingSession(redis.port())) {
            session.accept(s);
            expected = s.transcript();
        }
        try (TrackingSession s = new TrackingSession(cairn.port())) {
            session.accept(s);
            actual = s.transcript();
        }
        assertEquals(expected, actual);
    }

    @Test
    void defaultModeRemembersReadKeysUntilTheyChange() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.awaitInfo("writer", "tracking_clients", "0");
            s.quiet("tracker", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.call("tracker", "CLIENT", "GETREDIR");
            s.call("writer", "SET", "k", "v");
            s.call("tracker", "GET", "k");
            s.call("writer", "SET", "k", "v2");
            s.read("tracker");
            // Forgotten once invalidated: a second change sends nothing until it is read again.
            s.call("writer", "SET", "k", "v3");
            s.call("tracker", "PING");
            s.call("tracker", "MGET", "k", "a", "b");
            s.call("writer", "DEL", "a", "b", "k");
            s.read("tracker");
            s.call("tracker", "STRLEN", "a");
            s.call("tracker", "EXISTS", "b");
            s.call("writer", "MSET", "a", "1", "b", "2");
            s.read("tracker");
            s.read("tracker");
            // The tracker's own change: the invalidation follows the reply.
            s.call("tracker", "GET", "a");
            s.call("tracker", "SET", "a", "x");
            s.read("tracker");
            // Writes of every kind invalidate; writes do not track.
            s.call("tracker", "LRANGE", "l", "0", "-1");
            s.call("writer", "RPUSH", "l", "1");
            s.read("tracker");
            s.call("tracker", "HGET", "h", "f");
            s.call("writer", "HSET", "h", "f", "1");
            s.read("tracker");
            s.call("tracker", "GET", "a");
            s.call("writer", "RENAME", "a", "z");
            s.read("tracker");
            s.call("tracker", "GET", "z");
            s.call("writer", "EXPIRE", "z", "100");
            s.read("tracker");
            s.call("tracker", "SET", "n", "1");
            s.call("writer", "SET", "n", "2");
            s.call("tracker", "PING");
            // SWAPDB invalidates nothing (keys are tracked by name only).
            s.call("tracker", "GET", "sw");
            s.call("writer", "SWAPDB", "0", "1");
            s.call("tracker", "PING");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
            s.fields("tracker", new String[] {"CLIENT", "INFO"}, "flags", "redir", "resp");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
            // Turned off: the stale id stays in the table, but nothing is sent.
            s.call("tracker", "GET", "sw");
            s.call("tracker", "GET", "k");
            s.call("writer", "SET", "k", "1");
            s.call("tracker", "PING");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
        });
    }

    @Test
    void transactionsAndScriptsTrackTheirReads() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.quiet("tracker", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on");
            // Inside MULTI the invalidations of its own writes come after the whole EXEC reply.
            s.call("tracker", "MULTI");
            s.call("tracker", "GET", "x");
            s.call("tracker", "SET", "x", "1");
            s.call("tracker", "GET", "y");
            s.call("tracker", "SET", "y", "1");
            s.call("tracker", "EXEC");
            s.read("tracker");
            s.read("tracker");
            s.call("tracker", "MULTI");
            s.call("tracker", "MGET", "x", "y");
            s.call("tracker", "EXEC");
            s.call("writer", "DEL", "x", "y");
            s.read("tracker");
            s.read("tracker");
            // A script's reads track the keys it declares (Redis 7.0 takes the script's own keys).
            s.call("tracker", "EVAL", "return redis.call('get', KEYS[1])", "1", "q");
            s.call("writer", "SET", "q", "1");
            s.read("tracker");
            s.call("tracker", "EVAL", "return redis.call('get', 'undeclared')", "0");
            s.call("writer", "SET", "undeclared", "1");
            s.call("tracker", "PING");
            s.call("tracker", "EVAL_RO", "return redis.call('get', KEYS[1])", "1", "q");
            s.call("writer", "SET", "q", "2");
            s.read("tracker");
            s.call("tracker", "EVAL_RO", "return 1", "1", "q");
            s.call("writer", "SET", "q", "3");
            s.call("tracker", "PING");
            s.call("tracker", "EVAL", "redis.call('set', 'e1', '1') return redis.call('get', KEYS[1])", "1", "e2");
            s.call("writer", "SET", "e2", "1");
            s.read("tracker");
            s.call("tracker", "EVAL", "return redis.call('get', KEYS[1])", "1", "e2");
            s.call("tracker", "EVAL", "return redis.call('set', KEYS[1], 'x')", "1", "e2");
            s.read("tracker");
            // Pushes are not silenced by CLIENT REPLY OFF or SKIP.
            s.call("tracker", "GET", "r");
            s.send("tracker", "CLIENT", "REPLY", "OFF");
            s.send("tracker", "SET", "r", "1");
            s.read("tracker");
            s.call("tracker", "CLIENT", "REPLY", "ON");
        });
    }

    @Test
    void keysOfReadOnlyCommandsAsRedisFindsThem() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.quiet("tracker", "HELLO", "3");
            // Enabled inside a transaction: the reads queued after it are tracked.
            s.call("tracker", "MULTI");
            s.call("tracker", "CLIENT", "TRACKING", "on");
            s.call("tracker", "GET", "m");
            s.call("tracker", "EXEC");
            s.call("writer", "SET", "m", "1");
            s.read("tracker");
            s.call("tracker", "SINTERCARD", "2", "s1", "s2");
            s.call("tracker", "ZUNION", "2", "z1", "z2");
            s.call("tracker", "LCS", "l1", "l2");
            s.call("tracker", "BITFIELD_RO", "b1", "GET", "u8", "0");
            s.call("tracker", "SORT_RO", "so");
            s.call("tracker", "GETRANGE", "g", "0", "1");
            s.call("tracker", "MEMORY", "USAGE", "mu");
            s.call("tracker", "HSTRLEN", "h1", "f");
            s.call("tracker", "OBJECT", "ENCODING", "oe");
            s.call("tracker", "TYPE", "ty");
            s.call("tracker", "KEYS", "*");
            s.call("tracker", "DBSIZE");
            s.call("writer", "MSET", "s1", "1", "s2", "1", "z1", "1", "z2", "1", "l1", "1", "l2", "1", "b1", "1",
                    "so", "1", "g", "1", "mu", "1", "h1", "1", "oe", "1", "ty", "1");
            for (int i = 0; i < 13; i++) s.read("tracker");
            s.call("tracker", "PING");
            // Redirected to itself: the client's own pushes.
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", id("tracker"));
            s.call("tracker", "GET", "self");
            s.call("writer", "SET", "self", "1");
            s.read("tracker");
        });
    }

    @Test
    void broadcastSendsChangedKeysUnderPrefixesOncePerTurn() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.awaitInfo("writer", "tracking_clients", "0");
            s.quiet("tracker", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "b");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
            // One read: one turn of the event loop, one message per prefix, keys in byte order.
            s.pipeline("writer", new String[] {"SET", "a2", "1"}, new String[] {"SET", "b1", "1"},
                    new String[] {"SET", "c1", "1"}, new String[] {"MSET", "a1", "1", "a2", "2"});
            s.read("tracker");
            s.read("tracker");
            s.call("tracker", "SET", "a3", "1");
            s.read("tracker");
            s.call("tracker", "SET", "c3", "1");
            s.call("tracker", "PING");
            // A prefix more; PREFIX needs BCAST, and prefixes must not overlap.
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "d");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "dd");
            // Redis 7.0 replies this overlap of two later prefixes with an error and then OK.
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "x", "PREFIX", "e", "PREFIX", "ee");
            s.read("tracker");
            s.call("tracker", "CLIENT", "TRACKING", "on", "PREFIX", "f");
            s.call("tracker", "CLIENT", "TRACKING", "on");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.fields("tracker", new String[] {"CLIENT", "INFO"}, "flags", "redir");
            // Under two of the client's prefixes: sent once for each.
            s.call("writer", "SET", "ee1", "1");
            s.read("tracker");
            s.read("tracker");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
            // BCAST without prefixes: every key; NOLOOP leaves out the client's own changes.
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "NOLOOP");
            s.call("tracker", "SET", "own", "1");
            s.pipeline("writer", new String[] {"SET", "w1", "1"}, new String[] {"SET", "own", "2"});
            s.read("tracker");
            s.call("tracker", "SET", "own", "3");
            s.call("tracker", "PING");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "z");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "z");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.call("writer", "SET", "z1", "1");
            s.read("tracker");
            s.read("tracker");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
        });
    }

    @Test
    void optInAndOptOutFollowClientCaching() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.quiet("tracker", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on", "OPTIN");
            s.call("tracker", "GET", "o1");
            s.call("writer", "SET", "o1", "1");
            s.call("tracker", "PING");
            s.call("tracker", "CLIENT", "CACHING", "yes");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.call("tracker", "GET", "o1");
            s.call("tracker", "GET", "o2");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.call("writer", "SET", "o1", "2");
            s.read("tracker");
            s.call("writer", "SET", "o2", "2");
            s.call("tracker", "PING");
            // Before MULTI, CACHING covers the whole transaction.
            s.call("tracker", "CLIENT", "CACHING", "yes");
            s.call("tracker", "MULTI");
            s.call("tracker", "GET", "o1");
            s.call("tracker", "GET", "o2");
            s.call("tracker", "EXEC");
            s.call("writer", "MSET", "o1", "3", "o2", "3");
            s.read("tracker");
            s.read("tracker");
            s.call("tracker", "CLIENT", "CACHING", "no");
            s.call("tracker", "CLIENT", "CACHING", "maybe");
            s.call("tracker", "CLIENT", "TRACKING", "on", "OPTOUT");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.call("tracker", "CLIENT", "TRACKING", "on", "OPTOUT");
            s.call("tracker", "GET", "p1");
            s.call("tracker", "CLIENT", "CACHING", "no");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.call("tracker", "GET", "p2");
            s.call("tracker", "GET", "p3");
            s.call("writer", "MSET", "p1", "3", "p2", "3", "p3", "1");
            s.read("tracker");
            s.read("tracker");
            s.call("tracker", "PING");
            s.call("tracker", "CLIENT", "CACHING", "yes");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.call("tracker", "CLIENT", "CACHING", "yes");
            // NOLOOP in default mode: the client's own changes are not sent back.
            s.call("tracker", "CLIENT", "TRACKING", "on", "NOLOOP");
            s.call("tracker", "GET", "n1");
            s.call("tracker", "SET", "n1", "1");
            s.call("tracker", "GET", "n1");
            s.call("writer", "SET", "n1", "2");
            s.read("tracker");
        });
    }

    @Test
    void redirectionToSubscribersAndResp3Clients() throws Exception {
        same(s -> {
            s.open("tracker").open("writer").open("subscriber").open("resp3").open("plain");
            s.call("subscriber", "SUBSCRIBE", "__redis__:invalidate");
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", id("subscriber"));
            s.callShowingIds("tracker", "CLIENT", "GETREDIR");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.fields("tracker", new String[] {"CLIENT", "INFO"}, "flags", "redir");
            s.call("tracker", "GET", "r1");
            s.call("writer", "SET", "r1", "1");
            s.read("subscriber");
            // The null of a flush is written in the tracking client's protocol.
            s.call("writer", "FLUSHDB");
            s.read("subscriber");
            s.quiet("tracker", "HELLO", "3");
            s.call("writer", "FLUSHALL");
            s.read("subscriber");
            s.quiet("tracker", "HELLO", "2");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "REDIRECT", id("subscriber"));
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "REDIRECT", id("subscriber"), "PREFIX", "r");
            s.call("writer", "SET", "r1", "1");
            s.read("subscriber");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            // A RESP3 target gets pushes, subscribed or not.
            s.quiet("resp3", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", id("resp3"));
            s.call("tracker", "GET", "q1");
            s.call("tracker", "SET", "q1", "1");
            s.read("resp3");
            s.call("tracker", "GET", "q1");
            s.call("tracker", "FLUSHALL");
            s.read("resp3");
            // A RESP2 target not subscribed gets nothing.
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", id("plain"));
            s.call("tracker", "GET", "q1");
            s.call("writer", "SET", "q1", "1");
            s.call("plain", "PING");
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", id("plain"), "REDIRECT", id("resp3"));
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", "0");
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", "999999");
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", "nope");
            s.call("tracker", "CLIENT", "TRACKING", "off");
        });
    }

    @Test
    void brokenRedirectionIsReportedToResp3Trackers() throws Exception {
        same(s -> {
            s.open("tracker").open("writer").open("target");
            s.quiet("tracker", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on", "REDIRECT", id("target"));
            s.call("tracker", "GET", "k");
            s.close("target");
            // The tracker, the writer and the fixture's own connection.
            s.awaitInfo("writer", "connected_clients", "3");
            s.call("writer", "SET", "k", "1");
            s.readShowingIds("tracker");
            s.fields("tracker", new String[] {"CLIENT", "INFO"}, "flags", "redir");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
            s.call("tracker", "GET", "k");
            s.call("writer", "FLUSHALL");
            s.readShowingIds("tracker");
            // Turning tracking on again clears the broken flag.
            s.call("tracker", "CLIENT", "TRACKING", "on");
            s.callShowingIds("tracker", "CLIENT", "TRACKINGINFO");
        });
    }

    @Test
    void expiryInvalidates() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.quiet("tracker", "HELLO", "3");
            s.call("tracker", "CLIENT", "TRACKING", "on");
            s.call("writer", "SET", "e", "1");
            s.call("tracker", "GET", "e");
            s.call("writer", "PEXPIRE", "e", "20");
            s.read("tracker");
            s.call("tracker", "GET", "e2");
            s.call("writer", "SET", "e2", "1", "PX", "300");
            s.read("tracker");
            s.call("tracker", "GET", "e2");
            // The active expiry cycle deletes it: a change by nobody.
            s.read("tracker");
            s.call("tracker", "CLIENT", "TRACKING", "off");
            s.call("tracker", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "e", "NOLOOP");
            s.call("tracker", "SET", "e3", "1", "PX", "20");
            s.read("tracker");
        });
    }

    @Test
    void lazyExpiryFoundByTheTrackerFollowsItsReply() throws Exception {
        same(s -> {
            s.open("tracker").open("writer");
            s.call("writer", "DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                s.quiet("tracker", "HELLO", "3");
                s.call("tracker", "CLIENT", "TRACKING", "on");
                s.call("writer", "SET", "lazy", "1", "PX", "500");
                s.call("tracker", "GET", "lazy");
                s.call("writer", "DEBUG", "SLEEP", "0.6");
                // Found expired while the tracker reads it: the invalidation follows the reply.
                s.call("tracker", "GET", "lazy");
                s.read("tracker");
                s.call("tracker", "CLIENT", "TRACKING", "on", "NOLOOP");
                s.call("writer", "SET", "lazy", "2", "PX", "500");
                s.read("tracker");
                s.call("tracker", "GET", "lazy");
                s.call("writer", "DEBUG", "SLEEP", "0.6");
                // NOLOOP hides what the client's own command found expired.
                s.call("tracker", "GET", "lazy");
                s.call("tracker", "PING");
            } finally {
                s.call("writer", "DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        });
    }

    @Test
    void trackingTableMaxKeysEvictsRandomKeys() throws Exception {
        Pattern keys = Pattern.compile("k[0-9]");
        same(s -> {
            s.open("tracker").open("writer");
            s.quiet("tracker", "HELLO", "3");
            s.call("writer", "CONFIG", "SET", "tracking-table-max-keys", "0");
            s.call("tracker", "CLIENT", "TRACKING", "on");
            s.call("tracker", "MGET", "k1", "k2", "k3", "k4");
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
            s.call("writer", "CONFIG", "SET", "tracking-table-max-keys", "1");
            // Before the next command (or in the cron) the table goes back to one key.
            s.readHidingKeys("tracker", keys);
            s.readHidingKeys("tracker", keys);
            s.readHidingKeys("tracker", keys);
            s.fields("writer", TRACKING_INFO, TRACKING_FIELDS);
            s.call("writer", "CONFIG", "SET", "tracking-table-max-keys", "1000000");
        });
    }

    @Test
    void errorsOfTrackingAndCaching() throws Exception {
        same(s -> {
            s.open("c");
            s.call("c", "CLIENT", "TRACKING");
            s.call("c", "CLIENT", "TRACKING", "maybe");
            s.call("c", "CLIENT", "TRACKING", "on", "bogus");
            s.call("c", "CLIENT", "TRACKING", "on", "PREFIX");
            s.call("c", "CLIENT", "TRACKING", "on", "REDIRECT");
            s.call("c", "CLIENT", "TRACKING", "on", "OPTIN", "OPTOUT");
            s.call("c", "CLIENT", "TRACKING", "on", "BCAST", "OPTIN");
            s.call("c", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "ab");
            s.call("c", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a", "PREFIX", "a");
            s.call("c", "CLIENT", "TRACKING", "on", "BCAST", "PREFIX", "a\u0000b", "PREFIX", "a\u0000c");
            s.callShowingIds("c", "CLIENT", "TRACKINGINFO");
            s.call("c", "CLIENT", "TRACKING", "off", "PREFIX", "p");
            s.call("c", "CLIENT", "TRACKING", "off", "BCAST");
            s.call("c", "CLIENT", "CACHING", "yes");
            s.call("c", "CLIENT", "CACHING");
            s.call("c", "CLIENT", "CACHING", "yes", "no");
            s.call("c", "CLIENT", "GETREDIR", "x");
            s.call("c", "CLIENT", "TRACKINGINFO", "x");
            s.call("c", "CLIENT", "GETREDIR");
            s.callShowingIds("c", "CLIENT", "TRACKINGINFO");
            s.quiet("c", "HELLO", "3");
            s.callShowingIds("c", "CLIENT", "TRACKINGINFO");
            s.call("c", "CLIENT", "TRACKING", "on", "OPTIN", "NOLOOP");
            s.call("c", "CLIENT", "TRACKING", "on", "OPTOUT");
            s.call("c", "CLIENT", "CACHING", "no");
            s.call("c", "CLIENT", "CACHING", "yes");
            s.callShowingIds("c", "CLIENT", "TRACKINGINFO");
            // ON again resets the mode flags but keeps a pending CACHING.
            s.call("c", "CLIENT", "TRACKING", "on");
            s.callShowingIds("c", "CLIENT", "TRACKINGINFO");
            s.call("c", "RESET");
            s.callShowingIds("c", "CLIENT", "TRACKINGINFO");
            s.call("c", "CLIENT", "HELP");
        });
    }
}
