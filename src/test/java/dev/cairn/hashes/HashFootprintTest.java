package dev.cairn.hashes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * MEMORY USAGE and DEBUG DIGEST-VALUE of hashes against the real server: a listpack's
 * size as Redis encodes it (integers of every width, strings around the length-header
 * limits), a table's dict, buckets and sampled entries, and digests that do not depend
 * on the encoding.
 */
class HashFootprintTest {
    /** Runs the same commands on both servers and asserts every reply is the same. */
    private static void sameOnBoth(List<String[]> commands) throws IOException {
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String[] command : commands) {
                assertEquals(expected.call(command), actual.call(command), String.join(" ", command));
            }
        }
    }

    @Test
    void listpackSizes() throws IOException {
        List<String[]> commands = new ArrayList<>();
        String[] values = {
            "0", "127", "128", "-1", "-4096", "4095", "4096", "-32768", "32767", "32768", "-8388608", "8388607",
            "8388608", "2147483647", "-2147483649", "9223372036854775807", "-9223372036854775808", "007", "-0",
            "1.5", "", "x".repeat(63), "x".repeat(64), "x".repeat(127), "x".repeat(4095), "x".repeat(4096),
            "x".repeat(20000)
        };
        commands.add(new String[] {"CONFIG", "SET", "hash-max-listpack-value", "100000"});
        for (int i = 0; i < values.length; i++) {
            commands.add(new String[] {"HSET", "one" + i, "f", values[i]});
            commands.add(new String[] {"MEMORY", "USAGE", "one" + i});
            commands.add(new String[] {"HSET", "all", values[i], values[i]});
            commands.add(new String[] {"MEMORY", "USAGE", "all"});
            commands.add(new String[] {"OBJECT", "ENCODING", "all"});
        }
        commands.add(new String[] {"HDEL", "all", "0", "x".repeat(4096)});
        commands.add(new String[] {"MEMORY", "USAGE", "all"});
        commands.add(new String[] {"DEBUG", "DIGEST-VALUE", "all", "one3", "none"});
        sameOnBoth(commands);
    }

    @Test
    void tableSizesWithSamples() throws IOException {
        List<String[]> commands = new ArrayList<>();
        List<String> hset = new ArrayList<>(List.of("HSET", "big"));
        for (int i = 0; i < 600; i++) {
            hset.add(String.format("f%03d", i));
            hset.add(String.format("v%03d", i));
        }
        commands.add(hset.toArray(String[]::new));
        commands.add(new String[] {"OBJECT", "ENCODING", "big"});
        commands.add(new String[] {"MEMORY", "USAGE", "big"});
        commands.add(new String[] {"MEMORY", "USAGE", "big", "SAMPLES", "0"});
        commands.add(new String[] {"MEMORY", "USAGE", "big", "SAMPLES", "1"});
        commands.add(new String[] {"DEBUG", "DIGEST-VALUE", "big"});
        commands.add(new String[] {"CONFIG", "SET", "hash-max-listpack-value", "3"});
        commands.add(new String[] {"HSET", "long", "field", "a-long-value-past-the-limit"});
        commands.add(new String[] {"OBJECT", "ENCODING", "long"});
        commands.add(new String[] {"MEMORY", "USAGE", "long"});
        commands.add(new String[] {"DEBUG", "DIGEST-VALUE", "long"});
        sameOnBoth(commands);
    }

    @Test
    void digestIsTheSameForEitherEncoding() throws IOException {
        List<String[]> commands = new ArrayList<>();
        commands.add(new String[] {"HSET", "small", "a", "1", "b", "2", "c", "3"});
        commands.add(new String[] {"CONFIG", "SET", "hash-max-listpack-entries", "1"});
        commands.add(new String[] {"HSET", "table", "c", "3", "b", "2", "a", "1"});
        commands.add(new String[] {"OBJECT", "ENCODING", "table"});
        commands.add(new String[] {"DEBUG", "DIGEST-VALUE", "small", "table"});
        commands.add(new String[] {"EXPIRE", "table", "1000"});
        commands.add(new String[] {"DEBUG", "DIGEST-VALUE", "table"});
        commands.add(new String[] {"DEBUG", "DIGEST"});
        sameOnBoth(commands);
    }
}
