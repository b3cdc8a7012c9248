package dev.cairn.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams across Cairn and redis-server 7.0.15 through files and payloads: a dump SAVEd
 * by redis-server loads in Cairn, and Cairn's in redis-server, with the same DEBUG
 * DIGEST and the same XINFO STREAM FULL (groups, PELs with their delivery times and
 * counts, consumers with their seen times) and MEMORY USAGE; redis-check-rdb accepts
 * Cairn's file; DUMP payloads RESTORE both ways.
 */
class StreamPersistenceInteropTest {
    private static final String[] KEYS = {"big", "small", "empty", "tombstones", "wide"};

    @TempDir
    Path dir;

    /** Streams of every shape: many nodes, deleted entries, groups, consumers, an empty stream. */
    private static void populate(RawConnection c) throws IOException {
        for (int i = 1; i <= 450; i++) {
            c.call("XADD", "big", i + "-" + (i % 3), "field", "value" + i, "n", String.valueOf(i * 7 - 1000));
        }
        c.call("XADD", "big", "451-0", "other", "fields", "here", "x".repeat(300));
        c.call("XDEL", "big", "5-2", "6-0", "300-0");
        c.call("XTRIM", "big", "MINID", "50");
        c.call("XGROUP", "CREATE", "big", "readers", "0");
        c.call("XGROUP", "CREATE", "big", "late", "$", "ENTRIESREAD", "-1");
        c.call("XREADGROUP", "GROUP", "readers", "alice", "COUNT", "30", "STREAMS", "big", ">");
        c.call("XREADGROUP", "GROUP", "readers", "bob", "COUNT", "5", "STREAMS", "big", ">");
        c.call("XGROUP", "CREATECONSUMER", "big", "readers", "idle");
        c.call("XCLAIM", "big", "readers", "carol", "0", "60-0", "61-1", "TIME", "1700000000000", "RETRYCOUNT", "7");
        c.call("XACK", "big", "readers", "62-2");
        c.call("XADD", "small", "1-1", "a", "1");
        c.call("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
        c.call("XADD", "tombstones", "1-1", "a", "1");
        c.call("XDEL", "tombstones", "1-1");
        c.call("XSETID", "tombstones", "10-0", "ENTRIESADDED", "20", "MAXDELETEDID", "5-0");
        c.call("XADD", "wide", "7-7", "blob", "y".repeat(5000), "z", "1");
    }

    private static List<String> describe(RawConnection c) throws IOException {
        List<String> out = new ArrayList<>();
        out.add(c.call("DEBUG", "DIGEST"));
        for (String key : KEYS) {
            out.add(c.call("XINFO", "STREAM", key, "FULL", "COUNT", "0"));
            out.add(c.call("DEBUG", "DIGEST-VALUE", key));
            out.add(c.call("MEMORY", "USAGE", key));
        }
        return out;
    }

    @Test
    void redisDumpLoadsInCairn() throws Exception {
        List<String> expected;
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "r.rdb"); RawConnection r = new RawConnection(real.port())) {
            populate(r);
            r.call("SAVE");
            // What redis-server itself shows for the file: a fresh load (listpacks sized to fit).
            r.call("DEBUG", "RELOAD");
            expected = describe(r);
        }
        try (TestServer cairn = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "r.rdb"); RawConnection c = new RawConnection(cairn.port())) {
            assertEquals(expected, describe(c));
        }
    }

    @Test
    void cairnDumpLoadsInRedis() throws Exception {
        List<String> expected;
        try (TestServer cairn = TestServer.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "c.rdb"); RawConnection c = new RawConnection(cairn.port())) {
            populate(c);
            c.call("SAVE");
            c.call("DEBUG", "RELOAD");
            expected = describe(c);
        }
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), dir.resolve("c.rdb").toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), report);
        assertTrue(report.contains("\\o/ RDB looks OK! \\o/") && report.contains("[info] 5 keys read"), report);
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "c.rdb"); RawConnection r = new RawConnection(real.port())) {
            assertEquals(expected, describe(r));
        }
        assertTrue(Files.size(dir.resolve("c.rdb")) > 0);
    }

    @Test
    void dumpPayloadsRestoreBothWays() throws Exception {
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection r = new RawConnection(real.port());
                RawConnection c = new RawConnection(cairn.port())) {
            populate(r);
            populate(c);
            for (String key : KEYS) {
                String fromRedis = r.call("DUMP", key);
                String fromCairn = c.call("DUMP", key);
                restore(c, key + ":r", fromRedis);
                restore(r, key + ":c", fromCairn);
                assertEquals(r.call("DEBUG", "DIGEST-VALUE", key), c.call("DEBUG", "DIGEST-VALUE", key + ":r"), key);
                assertEquals(c.call("DEBUG", "DIGEST-VALUE", key), r.call("DEBUG", "DIGEST-VALUE", key + ":c"), key);
                // Delivery and seen times travel in the payload.
                assertEquals(r.call("XINFO", "STREAM", key, "FULL"), c.call("XINFO", "STREAM", key + ":r", "FULL"), key);
                assertEquals(c.call("XINFO", "STREAM", key, "FULL"), r.call("XINFO", "STREAM", key + ":c", "FULL"), key);
            }
        }
    }

    /** RESTORE key 0 payload, with the payload taken from a raw bulk reply. */
    private static void restore(RawConnection to, String key, String bulkReply) throws IOException {
        int start = bulkReply.indexOf("\r\n") + 2;
        String payload = bulkReply.substring(start, bulkReply.length() - 2);
        assertEquals("+OK\r\n", to.call("RESTORE", key, "0", payload));
    }
}
