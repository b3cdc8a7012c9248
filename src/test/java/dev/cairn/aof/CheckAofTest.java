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
 * answered yes and no. Output and exit status must be equal.
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
        boolean fix = args[0].equals("--fix");
        boolean ok = new dev.cairn.persistence.CheckAofAccess(out, fix, stdin).check(args[args.length - 1]);
        return new Run(ok ? 0 : 1, bytes.toString(StandardCharsets.ISO_8859_1));
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
