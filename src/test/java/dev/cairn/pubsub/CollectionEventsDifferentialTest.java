package dev.cairn.pubsub;

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
 * The keyspace events of the list, hash, set, sorted set and SORT commands against a real
 * redis-server 7.0, with {@code notify-keyspace-events KEA}: seeded random commands over a
 * few keys (pushes, pops that empty a key, STORE destinations, type errors; SPOP always
 * takes every member, so that both servers pop the same), and after
 * each one the replies and every event raised, in order, must be the same.
 *
 * <p>A subscriber on each server listens to {@code __key*__:*} and to a marker channel;
 * after each command a PUBLISH on the marker ends that command's events.
 */
class CollectionEventsDifferentialTest {
    private static final int COMMANDS = Integer.getInteger("cairn.diff.commands", 1200);
    private static final String[] KEYS = {"a", "b", "c"};

    @Test
    void collectionCommandsRaiseRedissEvents() throws IOException {
        Random rnd = new Random(Long.getLong("cairn.diff.seed", 2026L));
        try (RealRedis real = RealRedis.start();
                TestServer cairn = TestServer.start();
                Side expected = new Side(real.port());
                Side actual = new Side(cairn.port())) {
            List<String> history = new ArrayList<>();
            for (int i = 0; i < COMMANDS; i++) {
                String[] command = command(rnd);
                history.add(String.join(" ", command));
                String context = String.join("\n", history.subList(Math.max(0, history.size() - 30), history.size()));
                assertEquals(expected.run(command), actual.run(command), context);
            }
        }
    }

    /** One server: a connection for commands and a subscriber for the events. */
    private static final class Side implements AutoCloseable {
        final RawConnection commands;
        final RawConnection events;

        Side(int port) throws IOException {
            commands = new RawConnection(port);
            events = new RawConnection(port);
            commands.call("CONFIG", "SET", "notify-keyspace-events", "KEA");
            events.call("PSUBSCRIBE", "__key*__:*");
            events.call("SUBSCRIBE", "marker");
        }

        /** The command's reply, then the events it raised, one per line. */
        String run(String[] command) throws IOException {
            String reply = commands.call(command);
            if (command[0].equals("SPOP")) {
                // It pops all members (count over the size) in the set's own order.
                List<String> lines = new ArrayList<>(List.of(reply.split("\r\n")));
                lines.sort(null);
                reply = String.join(" ", lines) + "\n";
            }
            StringBuilder out = new StringBuilder(reply);
            commands.call("PUBLISH", "marker", "end");
            while (true) {
                String frame = events.readReply();
                if (frame.contains("$6\r\nmarker\r\n")) break;
                out.append(frame.replace("\r\n", " ")).append('\n');
            }
            return out.toString();
        }

        @Override
        public void close() throws IOException {
            commands.close();
            events.close();
        }
    }

    private static String[] command(Random rnd) {
        String k = KEYS[rnd.nextInt(KEYS.length)];
        String o = KEYS[rnd.nextInt(KEYS.length)];
        String m = "m" + rnd.nextInt(4);
        String n = Integer.toString(rnd.nextInt(3));
        return switch (rnd.nextInt(44)) {
            case 0 -> new String[] {"LPUSH", k, m, m};
            case 1 -> new String[] {"RPUSH", k, m};
            case 2 -> new String[] {"LPUSHX", k, m};
            case 3 -> new String[] {"LPOP", k};
            case 4 -> new String[] {"RPOP", k, n};
            case 5 -> new String[] {"LSET", k, "0", m};
            case 6 -> new String[] {"LREM", k, "0", m};
            case 7 -> new String[] {"LTRIM", k, "1", "-1"};
            case 8 -> new String[] {"LINSERT", k, "BEFORE", m, "x"};
            case 9 -> new String[] {"LMOVE", k, o, "LEFT", "RIGHT"};
            case 10 -> new String[] {"RPOPLPUSH", k, o};
            case 11 -> new String[] {"LMPOP", "2", k, o, "LEFT", "COUNT", n.equals("0") ? "1" : n};
            case 12 -> new String[] {"BLPOP", k, o, "0.01"};
            case 13 -> new String[] {"HSET", k, m, n};
            case 14 -> new String[] {"HSETNX", k, m, n};
            case 15 -> new String[] {"HDEL", k, m, "m0"};
            case 16 -> new String[] {"HINCRBY", k, m, "2"};
            case 17 -> new String[] {"HINCRBYFLOAT", k, m, "1.5"};
            case 18 -> new String[] {"SADD", k, m, n};
            case 19 -> new String[] {"SREM", k, m};
            case 20 -> new String[] {"SPOP", k, "10"};
            case 21 -> new String[] {"SMOVE", k, o, m};
            case 22 -> new String[] {"SINTERSTORE", k, o, "c"};
            case 23 -> new String[] {"SUNIONSTORE", k, o};
            case 24 -> new String[] {"SDIFFSTORE", k, o, k};
            case 25 -> new String[] {"ZADD", k, n, m};
            case 26 -> new String[] {"ZADD", k, "INCR", n, m};
            case 27 -> new String[] {"ZINCRBY", k, n, m};
            case 28 -> new String[] {"ZREM", k, m};
            case 29 -> new String[] {"ZREMRANGEBYRANK", k, "0", "0"};
            case 30 -> new String[] {"ZREMRANGEBYSCORE", k, "1", "2"};
            case 31 -> new String[] {"ZREMRANGEBYLEX", k, "-", "[m1"};
            case 32 -> new String[] {"ZPOPMIN", k};
            case 33 -> new String[] {"ZPOPMAX", k, n};
            case 34 -> new String[] {"ZMPOP", "2", k, o, "MIN"};
            case 35 -> new String[] {"ZUNIONSTORE", k, "2", k, o};
            case 36 -> new String[] {"ZINTERSTORE", k, "2", o, "c"};
            case 37 -> new String[] {"ZDIFFSTORE", k, "1", o};
            case 38 -> new String[] {"ZRANGESTORE", k, o, "0", "-1"};
            case 39 -> new String[] {"BZPOPMIN", k, "0.01"};
            case 40 -> new String[] {"SORT", o, "ALPHA", "STORE", k};
            case 41 -> new String[] {"DEL", k};
            case 42 -> new String[] {"SET", k, "str"};
            default -> new String[] {"EXPIRE", k, "100"};
        };
    }
}
