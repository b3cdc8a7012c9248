package dev.cairn.transactions;

import static dev.cairn.testing.ClientErrors.jedisError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH: exact replies over raw connections (two per
 * test where another client's change matters), and Jedis's Transaction on top.
 */
class TransactionCommandsTest {
    private static final String EXECABORT = "-EXECABORT Transaction discarded because of previous errors.\r\n";

    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn("--enable-debug-command", "yes").flushingBeforeEachTest();

    private static RawConnection connect() throws IOException {
        return new RawConnection(cairn.port());
    }

    @Test
    void queuedCommandsRunAtExecWithTheirOwnReplies() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("+QUEUED\r\n", c.call("SET", "a", "1"));
            assertEquals("+QUEUED\r\n", c.call("INCR", "a"));
            assertEquals("+QUEUED\r\n", c.call("SET", "a", "x"));
            assertEquals("+QUEUED\r\n", c.call("INCR", "a"));
            assertEquals("+QUEUED\r\n", c.call("GET", "a"));
            // A runtime error is one reply among the others: nothing is rolled back.
            assertEquals("*5\r\n+OK\r\n:2\r\n+OK\r\n-ERR value is not an integer or out of range\r\n$1\r\nx\r\n",
                    c.call("EXEC"));
            assertEquals("$1\r\nx\r\n", c.call("GET", "a"));
            assertEquals("+OK\r\n", c.call("MULTI"));
            assertEquals("*0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void aKeyTouchedByAScriptFailsTheWatch() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("SET", "k", "1");
            assertEquals("+OK\r\n", c.call("WATCH", "k"));
            assertEquals(":2\r\n", other.call("EVAL", "return redis.call('incr', KEYS[1])", "1", "k"));
            c.call("MULTI");
            c.call("GET", "k");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // A script that only reads leaves the watch alone.
            c.call("WATCH", "k");
            other.call("EVAL", "return redis.call('get', KEYS[1])", "1", "k");
            c.call("MULTI");
            c.call("GET", "k");
            assertEquals("*1\r\n$1\r\n2\r\n", c.call("EXEC"));
        }
    }

    @Test
    void evalInsideMultiIsQueuedAndRunsAtExec() throws IOException {
        try (RawConnection c = connect()) {
            c.call("MULTI");
            assertEquals("+QUEUED\r\n", c.call("EVAL", "return redis.call('set', KEYS[1], ARGV[1])", "1", "k", "v"));
            assertEquals("+QUEUED\r\n", c.call("GET", "k"));
            assertEquals("*2\r\n+OK\r\n$1\r\nv\r\n", c.call("EXEC"));
        }
    }

    @Test
    void misplacedTransactionCommands() throws IOException {
        try (RawConnection c = connect()) {
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            assertEquals("-ERR DISCARD without MULTI\r\n", c.call("DISCARD"));
            assertEquals("+OK\r\n", c.call("MULTI"));
            // Neither error dooms the transaction: they come from the commands themselves.
            assertEquals("-ERR MULTI calls can not be nested\r\n", c.call("MULTI"));
            assertEquals("-ERR WATCH inside MULTI is not allowed\r\n", c.call("WATCH", "k"));
            assertEquals("+QUEUED\r\n", c.call("SET", "k", "v"));
            assertEquals("*1\r\n+OK\r\n", c.call("EXEC"));
            assertEquals("-ERR wrong number of arguments for 'watch' command\r\n", c.call("WATCH"));
            assertEquals("-ERR wrong number of arguments for 'unwatch' command\r\n", c.call("UNWATCH", "k"));
        }
    }

    @Test
    void aCommandRefusedWhileQueuingAbortsExec() throws IOException {
        try (RawConnection c = connect()) {
            c.call("MULTI");
            assertEquals("+QUEUED\r\n", c.call("SET", "k", "v"));
            assertEquals("-ERR unknown command 'NOSUCH', with args beginning with: 'x' \r\n", c.call("NOSUCH", "x"));
            assertEquals("-ERR wrong number of arguments for 'get' command\r\n", c.call("GET"));
            assertEquals("+QUEUED\r\n", c.call("SET", "k", "w"));
            assertEquals(EXECABORT, c.call("EXEC"));
            assertEquals("$-1\r\n", c.call("GET", "k"));
            // The transaction is over.
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            // So is a command that may not be part of a transaction.
            c.call("MULTI");
            assertEquals("-ERR Command not allowed inside a transaction\r\n", c.call("SHUTDOWN", "NOSAVE"));
            assertEquals(EXECABORT, c.call("EXEC"));
            // A wrong DISCARD is refused too, and dooms the transaction it did not end.
            c.call("MULTI");
            assertEquals("-ERR wrong number of arguments for 'discard' command\r\n", c.call("DISCARD", "x"));
            assertEquals(EXECABORT, c.call("EXEC"));
        }
    }

    @Test
    void aRefusedExecEndsTheTransactionWithItsReason() throws IOException {
        try (RawConnection c = connect()) {
            c.call("MULTI");
            c.call("SET", "k", "v");
            assertEquals("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
                    c.call("EXEC", "now"));
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            assertEquals("$-1\r\n", c.call("GET", "k"));
        }
        // Outside MULTI too, and the watches go with it.
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("WATCH", "k");
            assertEquals("-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n",
                    c.call("EXEC", "now"));
            other.call("SET", "k", "v");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void discardDropsTheQueueAndTheWatches() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("WATCH", "k");
            c.call("MULTI");
            c.call("SET", "k", "mine");
            assertEquals("+OK\r\n", c.call("DISCARD"));
            assertEquals("$-1\r\n", c.call("GET", "k"));
            other.call("SET", "k", "theirs");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void watchedKeyChangedByAnotherClientFailsExec() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("SET", "k", "1");
            assertEquals("+OK\r\n", c.call("WATCH", "k"));
            assertEquals("+OK\r\n", other.call("SET", "k", "2"));
            c.call("MULTI");
            assertEquals("+QUEUED\r\n", c.call("SET", "k", "3"));
            assertEquals("*-1\r\n", c.call("EXEC"));
            assertEquals("$1\r\n2\r\n", c.call("GET", "k"));
            // The watch is gone with the EXEC.
            other.call("SET", "k", "4");
            c.call("MULTI");
            c.call("GET", "k");
            assertEquals("*1\r\n$1\r\n4\r\n", c.call("EXEC"));
        }
    }

    @Test
    void changesBetweenMultiAndExecCountToo() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("WATCH", "k");
            c.call("MULTI");
            c.call("GET", "k");
            other.call("SET", "k", "x");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void theWatchersOwnChangesAndCreationsCount() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("WATCH", "k");
            c.call("SET", "k", "self");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // A key missing when watched and created later.
            c.call("WATCH", "fresh");
            other.call("SET", "fresh", "1");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // No change: deleting a missing key, reading, another key, another database.
            c.call("WATCH", "nokey", "k");
            other.call("DEL", "nokey");
            other.call("GET", "k");
            other.call("SET", "unrelated", "1");
            other.call("SELECT", "1");
            other.call("SET", "k", "other db");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
            // What the transaction itself changes does not fail it.
            c.call("WATCH", "k");
            c.call("MULTI");
            c.call("SET", "k", "in exec");
            c.call("GET", "k");
            assertEquals("*2\r\n+OK\r\n$7\r\nin exec\r\n", c.call("EXEC"));
        }
    }

    @Test
    void watchesBelongToTheDatabaseSelectedWhenWatching() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("SELECT", "3");
            c.call("WATCH", "k");
            c.call("SELECT", "0");
            other.call("SET", "k", "db0");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
            c.call("SELECT", "3");
            c.call("WATCH", "k");
            c.call("SELECT", "0");
            other.call("SELECT", "3");
            other.call("SET", "k", "db3");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void unwatchForgetsWatchesAndTheirChanges() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("WATCH", "a", "b");
            other.call("SET", "a", "1");
            assertEquals("+OK\r\n", c.call("UNWATCH"));
            other.call("SET", "b", "1");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void renameAndMoveTouchBothKeys() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            for (String watched : List.of("src", "dst")) {
                other.call("SET", "src", "v");
                c.call("WATCH", watched);
                other.call("RENAME", "src", "dst");
                c.call("MULTI");
                assertEquals("*-1\r\n", c.call("EXEC"), watched);
            }
            other.call("SET", "m", "v");
            c.call("WATCH", "m");
            other.call("MOVE", "m", "1");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
        }
    }

    @Test
    void flushesFailWatchersOfKeysThatExisted() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            other.call("SET", "k", "1");
            c.call("WATCH", "k", "missing");
            other.call("FLUSHDB");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // Only watched keys that existed count.
            other.call("SET", "k2", "1");
            c.call("WATCH", "missing");
            other.call("FLUSHALL");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
            other.call("SET", "k", "1");
            c.call("WATCH", "k");
            other.call("FLUSHALL", "ASYNC");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // Another database's flush is no change.
            other.call("SET", "k", "1");
            c.call("WATCH", "k");
            other.call("SELECT", "1");
            other.call("FLUSHDB");
            other.call("SELECT", "0");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void swapdbFailsWatchersOfKeysOnEitherSide() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            // Present only in the database swapped in.
            other.call("SELECT", "1");
            other.call("SET", "k", "1");
            c.call("WATCH", "k");
            other.call("SWAPDB", "0", "1");
            c.call("MULTI");
            assertEquals("*-1\r\n", c.call("EXEC"));
            // Present on neither side, or in unrelated databases.
            other.call("FLUSHALL");
            other.call("SET", "z", "1");
            c.call("WATCH", "k");
            other.call("SWAPDB", "0", "1");
            other.call("SET", "k", "in db 1 now");
            other.call("SWAPDB", "2", "1");
            other.call("SWAPDB", "0", "0");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
        }
    }

    @Test
    void aWatchedKeyThatExpiresFailsExec() throws IOException {
        try (RawConnection c = connect()) {
            // No active expiry: the key is still there, expired, at EXEC.
            assertEquals("+OK\r\n", c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0"));
            try {
                c.call("SET", "k", "v", "PX", "30");
                c.call("WATCH", "k");
                waitPastTtl();
                c.call("MULTI");
                assertEquals("*-1\r\n", c.call("EXEC"));
                // Deleted on access after it expired: a change too.
                c.call("SET", "k", "v", "PX", "30");
                c.call("WATCH", "k");
                waitPastTtl();
                assertEquals("$-1\r\n", c.call("GET", "k"));
                c.call("MULTI");
                assertEquals("*-1\r\n", c.call("EXEC"));
            } finally {
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    @Test
    void aKeyAlreadyExpiredWhenWatchedIsAMissingKey() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("DEBUG", "SET-ACTIVE-EXPIRE", "0");
            try {
                c.call("SET", "k", "v", "PX", "20");
                waitPastTtl();
                c.call("WATCH", "k");
                c.call("MULTI");
                assertEquals("*0\r\n", c.call("EXEC"));
                // Its deletion is no change, nor a flush; setting it is.
                for (String change : List.of("GET", "FLUSHDB", "SET")) {
                    c.call("SET", "k", "v", "PX", "20");
                    waitPastTtl();
                    c.call("WATCH", "k");
                    if (change.equals("SET")) other.call("SET", "k", "new");
                    else other.call(change.equals("GET") ? new String[] {"GET", "k"} : new String[] {"FLUSHDB"});
                    c.call("MULTI");
                    assertEquals(change.equals("SET") ? "*-1\r\n" : "*0\r\n", c.call("EXEC"), change);
                }
                // A missing key swapped for an expired one is still missing.
                other.call("FLUSHALL");
                other.call("SELECT", "1");
                other.call("SET", "k", "v", "PX", "20");
                waitPastTtl();
                c.call("WATCH", "k");
                other.call("SWAPDB", "0", "1");
                c.call("MULTI");
                assertEquals("*0\r\n", c.call("EXEC"));
            } finally {
                c.call("DEBUG", "SET-ACTIVE-EXPIRE", "1");
            }
        }
    }

    /** Waits until a TTL set just before has passed, without touching the key. */
    private static void waitPastTtl() {
        long at = System.currentTimeMillis() + 60;
        Eventually.until("the TTL to pass", () -> System.currentTimeMillis() > at);
    }

    @Test
    void resp3NullForAFailedExec() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("HELLO", "3");
            c.call("WATCH", "k");
            other.call("SET", "k", "1");
            c.call("MULTI");
            c.call("GET", "k");
            assertEquals("_\r\n", c.call("EXEC"));
        }
    }

    @Test
    void clientListShowsTheTransaction() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("CLIENT", "SETNAME", "tx");
            c.call("WATCH", "k");
            assertEquals("flags=N multi=-1 multi-mem=0 cmd=watch", fields(other, "tx"));
            c.call("MULTI");
            assertEquals("flags=x multi=0 multi-mem=0 cmd=multi", fields(other, "tx"));
            c.call("SET", "k", "v");
            // Arguments' bytes plus 8 per argument, as Redis counts them.
            assertEquals("flags=x multi=1 multi-mem=29 cmd=set", fields(other, "tx"));
            other.call("SET", "k", "changed");
            assertEquals("flags=xd multi=1 multi-mem=29 cmd=set", fields(other, "tx"));
            // Doomed: later commands are answered but not kept.
            assertEquals("+QUEUED\r\n", c.call("GET", "k"));
            assertEquals("flags=xd multi=1 multi-mem=29 cmd=get", fields(other, "tx"));
            assertEquals("*-1\r\n", c.call("EXEC"));
            assertEquals("flags=N multi=-1 multi-mem=0 cmd=exec", fields(other, "tx"));
            // During EXEC the client still shows the transaction and the EXEC itself.
            c.call("MULTI");
            c.call("PING");
            c.call("CLIENT", "INFO");
            String reply = c.call("EXEC");
            assertTrue(reply.contains(" flags=x ") && reply.contains(" multi=2 ") && reply.contains(" argv-mem=4 ")
                    && reply.contains(" multi-mem=38 ") && reply.contains(" cmd=exec "), reply);
        }
    }

    /** The flags, multi, multi-mem and cmd fields of the named client in CLIENT LIST. */
    private static String fields(RawConnection c, String name) throws IOException {
        for (String line : c.call("CLIENT", "LIST").split("\n")) {
            if (!line.contains(" name=" + name + " ")) continue;
            Matcher m = Pattern.compile("flags=(\\S+) .* multi=(\\S+) .* multi-mem=(\\S+) .* cmd=(\\S+)").matcher(line);
            assertTrue(m.find(), line);
            return "flags=" + m.group(1) + " multi=" + m.group(2) + " multi-mem=" + m.group(3) + " cmd=" + m.group(4);
        }
        throw new AssertionError("no client named " + name);
    }

    @Test
    void resetAndDisconnectionEndTheTransaction() throws IOException {
        try (RawConnection c = connect(); RawConnection other = connect()) {
            c.call("WATCH", "k");
            c.call("MULTI");
            c.call("SET", "k", "v");
            assertEquals("+RESET\r\n", c.call("RESET"));
            assertEquals("-ERR EXEC without MULTI\r\n", c.call("EXEC"));
            other.call("SET", "k", "x");
            c.call("MULTI");
            assertEquals("*0\r\n", c.call("EXEC"));
            assertEquals("$1\r\nx\r\n", c.call("GET", "k"));
        }
        try (RawConnection gone = connect(); RawConnection other = connect()) {
            gone.call("WATCH", "k");
            gone.call("MULTI");
            gone.call("SET", "k", "never");
            gone.close();
            Eventually.until("the connection to go", () -> {
                try {
                    return !other.call("CLIENT", "LIST").contains("cmd=set");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals("+OK\r\n", other.call("SET", "k", "after"));
            assertEquals("$5\r\nafter\r\n", other.call("GET", "k"));
        }
    }

    @Test
    void quitInsideMultiIsNotQueued() throws IOException {
        try (RawConnection c = connect()) {
            c.call("MULTI");
            c.call("SET", "k", "v");
            assertEquals("+OK\r\n", c.call("QUIT"));
            assertTrue(c.closedByServer());
        }
        try (RawConnection c = connect()) {
            assertEquals("$-1\r\n", c.call("GET", "k"));
        }
    }

    @Test
    void monitorInsideExecIsRefused() throws IOException {
        try (RawConnection c = connect()) {
            c.call("MULTI");
            c.call("MONITOR");
            c.call("SELECT", "2");
            c.call("SET", "k", "v");
            assertEquals("*3\r\n-ERR MONITOR isn't allowed for DENY BLOCKING client\r\n+OK\r\n+OK\r\n", c.call("EXEC"));
            assertEquals("$1\r\nv\r\n", c.call("GET", "k"));
        }
    }

    @Test
    void monitorsSeeTheQueuedCommandsWhenTheyRun() throws IOException {
        try (RawConnection monitor = connect(); RawConnection c = connect()) {
            monitor.call("MONITOR");
            c.call("MULTI");
            c.call("SET", "k", "v");
            c.call("NOSUCH");
            c.call("EXEC");
            c.call("MULTI");
            c.call("SET", "k", "v");
            c.call("GET", "k");
            c.call("EXEC");
            c.call("MULTI");
            c.call("DISCARD");
            c.call("MULTI");
            c.call("EXEC", "x");
            c.call("PING");
            StringBuilder feed = new StringBuilder();
            for (int i = 0; i < 11; i++) feed.append(monitor.readReply().replaceAll("^\\+[0-9.]+ \\[0 [^\\]]+\\] ", ""));
            assertEquals("\"MULTI\"\r\n\"EXEC\"\r\n\"MULTI\"\r\n\"SET\" \"k\" \"v\"\r\n\"GET\" \"k\"\r\n\"EXEC\"\r\n"
                    + "\"MULTI\"\r\n\"DISCARD\"\r\n\"MULTI\"\r\n\"EXEC\" \"x\"\r\n\"PING\"\r\n", feed.toString());
        }
    }

    @Test
    void slowLogAndCommandStatsCountTheQueuedCommands() throws IOException {
        try (RawConnection c = connect()) {
            c.call("CONFIG", "RESETSTAT");
            c.call("CONFIG", "SET", "slowlog-log-slower-than", "0");
            try {
                c.call("SLOWLOG", "RESET");
                c.call("MULTI");
                c.call("SET", "k", "v");
                c.call("GET");
                assertEquals(EXECABORT, c.call("EXEC"));
                c.call("MULTI");
                c.call("SET", "k", "v");
                c.call("INCR", "k");
                c.call("EXEC");
                c.call("MULTI");
                c.call("EXEC", "x");
                String slowlog = c.call("SLOWLOG", "GET");
                // EXEC itself is not logged (skip_slowlog); what it ran is.
                assertTrue(!slowlog.contains("$4\r\nEXEC\r\n") && slowlog.contains("$4\r\nINCR\r\n"), slowlog);
                String stats = c.call("INFO", "commandstats");
                assertTrue(stats.contains("cmdstat_exec:calls=2,") && stats.contains("rejected_calls=1,failed_calls=1\r\n"),
                        stats);
                assertTrue(stats.contains("cmdstat_set:calls=1,"), stats);
                assertTrue(stats.contains("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0"),
                        stats);
                assertTrue(stats.contains("cmdstat_incr:calls=1,") && stats.contains("cmdstat_multi:calls=3,"), stats);
                assertEquals("$66\r\n# Errorstats\r\nerrorstat_ERR:count=2\r\nerrorstat_EXECABORT:count=2\r\n\r\n",
                        c.call("INFO", "errorstats"));
            } finally {
                c.call("CONFIG", "SET", "slowlog-log-slower-than", "10000");
            }
        }
    }

    @Test
    void clientPauseWriteHoldsQueuedWritesAndTheirExec() throws IOException {
        try (RawConnection c = connect(); RawConnection admin = connect()) {
            c.call("MULTI");
            c.call("GET", "k");
            admin.call("CLIENT", "PAUSE", "60000", "WRITE");
            try {
                // A read is queued; a write waits for the pause to end before being queued.
                c.command("SET", "k", "v");
                assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
                assertEquals("+QUEUED\r\n", c.readReply());
                admin.call("CLIENT", "PAUSE", "60000", "WRITE");
                c.command("EXEC");
                Eventually.until("the EXEC to be postponed", () -> clientFlags(admin).contains("flags=xb "));
                assertEquals("+OK\r\n", admin.call("CLIENT", "UNPAUSE"));
                assertEquals("*2\r\n$-1\r\n+OK\r\n", c.readReply());
                // A transaction of reads runs during the pause.
                admin.call("CLIENT", "PAUSE", "60000", "WRITE");
                c.call("MULTI");
                c.call("GET", "k");
                assertEquals("*1\r\n$1\r\nv\r\n", c.call("EXEC"));
            } finally {
                admin.call("CLIENT", "UNPAUSE");
            }
        }
    }

    private static String clientFlags(RawConnection admin) {
        try {
            return admin.call("CLIENT", "LIST");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- Jedis -------------------------------------------------------------------------

    @Test
    void jedisTransaction() {
        Jedis jedis = cairn.jedis();
        Transaction t = jedis.multi();
        Response<String> set = t.set("k", "1");
        Response<Long> incr = t.incr("k");
        Response<String> get = t.get("k");
        List<Object> results = t.exec();
        assertEquals(3, results.size());
        assertEquals("OK", set.get());
        assertEquals(2L, incr.get());
        assertEquals("2", get.get());
    }

    @Test
    void jedisWatch() {
        Jedis jedis = cairn.jedis();
        try (Jedis other = new Jedis("127.0.0.1", cairn.port())) {
            jedis.set("balance", "100");
            assertEquals("OK", jedis.watch("balance"));
            other.decrBy("balance", 30);
            Transaction t = jedis.multi();
            t.decrBy("balance", 50);
            assertNull(t.exec());
            assertEquals("70", jedis.get("balance"));
            // The retry goes through once nobody interferes.
            jedis.watch("balance");
            Transaction retry = jedis.multi();
            Response<Long> left = retry.decrBy("balance", 50);
            assertEquals(1, retry.exec().size());
            assertEquals(20L, left.get());
            assertEquals("OK", jedis.unwatch());
        }
    }

    @Test
    void jedisDiscardAndErrors() {
        Jedis jedis = cairn.jedis();
        Transaction t = jedis.multi();
        t.set("k", "v");
        assertEquals("OK", t.discard());
        assertNull(jedis.get("k"));
        assertEquals("ERR EXEC without MULTI", jedisError(() -> jedis.sendCommand(redis.clients.jedis.Protocol.Command.EXEC)));
        Transaction failing = jedis.multi();
        failing.set("k", "v");
        failing.incr("k");
        List<Object> results = failing.exec();
        assertEquals("OK", results.get(0));
        assertEquals("ERR value is not an integer or out of range",
                ((redis.clients.jedis.exceptions.JedisDataException) results.get(1)).getMessage());
    }
}
