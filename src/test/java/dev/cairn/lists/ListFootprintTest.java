package dev.cairn.lists;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * MEMORY USAGE and DEBUG DIGEST-VALUE of lists against the real server: lists of many
 * quicklist nodes built by RPUSH or by LPUSH (elements of every listpack encoding size, small
 * integers to strings longer than a node), under several list-max-listpack-size settings
 * and sample counts, OBJECT ENCODING, and the lists' contents read back with LRANGE.
 */
class ListFootprintTest {
    @Test
    void memoryUsageAndDigestMatchRedis() throws IOException {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 42L));
        try (RealRedis real = RealRedis.start("--enable-debug-command", "yes");
                TestServer cairn = TestServer.start("--enable-debug-command", "yes");
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            for (String fill : new String[] {"-2", "-1", "-5", "5", "128"}) {
                same(expected, actual, List.of("FLUSHALL"));
                same(expected, actual, List.of("CONFIG", "SET", "list-max-listpack-size", fill));
                for (int i = 0; i < 400; i++) {
                    int key = rnd.nextInt(4);
                    // Two lists grow at the tail, two at the head.
                    List<String> push = new ArrayList<>(List.of(key % 2 == 0 ? "RPUSH" : "LPUSH", "k" + key));
                    int n = 1 + rnd.nextInt(6);
                    for (int j = 0; j < n; j++) push.add(element(rnd));
                    same(expected, actual, push);
                }
                for (int k = 0; k < 4; k++) {
                    String key = "k" + k;
                    same(expected, actual, List.of("MEMORY", "USAGE", key));
                    same(expected, actual, List.of("MEMORY", "USAGE", key, "SAMPLES", "0"));
                    same(expected, actual, List.of("MEMORY", "USAGE", key, "SAMPLES", "2"));
                    same(expected, actual, List.of("DEBUG", "DIGEST-VALUE", key));
                    same(expected, actual, List.of("OBJECT", "ENCODING", key));
                    same(expected, actual, List.of("LRANGE", key, "0", "-1"));
                }
            }
        }
    }

    private static String element(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> Long.toString(rnd.nextInt(300) - 150);
            case 1 -> Long.toString(rnd.nextLong() >> rnd.nextInt(64));
            case 2 -> "x".repeat(rnd.nextInt(70));
            case 3 -> "y".repeat(60 + rnd.nextInt(300));
            case 4 -> "z".repeat(4000 + rnd.nextInt(300));
            case 5 -> rnd.nextInt(20) == 0 ? "w".repeat(17000) : "007";
            default -> "e" + rnd.nextInt(1000);
        };
    }

    private static void same(RawConnection expected, RawConnection actual, List<String> command) throws IOException {
        List<byte[]> args = new ArrayList<>();
        for (String a : command) args.add(a.getBytes(StandardCharsets.ISO_8859_1));
        byte[] request = RawConnection.request(args);
        String shown = command.size() > 6 ? String.join(" ", command.subList(0, 2)) + " ..." : String.join(" ", command);
        assertEquals(expected.send(request).readReply(), actual.send(request).readReply(), shown);
    }
}
