package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A stream in the RDB type of Redis 5 to 6.2 (RDB_TYPE_STREAM_LISTPACKS, 15), which has
 * no first ID, greatest deleted ID, entries-added or per-group entries-read: built by
 * hand as a DUMP payload, it restores in Cairn and in redis-server 7.0.15 into the same
 * stream, with the counters worked out the same way (XINFO STREAM FULL, DEBUG
 * DIGEST-VALUE).
 */
class OldStreamEncodingTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void length(ByteArrayOutputStream out, int n) {
        if (n >= 64) throw new IllegalArgumentException("small lengths only");
        out.write(n);
    }

    private static void string(ByteArrayOutputStream out, byte[] s) {
        length(out, s.length);
        out.writeBytes(s);
    }

    private static void id(ByteArrayOutputStream out, long ms, long seq) {
        out.writeBytes(RdbWriter.rawId(ms, seq));
    }

    private static void millis(ByteArrayOutputStream out, long t) {
        for (int i = 0; i < 8; i++) out.write((int) (t >>> (8 * i)));
    }

    /** Entries 5-1 {a: 1} and 6-0 {a: 2} in one node; group g at 5-1 with 5-1 pending for c. */
    private static byte[] payload() {
        RedisListpack.Builder lp = new RedisListpack.Builder();
        // Master entry: 2 live, 0 deleted, fields [a], terminator.
        lp.addInteger(2);
        lp.addInteger(0);
        lp.addInteger(1);
        lp.add(b("a"));
        lp.addInteger(0);
        // 5-1: same fields as the master, deltas 0-0, value 1, lp-count 4.
        lp.addInteger(2);
        lp.addInteger(0);
        lp.addInteger(0);
        lp.add(b("1"));
        lp.addInteger(4);
        // 6-0: same fields, deltas 1 and -1, value 2.
        lp.addInteger(2);
        lp.addInteger(1);
        lp.addInteger(-1);
        lp.add(b("2"));
        lp.addInteger(4);
        byte[] listpack = lp.finish();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(RdbFormat.STREAM_LISTPACKS);
        length(out, 1);
        length(out, 16);
        id(out, 5, 1);
        string(out, listpack);
        length(out, 2);
        length(out, 6);
        length(out, 0);
        length(out, 1);
        string(out, b("g"));
        length(out, 5);
        length(out, 1);
        length(out, 1);
        id(out, 5, 1);
        millis(out, 1_700_000_000_000L);
        length(out, 2);
        length(out, 1);
        string(out, b("c"));
        millis(out, 1_700_000_000_500L);
        length(out, 1);
        id(out, 5, 1);
        out.write(9);
        out.write(0);
        long crc = Crc64.of(out.toByteArray());
        for (int i = 0; i < 8; i++) out.write((int) (crc >>> (8 * i)));
        return out.toByteArray();
    }

    @Test
    void restoresAsInRedis() throws Exception {
        String payload = new String(payload(), StandardCharsets.ISO_8859_1);
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection r = new RawConnection(real.port());
                RawConnection c = new RawConnection(cairn.port())) {
            for (String sanitize : new String[] {"no", "yes"}) {
                for (RawConnection x : new RawConnection[] {r, c}) {
                    x.call("CONFIG", "SET", "sanitize-dump-payload", sanitize);
                    assertEquals("+OK\r\n", x.call("RESTORE", "old", "0", payload, "REPLACE"));
                }
                assertEquals(r.call("XINFO", "STREAM", "old", "FULL"), c.call("XINFO", "STREAM", "old", "FULL"));
                assertEquals(r.call("XINFO", "GROUPS", "old"), c.call("XINFO", "GROUPS", "old"));
                assertEquals(r.call("DEBUG", "DIGEST-VALUE", "old"), c.call("DEBUG", "DIGEST-VALUE", "old"));
                // Written back, it is the current type: the two servers' DUMPs are the same bytes.
                assertEquals(r.call("DUMP", "old"), c.call("DUMP", "old"));
            }
        }
    }
}
