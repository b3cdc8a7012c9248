package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Propagation by effect, observed in the AOF: the same commands against Cairn and
 * redis-server 7.0.15, both with appendonly yes, must leave the same incremental file
 * (rewritten commands, SELECTs, MULTI/EXEC wrapping, expiry deletions). Absolute times
 * computed from "now" are compared as their distance from the start of the test, rounded
 * to 10 seconds.
 */
class AofPropagationDifferentialTest {
    @TempDir
    Path cairnDir;
    @TempDir
    Path redisDir;

    private static final Pattern MILLIS = Pattern.compile("\\b\\d{13}\\b");

    private RawConnection cairn;
    private RawConnection redis;
    private long start;

    /** Runs a command on both servers; their replies must be equal too. */
    private void both(String... args) throws Exception {
        assertEquals(redis.call(args), cairn.call(args), String.join(" ", args));
    }

    /** Runs a command on both servers whose replies may differ (members drawn at random). */
    private void bothAnyReply(String... args) throws Exception {
        redis.call(args);
        cairn.call(args);
    }

    @Test
    void incrementalFilesMatchRedis() throws Exception {
        start = System.currentTimeMillis();
        String[] options = {"--appendonly", "yes", "--appendfsync", "always", "--enable-debug-command", "yes",
            "--aof-use-rdb-preamble", "no", "--save", ""};
        try (TestServer server = TestServer.start(concat(options, "--dir", cairnDir.toString()));
                RealRedis real = RealRedis.start(concat(options, "--dir", redisDir.toString()));
                RawConnection c = new RawConnection(server.port());
                RawConnection r = new RawConnection(real.port());
                RawConnection c2 = new RawConnection(server.port());
                RawConnection r2 = new RawConnection(real.port())) {
            cairn = c;
            redis = r;
            corpus();
            // Blocking pops served later propagate as their non-blocking forms.
            servedLater(c2, r2, new String[] {"BLPOP", "bl", "0"}, "RPUSH", "bl", "x", "y");
            servedLater(c2, r2, new String[] {"BLMPOP", "0", "1", "bl2", "LEFT", "COUNT", "3"}, "RPUSH", "bl2", "x", "y");
            servedLater(c2, r2, new String[] {"BZPOPMAX", "bz", "0"}, "ZADD", "bz", "1", "a", "2", "b");
            servedLater(c2, r2, new String[] {"BLMOVE", "bl3", "dst", "RIGHT", "LEFT", "0"}, "RPUSH", "bl3", "p", "q");
            servedLater(c2, r2, new String[] {"BRPOPLPUSH", "bl4", "dst2", "0"}, "RPUSH", "bl4", "p");
            servedLater(c2, r2, new String[] {"BZMPOP", "0", "1", "bz2", "MIN", "COUNT", "5"}, "ZADD", "bz2", "1", "a",
                    "2", "b");
            // Stream readers served later: XREAD propagates nothing, XREADGROUP its XCLAIM.
            both("XGROUP", "CREATE", "bs", "g", "$", "MKSTREAM");
            servedLater(c2, r2, new String[] {"XREAD", "BLOCK", "0", "STREAMS", "bs", "$"}, "XADD", "bs", "5-1", "f", "v");
            servedLater(c2, r2, new String[] {"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "bs", ">"},
                    "XADD", "bs", "6-1", "f", "v");
            both("FLUSHALL");
            assertEquals(normalized(AofDirectory.in(redisDir).incrCommands()),
                    normalized(AofDirectory.in(cairnDir).incrCommands()));
        }
    }

    private void corpus() throws Exception {
        both("SET", "a", "1");
        both("SET", "b", "2", "EX", "100");
        both("SET", "c", "3", "PX", "100000");
        both("SET", "d", "4", "EXAT", "2000000000");
        both("SET", "d2", "4", "NX", "PXAT", "2000000000000");
        both("SETEX", "e", "100", "v");
        both("PSETEX", "f", "100000", "v");
        both("EXPIRE", "a", "100");
        both("PEXPIRE", "a", "100000");
        both("EXPIREAT", "a", "2000000000");
        both("PEXPIREAT", "a", "2000000000000", "GT");
        both("EXPIRE", "a", "100", "NX");
        both("EXPIRE", "a", "-1");
        both("EXPIRE", "missing", "100");
        both("SET", "a", "1");
        both("GETEX", "a", "EX", "100");
        both("GETEX", "a", "PERSIST");
        both("GETEX", "a");
        both("PERSIST", "a");
        both("GETEX", "a", "PXAT", "2000000000000");
        both("GETEX", "a", "EXAT", "100");
        both("SET", "g", "1");
        both("SET", "g", "2", "GET");
        both("SET", "g", "3", "NX");
        both("SET", "g", "4", "XX", "GET", "PXAT", "2000000000000");
        both("SET", "g", "5", "GET", "KEEPTTL");
        both("SETNX", "g", "6");
        both("GETSET", "g", "7");
        both("GETDEL", "g");
        both("GETDEL", "g");
        both("SET", "g", "1");
        both("SETRANGE", "g", "3", "xyz");
        both("DEL", "g", "nothing");
        both("PEXPIRE", "g", "-5");
        both("INCRBYFLOAT", "x", "1.5");
        both("INCRBYFLOAT", "x", "0.1");
        both("HINCRBYFLOAT", "h", "f", "2.5");
        both("HINCRBYFLOAT", "h", "f", "1e3");
        both("SADD", "s", "a");
        both("SPOP", "s");
        both("SADD", "s", "a", "b", "c");
        bothAnyReply("SPOP", "s", "3");
        both("SADD", "s", "a", "b", "c");
        bothAnyReply("SPOP", "s", "10");
        both("SPOP", "s");
        both("SPOP", "s", "0");
        both("DEL", "nothing");
        both("RPUSH", "l", "a", "b", "c", "d");
        both("BLPOP", "l", "0");
        both("BRPOP", "l", "0");
        both("LMPOP", "1", "l", "LEFT", "COUNT", "5");
        both("LMPOP", "1", "l", "LEFT", "COUNT", "5");
        both("RPUSH", "l", "a", "b", "c");
        both("BLMPOP", "0", "1", "l", "RIGHT", "COUNT", "2");
        both("BLMOVE", "l", "l2", "LEFT", "RIGHT", "0");
        both("BRPOPLPUSH", "l2", "l3", "0");
        both("LMOVE", "l3", "l4", "LEFT", "LEFT");
        both("ZADD", "z", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e");
        both("BZPOPMIN", "z", "0");
        both("ZPOPMAX", "z");
        both("ZPOPMIN", "z", "1");
        both("ZMPOP", "1", "z", "MIN", "COUNT", "1");
        both("BZMPOP", "0", "1", "z", "MAX");
        both("EVAL", "redis.call('set','e1','1'); redis.call('incr','e2'); return 1", "0");
        both("EVAL", "redis.call('set','e3','1')", "0");
        both("EVAL", "return redis.call('get','e3')", "0");
        both("EVAL", "redis.call('set','e4','x', 'EX', 100)", "0");
        both("EVAL", "redis.call('select', 5); redis.call('set','e5','x'); redis.call('spop', 'nokey')", "0");
        both("MULTI");
        both("SET", "m1", "1");
        both("SET", "m2", "2");
        both("EXEC");
        both("MULTI");
        both("SET", "m3", "1");
        both("GET", "m3");
        both("EXEC");
        both("MULTI");
        both("GET", "m3");
        both("EXEC");
        both("MULTI");
        both("INCRBYFLOAT", "m4", "2");
        both("SELECT", "2");
        both("SET", "m5", "1", "EX", "100");
        both("EXEC");
        both("PUBLISH", "channel", "message");
        both("MULTI");
        both("SET", "p1", "1");
        both("PUBLISH", "channel", "message");
        both("EXEC");
        both("EVAL", "redis.set_repl(redis.REPL_REPLICA); redis.call('set','r1','1'); "
                + "redis.set_repl(redis.REPL_AOF); redis.call('set','r2','1')", "0");
        both("EVAL", "redis.set_repl(redis.REPL_NONE); redis.call('set','r3','1')", "0");
        both("SET", "db2", "x");
        both("SELECT", "0");
        both("INCR", "n");
        both("DECRBY", "n", "5");
        both("APPEND", "n", "0");
        both("HSET", "h2", "a", "1", "b", "2");
        both("HDEL", "h2", "a", "zz");
        both("HDEL", "h2", "zz");
        both("RENAME", "h2", "h3");
        both("SET", "dumped", "value");
        String dump = redis.call("DUMP", "dumped");
        String payload = dump.substring(dump.indexOf("\r\n") + 2, dump.length() - 2);
        both("RESTORE", "r1", "100000", payload);
        both("RESTORE", "r2", "0", payload);
        both("RESTORE", "r3", "2000000000000", payload, "ABSTTL");
        both("RESTORE", "r1", "5000", payload, "REPLACE");
        both("RESTORE", "r1", "100", payload, "REPLACE", "ABSTTL");
        both("FLUSHDB");
        both("FLUSHDB", "ASYNC");
        both("SELECT", "9");
        both("FLUSHALL");
        both("SELECT", "0");
        // Expired keys: deleted as DEL (UNLINK with lazyfree-lazy-expire), lazily here.
        both("DEBUG", "SET-ACTIVE-EXPIRE", "0");
        both("SET", "lz", "v", "PX", "20");
        both("SET", "lz2", "v", "PX", "20");
        both("SET", "lz3", "v", "PX", "20");
        Thread.sleep(100);
        both("GET", "lz");
        both("SET", "lz2", "new");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "yes");
        both("EXISTS", "lz3");
        both("CONFIG", "SET", "lazyfree-lazy-expire", "no");
        both("DEBUG", "SET-ACTIVE-EXPIRE", "1");
        streams();
    }

    /**
     * Streams as Redis propagates them: XADD with its generated ID, approximate trims as
     * the exact trims they were, deliveries and claims as XCLAIM ... FORCE JUSTID LASTID,
     * NOACK reads as XGROUP SETID, and nothing for reads that changed nothing.
     */
    private void streams() throws Exception {
        both("XADD", "st", "1-1", "a", "1");
        both("XADD", "st", "1-*", "a", "2");
        bothAnyReply("XADD", "auto", "*", "a", "1");
        for (int i = 0; i < 250; i++) both("XADD", "big", (i + 1) + "-0", "f", "v" + i);
        both("XADD", "big", "MAXLEN", "~", "120", "1000-0", "f", "last");
        both("XTRIM", "big", "MAXLEN", "~", "10");
        both("XTRIM", "big", "MINID", "~", "900", "LIMIT", "1000");
        both("XTRIM", "big", "MINID", "=", "950");
        both("XADD", "st", "NOMKSTREAM", "MINID", "1-2", "2-0", "b", "3");
        both("XDEL", "st", "1-2", "9-9");
        both("XSETID", "st", "5-0", "ENTRIESADDED", "10", "MAXDELETEDID", "1-2");
        both("XGROUP", "CREATE", "st", "g", "0");
        both("XGROUP", "CREATE", "st", "g2", "$", "ENTRIESREAD", "3");
        both("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
        both("XGROUP", "CREATECONSUMER", "st", "g", "idle");
        both("XADD", "st", "6-0", "c", "4");
        both("XADD", "st", "7-0", "c", "5");
        both("XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "st", ">");
        both("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "st", ">");
        both("XREADGROUP", "GROUP", "g", "bob", "STREAMS", "st", ">");
        both("XREADGROUP", "GROUP", "g", "alice", "STREAMS", "st", "0");
        both("XREADGROUP", "GROUP", "g2", "carol", "NOACK", "STREAMS", "st", ">");
        both("XCLAIM", "st", "g", "dave", "0", "2-0", "JUSTID");
        both("XCLAIM", "st", "g", "dave", "0", "6-0", "RETRYCOUNT", "5", "LASTID", "8-0");
        both("XCLAIM", "st", "g", "dave", "0", "9-9", "LASTID", "9-0");
        bothAnyReply("XAUTOCLAIM", "st", "g", "erin", "0", "0", "COUNT", "1");
        both("XDEL", "st", "7-0");
        bothAnyReply("XAUTOCLAIM", "st", "g", "erin", "0", "0");
        both("XACK", "st", "g", "2-0", "6-0");
        both("XGROUP", "SETID", "st", "g", "$", "ENTRIESREAD", "4");
        both("XGROUP", "DELCONSUMER", "st", "g", "erin");
        both("XGROUP", "DESTROY", "st", "g2");
        both("XREAD", "STREAMS", "st", "0");
    }

    private void servedLater(RawConnection c2, RawConnection r2, String[] blocking, String... unblocking)
            throws Exception {
        c2.command(blocking);
        r2.command(blocking);
        // Both blocked before the push (an unrelated command round trip on each).
        cairn.call("PING");
        redis.call("PING");
        Thread.sleep(50);
        both(unblocking);
        assertEquals(r2.readReply(), c2.readReply(), String.join(" ", blocking));
    }

    /** Times near now become "T+<seconds, rounded to 10>" from the start of the test. */
    private List<String> normalized(List<String> commands) {
        List<String> out = new ArrayList<>();
        for (String command : commands) {
            Matcher m = MILLIS.matcher(command);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                long ms = Long.parseLong(m.group());
                String replacement = m.group();
                if (Math.abs(ms - start) < 86_400_000L) {
                    replacement = "T+" + Math.round((ms - start) / 10_000.0) * 10;
                }
                m.appendReplacement(sb, replacement);
            }
            m.appendTail(sb);
            out.add(sb.toString());
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @SuppressWarnings("unused")
    private static byte[] read(Path p) throws Exception {
        return Files.readAllBytes(p);
    }
}
