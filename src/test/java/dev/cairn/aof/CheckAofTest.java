package dev.cairn.aof;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cairn-check-aof against redis-check-aof 7.0 on the same files: a valid multi-part AOF, a
 * truncated one, a corrupt one, an unfinished MULTI, an old-style single file, --fix
 * answered yes and no, --truncate-to-timestamp. Output and exit status must be equal.
 */
class CheckAofTest {
    @TempDir
    Path dir;

    private static final String SELECT_SET = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nset\r\n$1\r\na\r\n$1\r\n1\r\n"
            + "*3\r\n$3\r\nset\r\n$1\r\nb\r\n$1\r\n2\r\n";

    private Path multiPart(String incr) throws Exception {
        Path aof = dir.resolve("appendonlydir");
        Files.createDirectories(aof);
        Files.writeString(aof.resolve("appendonly.aof.1.base.aof"), "");
        Files.writeString(aof.resolve("appendonly.aof.1.incr.aof"), incr, StandardCharsets.ISO_8859_1);
        Files.writeString(aof.resolve("appendonly.aof.manifest"), "file appendonly.aof.1.base.aof seq 1 type b\n"
                + "file appendonly.aof.1.incr.aof seq 1 type i\n");
        return aof.resolve("appendonly.aof.manifest");
    }

    private record Run(int status, String output) {}

    private Run redis(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(RealRedis.binary("redis-check-aof")));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        return new Run(p.waitFor(), out);
    }

    private Run cairn(String stdin, String... args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.ISO_8859_1);
        int status = dev.cairn.persistence.CheckAofAccess.run(out, stdin, args);
        return new Run(status, bytes.toString(StandardCharsets.ISO_8859_1));
    }

    /** Same output and status; files restored between the two runs when --fix changes them. */
    private void same(String stdin, Path file, String... args) throws Exception {
        byte[] before = Files.readAllBytes(file);
        Run expected = redis(stdin, args);
        byte[] afterRedis = Files.readAllBytes(file);
        Files.write(file, before);
        Run actual = cairn(stdin, args);
        assertEquals(expected, actual);
        assertEquals(new String(afterRedis, StandardCharsets.ISO_8859_1),
                new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
    }

    @Test
    void validMultiPart() throws Exception {
        Path manifest = multiPart(SELECT_SET);
        same("", manifest, manifest.toString());
    }

    @Test
    void truncatedAndFixed() throws Exception {
        Path manifest = multiPart(SELECT_SET + "*3\r\n$3\r\nSET\r\n$1\r\nx");
        Path incr = manifest.resolveSibling("appendonly.aof.1.incr.aof");
        same("", incr, manifest.toString());
        same("n\n", incr, "--fix", manifest.toString());
        same("y\n", incr, "--fix", manifest.toString());
    }

    @Test
    void corrupt() throws Exception {
        Path manifest = multiPart(SELECT_SET + "garbage\r\n");
        same("", manifest.resolveSibling("appendonly.aof.1.incr.aof"), manifest.toString());
    }

    @Test
    void singleFiles() throws Exception {
        Path multi = dir.resolve("m.aof");
        Files.writeString(multi, SELECT_SET + "*1\r\n$5\r\nMULTI\r\n*3\r\n$3\r\nset\r\n$1\r\nc\r\n$1\r\n3\r\n");
        same("", multi, multi.toString());
        same("y\n", multi, "--fix", multi.toString());
        Path good = dir.resolve("g.aof");
        Files.writeString(good, "#TS:1700000000\r\n" + SELECT_SET, StandardOpenOption.CREATE);
        same("", good, good.toString());
        same("", good, dir.resolve("missing.aof").toString());
    }

    /** A SET in RESP. */
    private static String set(String key, String value) {
        return "*3\r\n$3\r\nset\r\n$" + key.length() + "\r\n" + key + "\r\n$" + value.length() + "\r\n" + value + "\r\n";
    }

    private Path manifest(String name, String base, String incr) throws Exception {
        Path aof = dir.resolve(name);
        Files.createDirectories(aof);
        Files.writeString(aof.resolve("b.aof"), base, StandardCharsets.ISO_8859_1);
        String lines = "file b.aof seq 1 type b\n";
        if (incr != null) {
            Files.writeString(aof.resolve("i.aof"), incr, StandardCharsets.ISO_8859_1);
            lines += "file i.aof seq 1 type i\n";
        }
        Files.writeString(aof.resolve("m.manifest"), lines);
        return aof.resolve("m.manifest");
    }

    private static final String TIMED_BASE = "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n#TS:100\r\n" + set("a", "1")
            + "#TS:200\r\n" + set("b", "2");
    private static final String TIMED_INCR = "#TS:300\r\n" + set("c", "3") + "#TS:400\r\n" + set("d", "4");

    @Test
    void truncateToTimestampInAMultiPartAof() throws Exception {
        Path manifest = manifest("timed", TIMED_BASE, TIMED_INCR);
        Path incr = manifest.resolveSibling("i.aof");
        // Cut in the last file; nothing to cut; no cut asked (0); an invalid timestamp.
        for (String ts : new String[] {"350", "250", "400", "500", "0", "", "12x", " +7"}) {
            same("", incr, "--truncate-to-timestamp", ts, manifest.toString());
        }
        // Refused: in a file other than the last, and at the very start of a file.
        Path base = manifest.resolveSibling("b.aof");
        same("", base, "--truncate-to-timestamp", "150", manifest.toString());
        same("", base, "--truncate-to-timestamp", "50", manifest.toString());
        Files.writeString(incr, "#TS:300\r\n" + set("c", "3"));
        same("", incr, "--truncate-to-timestamp", "250", manifest.toString());
        // An invalid command still gets the usual report.
        Files.writeString(incr, TIMED_INCR + "*3\r\n$3\r\nset\r\n$1\r\n");
        same("", incr, "--truncate-to-timestamp", "500", manifest.toString());
        same("", incr, "--truncate-to-timestamp", "350", manifest.toString());
    }

    @Test
    void truncateToTimestampOfAManifestWithOnlyABase() throws Exception {
        Path manifest = manifest("base-only", TIMED_BASE, null);
        Path base = manifest.resolveSibling("b.aof");
        same("", base, manifest.toString());
        same("", base, "--truncate-to-timestamp", "300", manifest.toString());
        same("", base, "--truncate-to-timestamp", "150", manifest.toString());
    }

    @Test
    void truncateToTimestampInAnOldStyleAof() throws Exception {
        Path file = dir.resolve("old.aof");
        Files.writeString(file, TIMED_BASE);
        for (String ts : new String[] {"250", "150", "50", "-5"}) {
            same("", file, "--truncate-to-timestamp", ts, file.toString());
            Files.writeString(file, TIMED_BASE);
        }
        // Annotations as redis-check-aof reads them: blanks, signs, nothing, out of range, no CR.
        for (String annotation : new String[] {"#TS: 5\r\n", "#TS:+5\r\n", "#TS:\r\n", "#TS:-3\r\n", "#TS:5 \r\n",
            "#TS:99999999999999999999\r\n", "#TS:9\n", "#ts:5\r\n", "#TS:5abc\r\n", "#TS:3\r\n"}) {
            Files.writeString(file, set("a", "1") + annotation + set("b", "2"));
            same("", file, "--truncate-to-timestamp", "4", file.toString());
        }
    }

    private static final String[] TIMED_AOF = {"--appendonly", "yes", "--aof-timestamp-enabled", "yes",
        "--aof-use-rdb-preamble", "no"};

    /** Two writes in different seconds, so that the second gets its own annotation. */
    private static void writeInTwoSeconds(int port) {
        try (redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", port)) {
            jedis.set("a", "1");
            long first = Long.parseLong(jedis.time().getFirst());
            dev.cairn.testing.Eventually.until("a new second", () -> Long.parseLong(jedis.time().getFirst()) > first);
            jedis.set("b", "2");
        }
    }

    @Test
    void truncateToTimestampOfAnAofWrittenByRedis() throws Exception {
        List<String> options = new ArrayList<>(List.of("--dir", dir.toString()));
        options.addAll(List.of(TIMED_AOF));
        try (RealRedis redis = RealRedis.start(options.toArray(String[]::new))) {
            writeInTwoSeconds(redis.port());
        }
        cutAtEachTimestamp();
    }

    @Test
    void truncateToTimestampOfAnAofWrittenByCairn() throws Exception {
        List<String> options = new ArrayList<>(List.of("--dir", dir.toString()));
        options.addAll(List.of(TIMED_AOF));
        try (dev.cairn.testing.TestServer cairn = dev.cairn.testing.TestServer.start(options.toArray(String[]::new))) {
            writeInTwoSeconds(cairn.port());
        }
        cutAtEachTimestamp();
    }

    private void cutAtEachTimestamp() throws Exception {
        Path manifest = dir.resolve("appendonlydir").resolve("appendonly.aof.manifest");
        Path incr = manifest.resolveSibling("appendonly.aof.1.incr.aof");
        String text = Files.readString(incr, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("#TS:(\\d+)\r\n").matcher(text);
        List<Long> stamps = new ArrayList<>();
        while (m.find()) stamps.add(Long.parseLong(m.group(1)));
        for (long ts : new long[] {stamps.getFirst() - 1, stamps.getFirst(), stamps.getLast()}) {
            same("", incr, "--truncate-to-timestamp", Long.toString(ts), manifest.toString());
        }
    }

    @Test
    void usageAsRedisButForTheName() throws Exception {
        for (String[] args : new String[][] {{"--fix", "12", "x.aof"}, {"--fix", "--fix"}, {}, {"a", "b", "c", "d"}}) {
            Run theirs = redis("", args);
            Run ours = cairn("", args);
            String usage = theirs.output().replace(RealRedis.binary("redis-check-aof"), "cairn-check-aof");
            assertEquals(new Run(theirs.status(), usage), ours);
        }
    }

    @Test
    void rdbBaseWrittenByRedis() throws Exception {
        try (RealRedis redis = RealRedis.start("--dir", dir.toString(), "--appendonly", "yes");
                redis.clients.jedis.Jedis jedis = new redis.clients.jedis.Jedis("127.0.0.1", redis.port())) {
            jedis.set("a", "1");
            jedis.expire("a", 1000);
            jedis.bgrewriteaof();
            dev.cairn.testing.Eventually.until("the rewrite ends",
                    () -> jedis.info("persistence").contains("aof_rewrite_in_progress:0")
                            && jedis.info("persistence").contains("aof_rewrite_scheduled:0")
                            && jedis.info("persistence").contains("aof_rewrites:1"));
            jedis.set("b", "2");
        }
        Path manifest = dir.resolve("appendonlydir").resolve("appendonly.aof.manifest");
        same("", manifest, manifest.toString());
        Path incr = manifest.resolveSibling("appendonly.aof.2.incr.aof");
        Files.writeString(incr, "*1\r\n", StandardOpenOption.APPEND);
        same("y\n", incr, "--fix", manifest.toString());
    }
}
