package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Loading an AOF at startup: a truncated last command is cut off with Redis's warnings
 * (aof-load-truncated yes) or refused (no); a corrupt file is refused and left untouched;
 * an old single-file appendonly.aof is moved into the directory; timestamp annotations
 * are written and skipped.
 */
class AofLoadingTest {
    @TempDir
    Path dir;

    private static final String PARTIAL = "*3\r\n$3\r\nSET\r\n$1\r\nx";

    private TestServer start(String... more) {
        List<String> options = new ArrayList<>(List.of("--dir", dir.toString(), "--appendonly", "yes", "--save", "",
                "--aof-use-rdb-preamble", "no", "--logfile", dir.resolve("log").toString(), "--loglevel", "notice"));
        options.addAll(List.of(more));
        return TestServer.start(options.toArray(new String[0]));
    }

    private Path writeTwoKeys() throws Exception {
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("a", "1");
            jedis.set("b", "2");
        }
        return AofDirectory.in(dir).incr();
    }

    private String log() throws Exception {
        return Files.readString(dir.resolve("log"));
    }

    @Test
    void truncatedTailIsCutOffWithAWarning() throws Exception {
        Path incr = writeTwoKeys();
        long good = Files.size(incr);
        Files.writeString(incr, PARTIAL, StandardOpenOption.APPEND);
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("2", jedis.get("b"));
            assertEquals(good, Files.size(incr));
            // Appending goes on after the last whole command.
            jedis.set("c", "3");
        }
        String log = log();
        assertTrue(log.contains("# !!! Warning: short read while loading the AOF file appendonly.aof.1.incr.aof!!!"), log);
        assertTrue(log.contains("# !!! Truncating the AOF appendonly.aof.1.incr.aof at offset " + good + " !!!"), log);
        assertTrue(log.contains("# AOF appendonly.aof.1.incr.aof loaded anyway because aof-load-truncated is enabled"),
                log);
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("3", jedis.get("c"));
        }
    }

    @Test
    void truncatedTailIsRefusedWithoutAofLoadTruncated() throws Exception {
        Path incr = writeTwoKeys();
        Files.writeString(incr, PARTIAL, StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(incr);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> start("--aof-load-truncated", "no"));
        assertEquals("Unexpected end of file reading the append only file appendonly.aof.1.incr.aof. You can: 1) Make "
                + "a backup of your AOF file, then use ./redis-check-aof --fix <filename.manifest>. 2) Alternatively you "
                + "can set the 'aof-load-truncated' configuration option to yes and restart the server.",
                e.getCause().getMessage());
        assertArrayEquals(before, Files.readAllBytes(incr));
    }

    @Test
    void corruptFileIsRefusedAndLeftUntouched() throws Exception {
        Path incr = writeTwoKeys();
        Files.writeString(incr, "garbage\r\n", StandardOpenOption.APPEND);
        byte[] before = Files.readAllBytes(incr);
        List<String> manifest = AofDirectory.in(dir).manifest();
        IllegalStateException e = assertThrows(IllegalStateException.class, this::start);
        assertEquals("Bad file format reading the append only file appendonly.aof.1.incr.aof: make a backup of your "
                + "AOF file, then use ./redis-check-aof --fix <filename.manifest>", e.getCause().getMessage());
        assertArrayEquals(before, Files.readAllBytes(incr));
        assertEquals(manifest, AofDirectory.in(dir).manifest());
    }

    @Test
    void incompleteTransactionAtTheEndIsReverted() throws Exception {
        Path incr = writeTwoKeys();
        long good = Files.size(incr);
        Files.writeString(incr, "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nSET\r\n$1\r\nm\r\n$1\r\n1\r\n",
                StandardOpenOption.APPEND);
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals(null, jedis.get("m"));
            assertEquals("2", jedis.get("b"));
            assertEquals(good, Files.size(incr));
        }
        assertTrue(log().contains("Revert incomplete MULTI/EXEC transaction in AOF file appendonly.aof.1.incr.aof"));
    }

    @Test
    void oldSingleFileAofIsMovedIntoTheDirectory() throws Exception {
        Files.writeString(dir.resolve("appendonly.aof"), "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\n"
                + "old\r\n$5\r\nstyle\r\n", StandardCharsets.ISO_8859_1);
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("style", jedis.get("old"));
            jedis.set("new", "1");
        }
        assertEquals(List.of("file appendonly.aof seq 1 type b", "file appendonly.aof.1.incr.aof seq 1 type i"),
                AofDirectory.in(dir).manifest());
        assertTrue(Files.exists(AofDirectory.in(dir).dir().resolve("appendonly.aof")));
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("style", jedis.get("old"));
            assertEquals("1", jedis.get("new"));
        }
    }

    @Test
    void timestampAnnotationsAreWrittenAndSkipped() throws Exception {
        try (TestServer server = start("--aof-timestamp-enabled", "yes");
                Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            jedis.set("a", "1");
        }
        String text = Files.readString(AofDirectory.in(dir).incr(), StandardCharsets.ISO_8859_1);
        assertTrue(text.matches("#TS:\\d+\r\n\\*2\r\n\\$6\r\nSELECT\r\n[\\s\\S]*"), text);
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("1", jedis.get("a"));
        }
    }

    @Test
    void oldSingleFileWithAnRdbPreambleAndCommandsAfterIt() throws Exception {
        Path redisDir = dir.resolve("redis");
        Files.createDirectories(redisDir);
        try (dev.cairn.testing.RealRedis redis = dev.cairn.testing.RealRedis.start("--dir", redisDir.toString());
                Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            for (int i = 0; i < 1000; i++) jedis.set("preamble" + i, "v" + i);
            jedis.save();
        }
        byte[] rdb = Files.readAllBytes(redisDir.resolve("dump.rdb"));
        byte[] tail = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$4\r\ntail\r\n$1\r\n1\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] old = java.util.Arrays.copyOf(rdb, rdb.length + tail.length);
        System.arraycopy(tail, 0, old, rdb.length, tail.length);
        Files.write(dir.resolve("appendonly.aof"), old);
        try (TestServer server = start(); Jedis jedis = new Jedis("127.0.0.1", server.port())) {
            assertEquals("v999", jedis.get("preamble999"));
            assertEquals("1", jedis.get("tail"));
            assertEquals(1001, jedis.dbSize());
        }
    }
}
