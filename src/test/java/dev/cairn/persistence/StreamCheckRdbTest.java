package dev.cairn.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cairn-check-rdb on a file with streams (nodes, groups, PELs, consumers) reports what redis-check-rdb reports. */
class StreamCheckRdbTest {
    @TempDir
    Path dir;

    @Test
    void reportsAsRedisCheckRdb() throws Exception {
        try (RealRedis real = RealRedis.start("--dir", dir.toString(), "--dbfilename", "s.rdb");
                RawConnection r = new RawConnection(real.port())) {
            for (int i = 1; i <= 250; i++) r.call("XADD", "s", i + "-0", "f", "v" + i);
            r.call("XDEL", "s", "7-0");
            r.call("XGROUP", "CREATE", "s", "g", "0");
            r.call("XREADGROUP", "GROUP", "g", "c", "COUNT", "3", "STREAMS", "s", ">");
            r.call("XGROUP", "CREATE", "empty", "g", "$", "MKSTREAM");
            r.call("SAVE");
        }
        Path file = dir.resolve("s.rdb");
        Process check = new ProcessBuilder(RealRedis.binary("redis-check-rdb"), file.toString())
                .redirectErrorStream(true).start();
        String expected = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        check.waitFor();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new CheckRdb(new PrintStream(bytes, true, StandardCharsets.UTF_8)).check(file.toString());
        assertEquals(expected, bytes.toString(StandardCharsets.UTF_8));
    }
}
