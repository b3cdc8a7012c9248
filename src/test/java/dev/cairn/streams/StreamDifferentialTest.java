package dev.cairn.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RawConnection;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.TestServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Sends the same seeded random stream commands (consumer groups included) to Cairn and
 * to a real redis-server 7.0 and compares every reply byte for byte, over RESP2 and
 * RESP3. IDs are explicit (so generated IDs cannot differ) and the few values that
 * depend on the clock (idle times, delivery and seen times) are masked in the replies
 * that carry them: XPENDING's extended form, XINFO CONSUMERS and XINFO STREAM FULL.
 * DEBUG DIGEST-VALUE and MEMORY USAGE are compared too, so the nodes' layout must be
 * Redis's.
 */
class StreamDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 1500);

    @Test
    void randomCommandsOverResp2() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 11L), 2);
    }

    @Test
    void randomCommandsOverResp3() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 12L), 3);
    }

    /**
     * Big nodes without a size limit: master counts past 127 change their size in the
     * listpack, which Redis reallocates (MEMORY USAGE).
     */
    @Test
    void bigNodes() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 15L), 2, "--stream-node-max-entries", "1000", "--stream-node-max-bytes", "0");
    }

    /** Small nodes, so that node splits, approximate trims and node removals happen often. */
    @Test
    void smallNodes() throws IOException {
        compare(Long.getLong("cairn.diff.seed", 13L), 2, "--stream-node-max-entries", "5", "--stream-node-max-bytes", "120");
    }

    /**
     * The keyspace events of the stream commands, in order, as redis-server raises them
     * (xadd, xtrim, xdel, xsetid, xgroup-*, del, new...), over a random command sequence.
     */
    @Test
    void keyspaceEvents() throws IOException {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 14L));
        try (RealRedis real = RealRedis.start("--notify-keyspace-events", "KEA");
                TestServer cairn = TestServer.start("--notify-keyspace-events", "KEA");
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port());
                RawConnection expectedEvents = new RawConnection(real.port());
                RawConnection actualEvents = new RawConnection(cairn.port())) {
            for (RawConnection events : List.of(expectedEvents, actualEvents)) {
                events.call("PSUBSCRIBE", "__keyevent@0__:*");
                events.call("SUBSCRIBE", "done");
            }
            Generator g = new Generator(rnd);
            for (int i = 0; i < COMMANDS / 2; i++) {
                String[] command = g.next();
                if (command[0].equals("DEBUG")) continue;
                expected.call(command);
                actual.call(command);
            }
            expected.call("PUBLISH", "done", "end");
            actual.call("PUBLISH", "done", "end");
            assertEquals(eventsUntilDone(expectedEvents), eventsUntilDone(actualEvents));
        }
    }

    private static List<String> eventsUntilDone(RawConnection events) throws IOException {
        List<String> out = new ArrayList<>();
        while (true) {
            String message = events.readReply();
            if (message.contains("\r\ndone\r\n")) return out;
            out.add(message);
        }
    }

    private static void compare(long seed, int protocol, String... options) throws IOException {
        Random rnd = new Random(seed);
        List<String> serverOptions = new ArrayList<>(List.of("--enable-debug-command", "yes"));
        serverOptions.addAll(List.of(options));
        String[] opts = serverOptions.toArray(String[]::new);
        try (RealRedis real = RealRedis.start(opts);
                TestServer cairn = TestServer.start(opts);
                RawConnection expected = new RawConnection(real.port());
                RawConnection actual = new RawConnection(cairn.port())) {
            if (protocol == 3) {
                expected.call("HELLO", "3");
                actual.call("HELLO", "3");
            }
            Generator g = new Generator(rnd);
            for (int i = 0; i < COMMANDS; i++) {
                String[] command = g.next();
                String want = RespMask.mask(command, expected.call(command));
                String got = RespMask.mask(command, actual.call(command));
                assertEquals(want, got, "#" + i + " " + String.join(" ", command));
            }
        }
    }

    /** Random stream commands over a few keys, groups and consumers. */
    private static final class Generator {
        private final Random rnd;
        /** The next millisecond part for XADD, growing slowly so sequences collide. */
        private long ms = 1;

        Generator(Random rnd) {
            this.rnd = rnd;
        }

        private String key() {
            int k = rnd.nextInt(10);
            return k < 7 ? "s" + (k % 3) : k == 7 ? "str" : "s" + k;
        }

        private String group() {
            return "g" + rnd.nextInt(3);
        }

        private String consumer() {
            return "c" + rnd.nextInt(4);
        }

        private String id() {
            long m = Math.max(0, ms - rnd.nextInt(8));
            return switch (rnd.nextInt(12)) {
                case 0 -> "-";
                case 1 -> "+";
                case 2 -> String.valueOf(m);
                case 3 -> "0-0";
                case 4 -> "bad";
                case 5 -> "(" + m + "-" + rnd.nextInt(3);
                case 6 -> "18446744073709551615-18446744073709551615";
                default -> m + "-" + rnd.nextInt(3);
            };
        }

        private String count() {
            return String.valueOf(rnd.nextInt(8) - 1);
        }

        private void trim(List<String> c) {
            boolean maxlen = rnd.nextBoolean();
            c.add(maxlen ? "MAXLEN" : "MINID");
            int op = rnd.nextInt(3);
            if (op == 1) c.add("=");
            if (op == 2) c.add("~");
            c.add(maxlen ? String.valueOf(rnd.nextInt(12) - (rnd.nextInt(20) == 0 ? 2 : 0)) : id());
            if (rnd.nextInt(4) == 0) {
                c.add("LIMIT");
                c.add(String.valueOf(rnd.nextInt(6)));
            }
        }

        String[] next() {
            List<String> c = new ArrayList<>();
            int pick = rnd.nextInt(100);
            if (pick < 30) {
                c.add("XADD");
                c.add(key());
                if (rnd.nextInt(10) == 0) c.add("NOMKSTREAM");
                if (rnd.nextInt(5) == 0) trim(c);
                if (rnd.nextInt(8) == 0) {
                    c.add(rnd.nextBoolean() ? ms + "-*" : id());
                } else {
                    ms += rnd.nextInt(3);
                    c.add(ms + "-" + rnd.nextInt(4));
                }
                int fields = 1 + rnd.nextInt(3);
                // The same field names often, so entries share their node's master fields.
                for (int f = 0; f < fields; f++) {
                    c.add("f" + (rnd.nextInt(4) == 0 ? rnd.nextInt(5) : f));
                    c.add(rnd.nextInt(3) == 0 ? String.valueOf(rnd.nextInt(2000) - 1000) : "v".repeat(rnd.nextInt(30)));
                }
                if (rnd.nextInt(40) == 0) c.removeLast();
            } else if (pick < 33) {
                c.addAll(List.of("XLEN", key()));
            } else if (pick < 40) {
                boolean rev = rnd.nextBoolean();
                c.addAll(List.of(rev ? "XREVRANGE" : "XRANGE", key(), id(), id()));
                if (rnd.nextBoolean()) c.addAll(List.of("COUNT", count()));
            } else if (pick < 44) {
                c.addAll(List.of("XDEL", key()));
                for (int n = rnd.nextInt(3) + 1; n > 0; n--) c.add(id());
            } else if (pick < 47) {
                c.addAll(List.of("XTRIM", key()));
                trim(c);
            } else if (pick < 49) {
                c.addAll(List.of("XSETID", key(), id()));
                if (rnd.nextBoolean()) c.addAll(List.of("ENTRIESADDED", String.valueOf(rnd.nextInt(40) - 1)));
                if (rnd.nextBoolean()) c.addAll(List.of("MAXDELETEDID", id()));
            } else if (pick < 54) {
                c.add("XREAD");
                if (rnd.nextBoolean()) c.addAll(List.of("COUNT", count()));
                c.add("STREAMS");
                int n = 1 + rnd.nextInt(2);
                for (int k = 0; k < n; k++) c.add(key());
                for (int k = 0; k < n; k++) c.add(rnd.nextInt(4) == 0 ? "$" : id());
            } else if (pick < 62) {
                c.add("XGROUP");
                switch (rnd.nextInt(6)) {
                    case 0, 1 -> {
                        c.addAll(List.of("CREATE", key(), group(), rnd.nextInt(3) == 0 ? "$" : id()));
                        if (rnd.nextBoolean()) c.add("MKSTREAM");
                        if (rnd.nextInt(3) == 0) c.addAll(List.of("ENTRIESREAD", String.valueOf(rnd.nextInt(10) - 2)));
                    }
                    case 2 -> {
                        c.addAll(List.of("SETID", key(), group(), rnd.nextInt(3) == 0 ? "$" : id()));
                        if (rnd.nextBoolean()) c.addAll(List.of("ENTRIESREAD", String.valueOf(rnd.nextInt(10) - 2)));
                    }
                    case 3 -> c.addAll(List.of("DESTROY", key(), group()));
                    case 4 -> c.addAll(List.of("CREATECONSUMER", key(), group(), consumer()));
                    default -> c.addAll(List.of("DELCONSUMER", key(), group(), consumer()));
                }
            } else if (pick < 74) {
                c.addAll(List.of("XREADGROUP", "GROUP", group(), consumer()));
                if (rnd.nextBoolean()) c.addAll(List.of("COUNT", count()));
                if (rnd.nextInt(5) == 0) c.add("NOACK");
                c.add("STREAMS");
                int n = 1 + rnd.nextInt(2);
                for (int k = 0; k < n; k++) c.add(key());
                for (int k = 0; k < n; k++) c.add(rnd.nextInt(3) == 0 ? id() : ">");
            } else if (pick < 79) {
                c.addAll(List.of("XACK", key(), group()));
                for (int n = rnd.nextInt(3) + 1; n > 0; n--) c.add(id());
            } else if (pick < 84) {
                c.addAll(List.of("XPENDING", key(), group()));
                if (rnd.nextBoolean()) {
                    if (rnd.nextInt(4) == 0) c.addAll(List.of("IDLE", "0"));
                    c.addAll(List.of(id(), id(), count()));
                    if (rnd.nextBoolean()) c.add(consumer());
                }
            } else if (pick < 89) {
                c.addAll(List.of("XCLAIM", key(), group(), consumer(), "0"));
                for (int n = rnd.nextInt(3) + 1; n > 0; n--) c.add(id());
                if (rnd.nextInt(3) == 0) c.add("JUSTID");
                if (rnd.nextInt(4) == 0) c.add("FORCE");
                if (rnd.nextInt(4) == 0) c.addAll(List.of("RETRYCOUNT", String.valueOf(rnd.nextInt(5))));
                if (rnd.nextInt(5) == 0) c.addAll(List.of("LASTID", id()));
            } else if (pick < 93) {
                c.addAll(List.of("XAUTOCLAIM", key(), group(), consumer(), "0", id()));
                if (rnd.nextBoolean()) c.addAll(List.of("COUNT", String.valueOf(rnd.nextInt(5))));
                if (rnd.nextInt(3) == 0) c.add("JUSTID");
            } else if (pick < 97) {
                c.add("XINFO");
                switch (rnd.nextInt(4)) {
                    case 0 -> c.addAll(List.of("STREAM", key()));
                    case 1 -> {
                        c.addAll(List.of("STREAM", key(), "FULL"));
                        if (rnd.nextBoolean()) c.addAll(List.of("COUNT", count()));
                    }
                    case 2 -> c.addAll(List.of("GROUPS", key()));
                    default -> c.addAll(List.of("CONSUMERS", key(), group()));
                }
            } else if (pick < 98) {
                c.addAll(List.of("DEBUG", "DIGEST-VALUE", key()));
            } else if (pick < 99) {
                c.addAll(List.of("MEMORY", "USAGE", key()));
            } else {
                c.addAll(List.of("SET", "str", "x"));
            }
            return c.toArray(String[]::new);
        }
    }
}
