package dev.cairn.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * DUMP and RESTORE against a real redis-server 7.0, both ways, for every type and
 * encoding: a payload from Redis restores in Cairn with the same DEBUG DIGEST-VALUE and
 * OBJECT ENCODING, and Cairn's payload restores in Redis the same way. Where Redis's
 * payload is deterministic for the encoding (strings, listpacks, intsets, lists built by
 * pushes) the bytes must be equal too. Corrupt payloads get Redis's error replies.
 */
class DumpRestoreInteropTest {
    private static RealRedis real;
    private static TestServer cairn;
    private static Jedis redis;
    private static Jedis ours;

    @BeforeAll
    static void start() {
        real = RealRedis.start("--enable-debug-command", "yes");
        cairn = TestServer.start("--enable-debug-command", "yes");
        redis = new Jedis("127.0.0.1", real.port());
        ours = new Jedis("127.0.0.1", cairn.port());
    }

    @AfterAll
    static void stop() {
        redis.close();
        ours.close();
        cairn.close();
        real.close();
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String repeat(String s, int n) {
        return s.repeat(n);
    }

    /** Builds the same key on both servers, then checks both directions. */
    private static void check(String name, boolean sameBytes, Consumer<Jedis> build) {
        redis.flushAll();
        ours.flushAll();
        build.accept(redis);
        build.accept(ours);
        byte[] key = b("k");
        String encoding = new String(redis.objectEncoding(key));
        assertEquals(encoding, new String(ours.objectEncoding(key)), name + ": encodings before dumping");
        byte[] fromRedis = redis.dump(key);
        byte[] fromCairn = ours.dump(key);
        assertNotNull(fromCairn, name);
        if (sameBytes) assertArrayEquals(fromRedis, fromCairn, name + ": DUMP bytes");
        String digest = digest(redis, "k");
        assertEquals(digest, digest(ours, "k"), name + ": digests before dumping");
        // Redis's payload into Cairn, Cairn's into Redis.
        assertEquals("OK", ours.restore(b("copy"), 0, fromRedis), name);
        assertEquals("OK", redis.restore(b("copy"), 0, fromCairn), name);
        assertEquals(digest, digest(ours, "copy"), name + ": Redis's payload restored in Cairn");
        assertEquals(digest, digest(redis, "copy"), name + ": Cairn's payload restored in Redis");
        assertEquals(new String(redis.objectEncoding(b("copy"))), new String(ours.objectEncoding(b("copy"))),
                name + ": encodings after restoring");
        // DEBUG OBJECT's serializedlength is the payload's length without type and footer.
        assertEquals(serializedLength(redis, "k"), serializedLength(ours, "k"), name + ": serializedlength");
    }

    private static String digest(Jedis j, String key) {
        Object r = j.sendCommand(() -> b("DEBUG"), b("DIGEST-VALUE"), b(key));
        return new String((byte[]) ((List<?>) r).get(0), StandardCharsets.US_ASCII);
    }

    private static String serializedLength(Jedis j, String key) {
        String s = new String((byte[]) j.sendCommand(() -> b("DEBUG"), b("OBJECT"), b(key)), StandardCharsets.US_ASCII);
        String after = s.substring(s.indexOf("serializedlength:"));
        // With the quicklist details Redis adds for a list.
        int ql = s.indexOf(" ql_nodes:");
        return after.substring(0, after.indexOf(' ')) + (ql < 0 ? "" : s.substring(ql));
    }

    @Test
    void strings() {
        for (String v : List.of("0", "1", "-1", "127", "-128", "128", "32767", "-32768", "32768", "2147483647",
                "-2147483648", "2147483648", "9223372036854775807", "-9223372036854775808", "007", "+1", "-0",
                "", "hello", repeat("a", 20), repeat("a", 21), repeat("ab", 30), repeat("xyz", 100),
                repeat("0123456789", 2000), "1.5", " 1")) {
            check("string '" + v + "'", true, j -> j.set("k", v));
        }
        check("appended", true, j -> {
            j.set("k", "12");
            j.append("k", "34");
        });
        check("incrbyfloat", true, j -> j.incrByFloat("k", 3));
        Random rnd = new Random(1);
        byte[] binary = new byte[300];
        rnd.nextBytes(binary);
        check("binary", true, j -> j.set(b("k"), binary));
    }

    @Test
    void lists() {
        check("small list", true, j -> j.rpush("k", "a", "1", "-5", "300", "70000", "5000000000", repeat("x", 100)));
        check("lpushed list", true, j -> j.lpush("k", "a", "b", "c", "12"));
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 5000; i++) many.add("element-" + i);
        check("big rpushed list", true, j -> j.rpush("k", many.toArray(new String[0])));
        check("big lpushed list", true, j -> j.lpush("k", many.toArray(new String[0])));
        check("elements over 8kb", true, j -> j.rpush("k", "a", repeat("y", 9000), "b", repeat("z", 20000), "c"));
        List<String> numbers = new ArrayList<>();
        for (int i = -3000; i < 3000; i += 7) numbers.add(Integer.toString(i * 1013));
        check("integers", true, j -> j.rpush("k", numbers.toArray(new String[0])));
    }

    @Test
    void hashes() {
        check("listpack hash", true, j -> j.hset("k", java.util.Map.of("f", "v", "n", "12", "neg", "-70000")));
        check("listpack hash in order", true, j -> {
            for (int i = 0; i < 100; i++) j.hset("k", "field" + i, Integer.toString(i * 37));
        });
        check("hashtable hash (many)", false, j -> {
            for (int i = 0; i < 600; i++) j.hset("k", "field" + i, "value" + i);
        });
        check("hashtable hash (long value)", false, j -> j.hset("k", java.util.Map.of("f", repeat("v", 65), "g", "1")));
    }

    @Test
    void sets() {
        check("intset 16", true, j -> j.sadd("k", "1", "2", "-3", "100"));
        check("intset 32", true, j -> j.sadd("k", "1", "70000", "-3"));
        check("intset 64", true, j -> j.sadd("k", "1", "5000000000", "-3"));
        check("intset kept wide", true, j -> {
            j.sadd("k", "1", "5000000000", "-3");
            j.srem("k", "5000000000");
        });
        check("hashtable set", false, j -> j.sadd("k", "a", "b", "1", "2"));
        check("big intset", false, j -> {
            for (int i = 0; i < 600; i++) j.sadd("k", Integer.toString(i));
        });
    }

    @Test
    void sortedSets() {
        check("listpack zset", true, j -> {
            j.zadd("k", 1, "a");
            j.zadd("k", 1.5, "b");
            j.zadd("k", -2, "c");
            j.zadd("k", 1e17, "d");
            j.zadd("k", Double.POSITIVE_INFINITY, "e");
            j.zadd("k", Double.NEGATIVE_INFINITY, "f");
            j.zadd("k", 0.1, "g");
            j.zadd("k", 123, "123");
        });
        check("skiplist zset (many)", false, j -> {
            for (int i = 0; i < 200; i++) j.zadd("k", i * 1.25 - 50, "member" + i);
            j.zadd("k", Double.POSITIVE_INFINITY, "inf");
            j.zadd("k", Double.NEGATIVE_INFINITY, "-inf");
        });
        check("skiplist zset (long member)", false, j -> {
            j.zadd("k", 1, repeat("m", 65));
            j.zadd("k", 2, "n");
        });
    }

    /** Threshold changes: a payload is loaded into the encoding the current limits give, as Redis does. */
    @Test
    void restoringUnderOtherThresholds() {
        String[][] configs = {{"hash-max-listpack-entries", "2"}, {"hash-max-listpack-value", "3"},
                {"set-max-intset-entries", "2"}, {"zset-max-listpack-entries", "2"}, {"zset-max-listpack-value", "3"}};
        redis.flushAll();
        redis.hset("h", java.util.Map.of("a", "1", "b", "2", "c", "3333"));
        redis.sadd("s", "1", "2", "3");
        redis.zadd("z", java.util.Map.of("a", 1.0, "b", 2.0, "cccc", 3.0));
        for (int i = 0; i < 300; i++) redis.hset("bigh", "f" + i, "v");
        for (int i = 0; i < 200; i++) redis.zadd("bigz", i, "m" + i);
        for (int i = 0; i < 600; i++) redis.sadd("bigs", Integer.toString(i));
        String[] keys = {"h", "s", "z", "bigh", "bigz", "bigs"};
        byte[][] payloads = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) payloads[i] = redis.dump(keys[i]);
        for (String[] setting : configs) {
            for (String value : new String[] {setting[1], "100000"}) {
                redis.configSet(setting[0], value);
                ours.configSet(setting[0], value);
                for (int i = 0; i < keys.length; i++) {
                    byte[] key = b(keys[i] + "-restored");
                    redis.del(key);
                    ours.del(key);
                    redis.restore(key, 0, payloads[i]);
                    ours.restore(key, 0, payloads[i]);
                    assertEquals(new String(redis.objectEncoding(key)), new String(ours.objectEncoding(key)),
                            keys[i] + " with " + setting[0] + " " + value);
                }
            }
            redis.configResetStat();
        }
        for (String[] setting : configs) {
            String original = setting[0].endsWith("value") ? "64" : setting[0].startsWith("zset") ? "128" : "512";
            redis.configSet(setting[0], original);
            ours.configSet(setting[0], original);
        }
    }

    /** list-max-listpack-size shapes the quicklist nodes, and so the payload. */
    @Test
    void listNodeSizes() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 3000; i++) many.add("element-" + i);
        for (String fill : new String[] {"5", "-1", "-5", "1"}) {
            redis.configSet("list-max-listpack-size", fill);
            ours.configSet("list-max-listpack-size", fill);
            try {
                check("rpushed with fill " + fill, true, j -> j.rpush("k", many.toArray(new String[0])));
                check("lpushed with fill " + fill, true, j -> j.lpush("k", many.toArray(new String[0])));
            } finally {
                redis.configSet("list-max-listpack-size", "-2");
                ours.configSet("list-max-listpack-size", "-2");
            }
        }
    }

    @Test
    void rdbcompressionOffGivesPlainStrings() {
        redis.configSet("rdbcompression", "no");
        ours.configSet("rdbcompression", "no");
        try {
            check("uncompressed string", true, j -> j.set("k", repeat("ab", 100)));
            check("uncompressed list", true, j -> j.rpush("k", repeat("ab", 100), "x"));
        } finally {
            redis.configSet("rdbcompression", "yes");
            ours.configSet("rdbcompression", "yes");
        }
    }

    /** RESTORE's options and errors, byte for byte, and the connection and data survive. */
    @Test
    void restoreRepliesAsRedis() throws IOException {
        redis.flushAll();
        ours.flushAll();
        redis.set("src", "hello world, a value");
        ours.set("src", "hello world, a value");
        byte[] good = redis.dump("src");
        List<byte[]> payloads = new ArrayList<>();
        payloads.add(good);
        byte[] flipped = good.clone();
        flipped[3] ^= 0x20;
        payloads.add(flipped);
        payloads.add(Arrays.copyOf(good, good.length - 1));
        payloads.add(Arrays.copyOf(good, 5));
        byte[] newer = good.clone();
        newer[good.length - 10] = 11;
        payloads.add(newer);
        payloads.add(b(""));
        payloads.add(withFooter(new byte[] {0, (byte) 0xC3, 5}));            // LZF cut short
        payloads.add(withFooter(new byte[] {(byte) 200, 1, 'a'}));           // not a value type
        payloads.add(withFooter(new byte[] {11, 8, 2, 0, 0, 0, 1, 0, 0, 0})); // intset missing its member
        payloads.add(withFooter(new byte[] {11, 10, 2, 0, 0, 0, 2, 0, 0, 0, 5, 0})); // intset count too big
        payloads.add(withFooter(new byte[] {16, 7, 7, 0, 0, 0, 0, 0, (byte) 0xFF})); // empty listpack hash
        payloads.add(withFooter(new byte[] {2, 0}));                          // empty set
        payloads.add(withFooter(new byte[] {4, 1, 1, 'a'}));                  // hash cut in its value
        payloads.add(withFooter(new byte[] {5, 1, 1, 'a', 0, 0, 0, 0, 0, 0, (byte) 0xF8, 0x7F})); // NaN score
        String[][] commands = {
            {"RESTORE", "new", "0", "@0"},
            {"RESTORE", "new", "0", "@0"},
            {"RESTORE", "new", "0", "@0", "REPLACE"},
            {"RESTORE", "src", "0", "@0"},
            {"RESTORE", "x", "-1", "@0"},
            {"RESTORE", "x", "abc", "@0"},
            {"RESTORE", "x", "0", "@0", "IDLETIME", "-1"},
            {"RESTORE", "x", "0", "@0", "IDLETIME", "10", "FREQ", "5"},
            {"RESTORE", "x", "0", "@0", "FREQ", "256"},
            {"RESTORE", "x", "0", "@0", "FREQ", "x"},
            {"RESTORE", "x", "0", "@0", "ABSTTL", "REPLACE", "IDLETIME"},
            {"RESTORE", "x", "0", "@0", "BOGUS"},
            {"RESTORE", "x", "1", "@0", "ABSTTL"},
            {"RESTORE", "x2", "100000", "@0", "IDLETIME", "1000"},
            {"RESTORE", "x3", "99999999999999", "@0", "ABSTTL"},
            {"RESTORE", "x"},
            {"DUMP", "missing"},
        };
        try (RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String[] command : commands) {
                List<byte[]> args = new ArrayList<>();
                for (String a : command) args.add(b(a));
                for (int p = 0; p < (Arrays.asList(command).contains("@0") ? payloads.size() : 1); p++) {
                    List<byte[]> withPayload = new ArrayList<>(args);
                    for (int i = 0; i < withPayload.size(); i++) {
                        if (command[i].equals("@0")) withPayload.set(i, payloads.get(p));
                    }
                    byte[] request = RawConnection.request(withPayload);
                    String label = String.join(" ", command) + " payload " + p;
                    assertEquals(expected.send(request).readReply(), actual.send(request).readReply(), label);
                }
                for (String probe : new String[] {"new", "x", "x2", "x3", "src"}) {
                    byte[] req = RawConnection.request("TYPE", probe).getBytes(StandardCharsets.UTF_8);
                    assertEquals(expected.send(req).readReply(), actual.send(req).readReply(), probe);
                }
            }
            byte[] ttl = RawConnection.request("PTTL", "x3").getBytes(StandardCharsets.UTF_8);
            long redisTtl = Long.parseLong(expected.send(ttl).readReply().strip().substring(1));
            long cairnTtl = Long.parseLong(actual.send(ttl).readReply().strip().substring(1));
            assertTrue(Math.abs(redisTtl - cairnTtl) < 5000, redisTtl + " " + cairnTtl);
            byte[] get = RawConnection.request("GET", "src").getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.send(get).readReply(), actual.send(get).readReply());
        }
        assertEquals(redis.objectIdletime("x2") >= 1000, ours.objectIdletime("x2") >= 1000);
    }

    /** A payload body with a valid version and checksum, so that only the body is wrong. */
    private static byte[] withFooter(byte[] body) {
        byte[] p = Arrays.copyOf(body, body.length + 10);
        p[body.length] = 10;
        long crc = dev.cairn.persistence.Crc64.update(0, p, 0, body.length + 2);
        for (int i = 0; i < 8; i++) p[body.length + 2 + i] = (byte) (crc >>> (8 * i));
        return p;
    }
}
