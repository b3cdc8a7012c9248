package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The encodings of RDB versions 6 to 9 (linked lists, ziplists, quicklists of ziplists,
 * zipmaps, sorted sets with text scores), built here from the format description: each
 * payload restores in Cairn and in a real redis-server 7.0 with the same digest and
 * encoding, with and without sanitize-dump-payload; broken ones are refused by both.
 */
class OldEncodingsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An RDB payload under construction. */
    private static final class Payload {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Payload type(int t) {
            out.write(t);
            return this;
        }

        Payload length(int n) {
            if (n < 64) {
                out.write(n);
            } else if (n < 16384) {
                out.write(0x40 | (n >> 8));
                out.write(n & 0xff);
            } else {
                out.write(0x80);
                for (int i = 3; i >= 0; i--) out.write(n >>> (8 * i));
            }
            return this;
        }

        Payload string(byte[] s) {
            length(s.length);
            out.writeBytes(s);
            return this;
        }

        Payload raw(int... bytes) {
            for (int x : bytes) out.write(x);
            return this;
        }

        /** The body, RDB version 9 and the CRC64. */
        byte[] finish() {
            out.write(9);
            out.write(0);
            long crc = Crc64.of(out.toByteArray());
            for (int i = 0; i < 8; i++) out.write((int) (crc >>> (8 * i)));
            return out.toByteArray();
        }
    }

    /** A ziplist of the elements: integers in their smallest encoding, strings with 6, 14 or 32-bit lengths. */
    static byte[] ziplist(String... elements) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int previous = 0;
        int last = 10;
        for (String e : elements) {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            if (previous < 254) {
                entry.write(previous);
            } else {
                entry.write(0xFE);
                little(entry, previous, 4);
            }
            Long n = dev.cairn.protocol.Numbers.parseStrictLong(b(e));
            if (n != null) {
                long v = n;
                if (v >= 0 && v <= 12) {
                    entry.write(0xF1 + (int) v);
                } else if (v >= -128 && v <= 127) {
                    entry.write(0xFE);
                    little(entry, v, 1);
                } else if (v >= -32768 && v <= 32767) {
                    entry.write(0xC0);
                    little(entry, v, 2);
                } else if (v >= -(1 << 23) && v < (1 << 23)) {
                    entry.write(0xF0);
                    little(entry, v, 3);
                } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                    entry.write(0xD0);
                    little(entry, v, 4);
                } else {
                    entry.write(0xE0);
                    little(entry, v, 8);
                }
            } else {
                byte[] s = b(e);
                if (s.length < 64) {
                    entry.write(s.length);
                } else if (s.length < 16384) {
                    entry.write(0x40 | (s.length >> 8));
                    entry.write(s.length & 0xff);
                } else {
                    entry.write(0x80);
                    for (int i = 3; i >= 0; i--) entry.write(s.length >>> (8 * i));
                }
                entry.writeBytes(s);
            }
            last = 10 + body.size();
            previous = entry.size();
            body.writeBytes(entry.toByteArray());
        }
        ByteArrayOutputStream zl = new ByteArrayOutputStream();
        little(zl, 10 + body.size() + 1, 4);
        little(zl, last, 4);
        little(zl, elements.length, 2);
        zl.writeBytes(body.toByteArray());
        zl.write(0xFF);
        return zl.toByteArray();
    }

    /** A zipmap of key, value, key, value... */
    static byte[] zipmap(String... pairs) {
        ByteArrayOutputStream zm = new ByteArrayOutputStream();
        zm.write(pairs.length / 2);
        for (int i = 0; i < pairs.length; i++) {
            byte[] s = b(pairs[i]);
            if (s.length < 254) {
                zm.write(s.length);
            } else {
                zm.write(254);
                little(zm, s.length, 4);
            }
            if (i % 2 == 1) zm.write(0); // free bytes after the value
            zm.writeBytes(s);
        }
        zm.write(0xFF);
        return zm.toByteArray();
    }

    private static void little(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (v >>> (8 * i)));
    }

    static List<byte[]> goodPayloads() {
        List<byte[]> p = new ArrayList<>();
        String big = "x".repeat(300);
        p.add(new Payload().type(1).length(4).string(b("a")).string(b("12")).string(b(big)).string(b("-5")).finish());
        p.add(new Payload().type(10).string(ziplist("a", "0", "12", "13", "-100", "1000", "100000", "3000000000", big, "z"))
                .finish());
        p.add(new Payload().type(14).length(2).string(ziplist("a", "b")).string(ziplist("1", big, "c")).finish());
        p.add(new Payload().type(2).length(3).string(b("1")).string(b("x")).string(b("2")).finish());
        p.add(new Payload().type(2).length(3).string(b("1")).string(b("3")).string(b("2")).finish());
        p.add(new Payload().type(3).length(4).string(b("a")).raw(3, '1', '.', '5').string(b("b")).raw(254)
                .string(b("c")).raw(255).string(b("d")).raw(2, '-', '7').finish());
        p.add(new Payload().type(9).string(zipmap("f", "v", "n", "12", "long", big)).finish());
        p.add(new Payload().type(9).string(zipmap("f", "v", "n", "12")).finish());
        p.add(new Payload().type(13).string(ziplist("f", "v", "n", "-12", "g", big)).finish());
        p.add(new Payload().type(12).string(ziplist("a", "1", "b", "2.5", "c", "1000000")).finish());
        p.add(new Payload().type(11).string(new byte[] {2, 0, 0, 0, 2, 0, 0, 0, 1, 0, 7, 0}).finish());
        return p;
    }

    @Test
    void oldEncodingsRestoreAsInRedis() {
        for (String sanitize : new String[] {"no", "yes"}) {
            try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--sanitize-dump-payload", sanitize);
                    TestServer cairn = TestServer.start("--enable-debug-command", "yes", "--sanitize-dump-payload", sanitize);
                    Jedis redis = new Jedis("127.0.0.1", real.port());
                    Jedis ours = new Jedis("127.0.0.1", cairn.port())) {
                int i = 0;
                for (byte[] payload : goodPayloads()) {
                    byte[] key = b("k" + i++);
                    assertEquals("OK", redis.restore(key, 0, payload), "payload " + i);
                    assertEquals("OK", ours.restore(key, 0, payload), "payload " + i);
                    assertEquals(digest(redis, key), digest(ours, key), "payload " + i);
                    assertEquals(new String(redis.objectEncoding(key)), new String(ours.objectEncoding(key)), "payload " + i);
                }
            }
        }
    }

    @Test
    void brokenOldPayloadsAreRefused() throws Exception {
        byte[] zl = ziplist("a", "b", "c");
        byte[] wrongTotal = zl.clone();
        wrongTotal[0]++;
        byte[] noEnd = zl.clone();
        noEnd[zl.length - 1] = 0;
        byte[] badEncoding = zl.clone();
        badEncoding[11] = (byte) 0xFF;
        List<byte[]> bad = List.of(
                new Payload().type(10).string(wrongTotal).finish(),
                new Payload().type(10).string(noEnd).finish(),
                new Payload().type(10).string(badEncoding).finish(),
                new Payload().type(9).string(new byte[] {1, 1, 'a'}).finish(),
                new Payload().type(3).length(1).string(b("a")).raw(253).finish(),
                new Payload().type(13).string(ziplist("f", "v", "f", "w")).finish(),
                new Payload().type(12).string(ziplist("a", "1", "b")).finish());
        for (byte[] payload : bad) {
            assertThrows(RdbFormatException.class, () -> RdbReader.readDumpPayload(payload, true));
        }
        // And over the wire, the reply is Redis's.
        try (RealRedis real = RealRedis.start("--sanitize-dump-payload", "yes");
                TestServer cairn = TestServer.start("--sanitize-dump-payload", "yes");
                Jedis redis = new Jedis("127.0.0.1", real.port());
                Jedis ours = new Jedis("127.0.0.1", cairn.port())) {
            for (byte[] payload : bad) {
                assertEquals(error(redis, payload), error(ours, payload));
            }
        }
    }

    private static String error(Jedis j, byte[] payload) {
        try {
            return j.restore(b("bad"), 0, payload);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            return e.getMessage();
        }
    }

    private static String digest(Jedis j, byte[] key) {
        Object r = j.sendCommand(() -> b("DEBUG"), b("DIGEST-VALUE"), key);
        return new String((byte[]) ((List<?>) r).get(0), StandardCharsets.US_ASCII);
    }
}
