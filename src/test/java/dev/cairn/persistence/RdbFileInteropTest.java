package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.keyspace.Database;
import dev.cairn.keyspace.Entry;
import dev.cairn.server.Server;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Whole RDB files between Cairn and a real redis-server 7.0: a file written by
 * {@link RdbWriter} from Cairn's values passes redis-check-rdb and loads in redis-server
 * with the same DEBUG DIGEST, and a file redis-server SAVEs reads back with
 * {@link RdbReader} into the same values. cairn-check-rdb reports as redis-check-rdb.
 */
class RdbFileInteropTest {
    private static final String LIBRARY = "#!lua name=mylib\nredis.register_function('f1', function() return 1 end)";

    @TempDir
    Path dir;

    /** Every type and encoding, in three databases, some keys with TTLs. */
    private static void populate(Jedis j) {
        for (int db : new int[] {0, 3, 9}) {
            j.select(db);
            j.set("int", "12345");
            j.set("bigint", "-9223372036854775808");
            j.set("short", "hello" + db);
            j.set("compressible", "abc".repeat(100));
            j.setex("ttl", 100_000, "expiring");
            j.rpush("list", "a", "1", "-300", "b".repeat(10_000), "c");
            List<String> many = new ArrayList<>();
            for (int i = 0; i < 3000; i++) many.add("item" + i);
            j.lpush("biglist", many.toArray(new String[0]));
            j.hset("hash", Map.of("f", "v", "n", "42"));
            for (int i = 0; i < 600; i++) j.hset("bighash", "f" + i, "v" + i);
            j.sadd("intset", "1", "-70000", "5000000000");
            j.sadd("set", "x", "y", "1");
            j.zadd("zset", Map.of("a", 1.5, "b", -2.0, "c", 1e17));
            for (int i = 0; i < 200; i++) j.zadd("bigzset", i / 3.0, "m" + i);
            j.zadd("bigzset", Double.POSITIVE_INFINITY, "top");
            j.pexpire("bigzset", 50_000_000);
        }
        j.select(0);
    }

    private static Jedis jedis(int port) {
        return new Jedis("127.0.0.1", port);
    }

    private static String debug(Jedis j, String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        Object r = j.sendCommand(() -> "DEBUG".getBytes(), a);
        return new String((byte[]) r, StandardCharsets.UTF_8);
    }

    /** What SAVE will do: the whole keyspace through an RdbWriter, drained in pieces. */
    private static void save(Server server, List<byte[]> libraries, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            RdbWriter w = new RdbWriter(true);
            w.header();
            w.aux("redis-ver", "7.0.15");
            w.aux("redis-bits", 64);
            w.aux("ctime", System.currentTimeMillis() / 1000);
            w.aux("used-mem", 1_000_000);
            w.aux("aof-base", 0);
            for (byte[] lib : libraries) w.function(lib);
            for (int i = 0; i < server.keyspace().count(); i++) {
                Database db = server.keyspace().db(i);
                if (db.size() == 0) continue;
                List<Entry> entries = new ArrayList<>();
                db.forEach(entries::add);
                long expires = entries.stream().filter(e -> e.expireAt() >= 0).count();
                w.selectDb(i);
                w.resizeDb(db.size(), expires);
                for (Entry e : entries) {
                    w.entry(e.key(), e.value(), e.expireAt(), -1, -1);
                    if (w.size() > 4096) w.drainTo(out);
                }
            }
            w.eof();
            w.checksumTrailer(true);
            w.drainTo(out);
        }
    }

    /** A test-local loader: the file's keys into a server's keyspace. */
    private static List<byte[]> load(Server server, Path file, Map<String, byte[]> aux) throws Exception {
        List<byte[]> functions = new ArrayList<>();
        try (InputStream in = new FileInputStream(file.toFile())) {
            new RdbReader(in, true, RdbReader.Limits.of(server.config())).read(new RdbReader.Visitor() {
                Database db = server.keyspace().db(0);

                @Override
                public void aux(String name, byte[] value) {
                    aux.put(name, value);
                }

                @Override
                public void selectDb(int index) {
                    db = server.keyspace().db(index);
                }

                @Override
                public void resizeDb(long size, long expires) {}

                @Override
                public void function(byte[] libraryCode) {
                    functions.add(libraryCode);
                }

                @Override
                public void entry(byte[] key, Object value, long expireAtMillis, long idle, int freq) {
                    Entry e = db.add(key, value);
                    if (expireAtMillis >= 0) db.setExpire(e, expireAtMillis);
                }
            });
        }
        return functions;
    }

    private static Map<String, String> encodings(Jedis j) {
        Map<String, String> out = new HashMap<>();
        for (int db : new int[] {0, 3, 9}) {
            j.select(db);
            for (String key : j.keys("*")) out.put(db + ":" + key, j.objectEncoding(key));
        }
        j.select(0);
        return out;
    }

    @Test
    void cairnFileLoadsInRedis() throws Exception {
        Path file = dir.resolve("x.rdb");
        String digest;
        Map<String, String> encodings;
        try (TestServer cairn = TestServer.start("--enable-debug-command", "yes"); Jedis j = jedis(cairn.port())) {
            populate(j);
            digest = debug(j, "DIGEST");
            encodings = encodings(j);
            byte[] lib = LIBRARY.getBytes(StandardCharsets.UTF_8);
            cairn.onCommandThread(() -> {
                save(cairn.server(), List.of(lib), file);
                return null;
            });
        }
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), file.toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), report);
        assertTrue(report.contains("\\o/ RDB looks OK! \\o/") && report.contains("[info] 39 keys read"), report);
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "x.rdb"); Jedis j = jedis(real.port())) {
            assertEquals(digest, debug(j, "DIGEST"));
            assertEquals(encodings, encodings(j));
            assertEquals(1, j.functionList().size());
        }
        // And cairn-check-rdb says what redis-check-rdb says, apart from the clock-dependent counts.
        assertEquals(withoutExpiredCount(report), withoutExpiredCount(checkRdb(file)));
    }

    @Test
    void redisFileReadsIntoCairn() throws Exception {
        String digest;
        Map<String, String> encodings;
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "r.rdb"); Jedis j = jedis(real.port())) {
            populate(j);
            j.functionLoad(LIBRARY);
            digest = debug(j, "DIGEST");
            encodings = encodings(j);
            j.save();
        }
        Path file = dir.resolve("r.rdb");
        try (TestServer cairn = TestServer.start("--enable-debug-command", "yes"); Jedis j = jedis(cairn.port())) {
            Map<String, byte[]> aux = new HashMap<>();
            List<byte[]> functions = cairn.onCommandThread(() -> load(cairn.server(), file, aux));
            assertEquals(digest, debug(j, "DIGEST"));
            assertEquals(encodings, encodings(j));
            assertEquals(1, functions.size());
            assertArrayEquals(LIBRARY.getBytes(StandardCharsets.UTF_8), functions.get(0));
            assertEquals("7.0.15", new String(aux.get("redis-ver"), StandardCharsets.US_ASCII));
            assertEquals("64", new String(aux.get("redis-bits"), StandardCharsets.US_ASCII));
        }
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), file.toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check.waitFor();
        assertEquals(withoutExpiredCount(report), withoutExpiredCount(checkRdb(file)));
    }

    /** An RDB 6 file (ziplists, a zipmap, text scores, expiry in seconds) loads in Redis and in Cairn alike. */
    @Test
    void oldVersionFileLoadsAlike() throws Exception {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes("REDIS0006".getBytes(StandardCharsets.US_ASCII));
        f.write(254); // SELECTDB 0
        f.write(0);
        f.write(253); // EXPIRETIME in seconds, far ahead
        long at = System.currentTimeMillis() / 1000 + 1_000_000;
        for (int i = 0; i < 4; i++) f.write((int) (at >>> (8 * i)));
        f.write(10); // a list as a ziplist
        f.writeBytes(new byte[] {4, 'l', 'i', 's', 't'});
        byte[] zl = OldEncodingsTest.ziplist("a", "7", "-40000", "bb");
        f.write(zl.length);
        f.writeBytes(zl);
        f.write(9); // a hash as a zipmap
        f.writeBytes(new byte[] {4, 'h', 'a', 's', 'h'});
        byte[] zm = OldEncodingsTest.zipmap("f", "v", "g", "12");
        f.write(zm.length);
        f.writeBytes(zm);
        f.write(3); // a sorted set with text scores
        f.writeBytes(new byte[] {4, 'z', 's', 'e', 't', 2, 1, 'a', 3, '2', '.', '5', 1, 'b', (byte) 254});
        f.write(254); // SELECTDB 2
        f.write(2);
        f.write(0);
        f.writeBytes(new byte[] {3, 's', 't', 'r', (byte) 0xC0, 100});
        f.write(255);
        long crc = Crc64.of(f.toByteArray());
        for (int i = 0; i < 8; i++) f.write((int) (crc >>> (8 * i)));
        Path file = dir.resolve("old.rdb");
        Files.write(file, f.toByteArray());
        assertTrue(redisCheck(file).contains("RDB looks OK"), redisCheck(file));
        assertEquals(withoutExpiredCount(redisCheck(file)), withoutExpiredCount(checkRdb(file)));
        String digest;
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes", "--dir", dir.toString(),
                "--dbfilename", "old.rdb"); Jedis j = jedis(real.port())) {
            digest = debug(j, "DIGEST");
            assertEquals(3, j.dbSize());
        }
        try (TestServer cairn = TestServer.start("--enable-debug-command", "yes"); Jedis j = jedis(cairn.port())) {
            cairn.onCommandThread(() -> load(cairn.server(), file, new HashMap<>()));
            assertEquals(digest, debug(j, "DIGEST"));
        }
    }

    /** IDLE and FREQ reach the visitor; absent ones are -1. */
    @Test
    void idleAndFreqRoundTrip() throws Exception {
        RdbWriter w = new RdbWriter(false);
        w.header();
        w.selectDb(0);
        w.entry("a".getBytes(), "1".getBytes(), -1, 1234, -1);
        w.entry("b".getBytes(), "2".getBytes(), 99_000_000_000_000L, -1, 7);
        w.eof();
        w.checksumTrailer(false);
        List<String> seen = new ArrayList<>();
        RdbReader r = new RdbReader(new java.io.ByteArrayInputStream(w.toByteArray()), false);
        assertEquals(10, r.read(new RdbReader.Visitor() {
            public void aux(String name, byte[] value) {}

            public void selectDb(int db) {}

            public void resizeDb(long size, long expires) {}

            public void function(byte[] code) {}

            public void entry(byte[] key, Object value, long expireAt, long idle, int freq) {
                seen.add(new String(key) + " " + expireAt + " " + idle + " " + freq);
            }
        }));
        assertEquals(List.of("a -1 1234 -1", "b 99000000000000 -1 7"), seen);
        assertEquals("RDB file was saved with checksum disabled: no check performed.", r.checksumReport());
    }

    @Test
    void checkRdbReportsCorruption() throws Exception {
        Path file = dir.resolve("c.rdb");
        try (RealRedis real = RealRedis.start("--dir", dir.toString(), "--dbfilename", "c.rdb");
                Jedis j = jedis(real.port())) {
            j.set("a", "1");
            j.rpush("l", "x", "y");
            j.save();
        }
        byte[] good = Files.readAllBytes(file);
        // A flipped byte in a value: the checksum catches it.
        byte[] flipped = good.clone();
        flipped[good.length - 12] ^= 1;
        Path bad = dir.resolve("bad.rdb");
        Files.write(bad, flipped);
        assertEquals(redisCheck(bad), checkRdb(bad));
        assertTrue(checkRdb(bad).contains("--- RDB ERROR DETECTED ---"));
        // A wrong version.
        byte[] version = good.clone();
        version[8] = '9' + 2;
        version[7] = '1';
        version[8] = '1';
        Files.write(bad, version);
        assertEquals(redisCheck(bad), checkRdb(bad));
        // Truncated files end with an error and never hang.
        for (int cut = 0; cut < good.length; cut += 7) {
            Files.write(bad, java.util.Arrays.copyOf(good, cut));
            String report = checkRdb(bad);
            assertTrue(report.contains("--- RDB ERROR DETECTED ---"), report);
        }
        CheckRdb ok = new CheckRdb(new PrintStream(new ByteArrayOutputStream()));
        assertTrue(ok.check(file.toString()));
        CheckRdb corrupt = new CheckRdb(new PrintStream(new ByteArrayOutputStream()));
        assertTrue(!corrupt.check(bad.toString()));
    }

    private static String redisCheck(Path file) throws Exception {
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), file.toString())
                .redirectErrorStream(true).start();
        String report = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check.waitFor();
        return report;
    }

    private static String checkRdb(Path file) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new CheckRdb(new PrintStream(bytes, true, StandardCharsets.UTF_8)).check(file.toString());
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static String withoutExpiredCount(String report) {
        return report.replaceAll("\\[info\\] \\d+ already expired\\n", "");
    }
}
