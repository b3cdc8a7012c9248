package dev.cairn.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RealRedis;
import dev.cairn.testing.RedisCli;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;

/**
 * The redis-cli sessions of the seed documents, replayed with the real redis-cli against
 * Cairn: each {@code 127.0.0.1:6379> command} line is sent and the lines after it are the
 * exact output expected (redis-cli's --no-raw format, as in an interactive session).
 * Sessions are transcribed from shared/seeds; where the seed's replies depend on how long
 * the author waited (TTL countdowns), the commands follow each other at once instead.
 */
class SeedSessionsTest {
    @RegisterExtension
    static final ServerFixture cairn = ServerFixture.cairn();

    /** Replays a transcript and asserts redis-cli printed exactly the expected replies. */
    private static void replay(String transcript) {
        StringBuilder commands = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        for (String line : transcript.strip().split("\n")) {
            if (line.startsWith("127.0.0.1:6379> ")) {
                commands.append(line.substring("127.0.0.1:6379> ".length()).strip()).append('\n');
            } else {
                expected.append(line).append('\n');
            }
        }
        String output = RedisCli.run(cairn.port(), commands.toString(), "--no-raw");
        assertEquals(expected.toString(), output, "transcript:\n" + transcript);
    }

    @Test
    void seed002StringsSession() {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> set k1 hello
                OK
                127.0.0.1:6379> get k1
                "hello"
                127.0.0.1:6379> append k1 " world"
                (integer) 11
                127.0.0.1:6379> get k1
                "hello world"
                127.0.0.1:6379> getrange k1 1 4
                "ello"
                127.0.0.1:6379> GETRANGE k1 6 -1
                "world"
                127.0.0.1:6379> GETRANGE k1 0 -1
                "hello world"
                127.0.0.1:6379> SETRANGE k1 6 WCX
                (integer) 11
                127.0.0.1:6379> GET k1
                "hello WCXld"
                127.0.0.1:6379> SETRANGE k1 6 WCXyyy
                (integer) 12
                127.0.0.1:6379> GET k1
                "hello WCXyyy"
                127.0.0.1:6379> STRLEN k1
                (integer) 12
                127.0.0.1:6379> type k1
                string
                """);
    }

    @Test
    void seed002NumbersAndEncodingsSession() {
        replay("""
                127.0.0.1:6379> FLUSHDB
                OK
                127.0.0.1:6379> set k1 99
                OK
                127.0.0.1:6379> type k1
                string
                127.0.0.1:6379> set k2 wcx
                OK
                127.0.0.1:6379> type k2
                string
                127.0.0.1:6379> OBJECT encoding k1
                "int"
                127.0.0.1:6379> OBJECT encoding k2
                "embstr"
                127.0.0.1:6379> INCR k1
                (integer) 100
                127.0.0.1:6379> get k1
                "100"
                127.0.0.1:6379> GETRANGE k1 0 1
                "10"
                127.0.0.1:6379> INCR k1
                (integer) 101
                127.0.0.1:6379> INCRBY k1 100
                (integer) 201
                127.0.0.1:6379> DECR k1
                (integer) 200
                127.0.0.1:6379> DECRBY k1 100
                (integer) 100
                127.0.0.1:6379> INCRBYFLOAT k1 0.5
                "100.5"
                127.0.0.1:6379> INCRBYFLOAT k1 -0.5
                "100"
                127.0.0.1:6379> set k2 99
                OK
                127.0.0.1:6379> OBJECT encoding k2
                "int"
                127.0.0.1:6379> APPEND k2 9
                (integer) 3
                127.0.0.1:6379> OBJECT encoding k2
                "raw"
                127.0.0.1:6379> INCR k2
                (integer) 1000
                127.0.0.1:6379> OBJECT encoding k2
                "int"
                127.0.0.1:6379> INCRBYFLOAT k2 0.5
                "1000.5"
                127.0.0.1:6379> OBJECT encoding k2
                "embstr"
                127.0.0.1:6379> set k3 a
                OK
                127.0.0.1:6379> STRLEN k3
                (integer) 1
                127.0.0.1:6379> APPEND k3 中
                (integer) 4
                127.0.0.1:6379> STRLEN k3
                (integer) 4
                127.0.0.1:6379> get k3
                "a\\xe4\\xb8\\xad"
                """);
    }

    @Test
    void seed002MultiKeySession() {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> set k1 hello
                OK
                127.0.0.1:6379> getset k1 wcxyyy
                "hello"
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> MSETNX k1 a k2 b
                (integer) 1
                127.0.0.1:6379> MGET k1 k2
                1) "a"
                2) "b"
                127.0.0.1:6379> MSETNX k3 c k2 d
                (integer) 0
                127.0.0.1:6379> MGET k1 k2 k3
                1) "a"
                2) "b"
                3) (nil)
                """);
    }

    @Test
    void seed002BitmapSession() {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> SETBIT k1 1 1
                (integer) 0
                127.0.0.1:6379> get k1
                "@"
                127.0.0.1:6379> STRLEN k1
                (integer) 1
                127.0.0.1:6379> SETBIT k1 7 1
                (integer) 0
                127.0.0.1:6379> SETBIT k1 9 1
                (integer) 0
                127.0.0.1:6379> GET k1
                "A@"
                127.0.0.1:6379> SETBIT k3 9 1
                (integer) 0
                127.0.0.1:6379> BITPOS k3 1 0 0
                (integer) -1
                127.0.0.1:6379> BITPOS k3 1 0 1
                (integer) 9
                127.0.0.1:6379> BITPOS k3 1 1 1
                (integer) 9
                127.0.0.1:6379> SETBIT k4 1 1
                (integer) 0
                127.0.0.1:6379> SETBIT k4 7 1
                (integer) 0
                127.0.0.1:6379> SETBIT k4 9 1
                (integer) 0
                127.0.0.1:6379> SETBIT k4 14 1
                (integer) 0
                127.0.0.1:6379> BITCOUNT k4 0 0
                (integer) 2
                127.0.0.1:6379> BITCOUNT k4 0 1
                (integer) 4
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> SETBIT k1 1 1
                (integer) 0
                127.0.0.1:6379> SETBIT k1 7 1
                (integer) 0
                127.0.0.1:6379> SETBIT k2 1 1
                (integer) 0
                127.0.0.1:6379> SETBIT k2 6 1
                (integer) 0
                127.0.0.1:6379> BITOP and k3 k1 k2
                (integer) 1
                127.0.0.1:6379> GET k3
                "@"
                127.0.0.1:6379> BITOP or k4 k1 k2
                (integer) 1
                127.0.0.1:6379> GET k4
                "C"
                """);
    }

    @Test
    void seed000ExpirySession() {
        // Reads do not extend a TTL, a write removes it, EXPIRE takes seconds from now.
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> set k1 aaa ex 20
                OK
                127.0.0.1:6379> ttl k1
                (integer) 20
                127.0.0.1:6379> get k1
                "aaa"
                127.0.0.1:6379> ttl k1
                (integer) 20
                127.0.0.1:6379> set k2 aaa ex 20
                OK
                127.0.0.1:6379> ttl k2
                (integer) 20
                127.0.0.1:6379> set k2 bbb
                OK
                127.0.0.1:6379> ttl k2
                (integer) -1
                127.0.0.1:6379> get k2
                "bbb"
                127.0.0.1:6379> EXPIRE k1 1680499154
                (integer) 1
                127.0.0.1:6379> ttl k1
                (integer) 1680499154
                127.0.0.1:6379> set k1 bb
                OK
                127.0.0.1:6379> ttl k1
                (integer) -1
                127.0.0.1:6379> EXPIRE k1 -1
                (integer) 1
                127.0.0.1:6379> get k1
                (nil)
                127.0.0.1:6379> ttl k1
                (integer) -2
                """);
    }

    @Test
    void seed002ListPushPopSession() {
        // The seed starts from an empty database; FLUSHALL makes that explicit.
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> LPUSH k1 a b c d
                (integer) 4
                127.0.0.1:6379> RPUSH k2 a b c d
                (integer) 4
                127.0.0.1:6379> LPOP k1
                "d"
                127.0.0.1:6379> LPOP k2
                "a"
                127.0.0.1:6379> RPOP k1
                "a"
                127.0.0.1:6379> RPOP k2
                "d"
                127.0.0.1:6379> LRANGE k1 0 -1
                1) "c"
                2) "b"
                """);
    }

    @Test
    void seed002ListIndexRemoveInsertSession() {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> LPUSH k1 a b c d
                (integer) 4
                127.0.0.1:6379> LRANGE k1 0 -1
                1) "d"
                2) "c"
                3) "b"
                4) "a"
                127.0.0.1:6379> LINDEX k1 2
                "b"
                127.0.0.1:6379> LSET k1 2 wcx
                OK
                127.0.0.1:6379> LRANGE k1 0 -1
                1) "d"
                2) "c"
                3) "wcx"
                4) "a"
                127.0.0.1:6379> LPUSH k3 a b c a d f a d a
                (integer) 9
                127.0.0.1:6379> LRANGE k3 0 -1
                1) "a"
                2) "d"
                3) "a"
                4) "f"
                5) "d"
                6) "a"
                7) "c"
                8) "b"
                9) "a"
                127.0.0.1:6379> LREM k3 2 a
                (integer) 2
                127.0.0.1:6379> LRANGE k3 0 -1
                1) "d"
                2) "f"
                3) "d"
                4) "a"
                5) "c"
                6) "b"
                7) "a"
                127.0.0.1:6379> LINSERT k3 before d a
                (integer) 8
                127.0.0.1:6379> LINSERT k3 after d a
                (integer) 9
                127.0.0.1:6379> LRANGE k3 0 -1
                1) "a"
                2) "d"
                3) "a"
                4) "f"
                5) "d"
                6) "a"
                7) "c"
                8) "b"
                9) "a"
                127.0.0.1:6379> LREM k3 -2 a
                (integer) 2
                127.0.0.1:6379> LRANGE k3 0 -1
                1) "a"
                2) "d"
                3) "a"
                4) "f"
                5) "d"
                6) "c"
                7) "b"
                127.0.0.1:6379> LLEN k3
                (integer) 7
                """);
    }

    @Test
    void seed002BlpopWithTwoClients() throws Exception {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                """);
        // Client 1 blocks on the missing k1 (redis-cli's "(12.48s)" timing is only shown
        // interactively); client 2's LPUSH then serves it the head, "c".
        CompletableFuture<String> client1 = CompletableFuture.supplyAsync(
                () -> RedisCli.run(cairn.port(), "BLPOP k1 0\n", "--no-raw"));
        try (Jedis watcher = new Jedis("127.0.0.1", cairn.port())) {
            Eventually.until("client 1 blocked", () -> watcher.info("clients").contains("blocked_clients:1"));
        }
        replay("""
                127.0.0.1:6379> LPUSH k1 a b c
                (integer) 3
                """);
        // redis-cli adds the wait, as in the seed's "(12.48s)", when it took half a second or more.
        String output = client1.get(30, TimeUnit.SECONDS);
        assertTrue(output.matches("1\\) \"k1\"\n2\\) \"c\"\n(\\(\\d+\\.\\d\\ds\\)\n)?"), output);
    }

    @Test
    void seed002LtrimSession() {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> LPUSH k2 a b c d e f
                (integer) 6
                127.0.0.1:6379> LTRIM k2 1 -2
                OK
                127.0.0.1:6379> LRANGE k2 0 -1
                1) "e"
                2) "d"
                3) "c"
                4) "b"
                """);
    }

    /** Runs a shell pipeline and returns its standard output. */
    private static String shell(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("shell command did not finish: " + script);
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    @Test
    void seed002PipeliningWithNc() throws Exception {
        int port = cairn.port();
        assertEquals("+OK\r\n:100\r\n$3\r\n100\r\n",
                shell("echo -e \"set k2 99\\nincr k2\\nget k2\" | nc -N localhost " + port));
        assertEquals("+OK\r\n+OK\r\n+OK\r\n+OK\r\n",
                shell("echo -e \"flushall \\n set k1 1 \\n set k2 2 \\n set k3 3\" | nc -N localhost " + port));
        assertEquals("*1\r\n$3\r\nwcx\r\n+OK\r\n",
                shell("echo -e \"flushall\\nset wcx 1\" | nc -N localhost " + port + " >/dev/null; "
                        + "echo -e \"keys *\\nset k2 www\" | nc -N localhost " + port));
    }

    /**
     * Plays part of a transcript on one of several open redis-cli sessions: each command
     * line is sent and the lines after it must be exactly what that client printed.
     */
    private static void play(RedisCli.Session client, String transcript) {
        String command = null;
        StringBuilder expected = new StringBuilder();
        for (String line : (transcript.strip() + "\n127.0.0.1:6379> ").split("\n")) {
            if (line.startsWith("127.0.0.1:6379> ")) {
                if (command != null) {
                    assertEquals(command + "\n" + expected, command + "\n" + client.send(command, expected.toString()));
                }
                command = line.substring("127.0.0.1:6379> ".length()).strip();
                expected.setLength(0);
            } else {
                expected.append(line).append('\n');
            }
        }
    }

    /** Seed 000: two clients' transactions queue side by side; whoever sends EXEC first runs first. */
    @Test
    void seed000TransactionsOfTwoClients() {
        for (boolean secondExecutesFirst : new boolean[] {true, false}) {
            try (RedisCli.Session one = RedisCli.open(cairn.port(), "--no-raw");
                    RedisCli.Session two = RedisCli.open(cairn.port(), "--no-raw")) {
                play(one, """
                        127.0.0.1:6379> FLUSHALL
                        OK
                        127.0.0.1:6379> set k1 aaaa
                        OK
                        127.0.0.1:6379> MULTI
                        OK
                        127.0.0.1:6379> get k1
                        QUEUED
                        """);
                play(two, """
                        127.0.0.1:6379> MULTI
                        OK
                        127.0.0.1:6379> DEL k1
                        QUEUED
                        """);
                if (secondExecutesFirst) {
                    // The first transaction then no longer finds k1.
                    play(two, """
                            127.0.0.1:6379> EXEC
                            1) (integer) 1
                            """);
                    play(one, """
                            127.0.0.1:6379> EXEC
                            1) (nil)
                            """);
                } else {
                    play(one, """
                            127.0.0.1:6379> EXEC
                            1) "aaaa"
                            """);
                    play(two, """
                            127.0.0.1:6379> EXEC
                            1) (integer) 1
                            """);
                }
            }
        }
    }

    /** Seed 000: WATCH k1, the other client's transaction changes k1 first, so EXEC gives (nil). */
    @Test
    void seed000WatchMakesTheLaterTransactionFail() {
        try (RedisCli.Session one = RedisCli.open(cairn.port(), "--no-raw");
                RedisCli.Session two = RedisCli.open(cairn.port(), "--no-raw")) {
            play(one, """
                    127.0.0.1:6379> FLUSHALL
                    OK
                    127.0.0.1:6379> set k1 aaaa
                    OK
                    127.0.0.1:6379> WATCH k1
                    OK
                    127.0.0.1:6379> MULTI
                    OK
                    127.0.0.1:6379> get k1
                    QUEUED
                    127.0.0.1:6379> keys *
                    QUEUED
                    """);
            play(two, """
                    127.0.0.1:6379> MULTI
                    OK
                    127.0.0.1:6379> del k1
                    QUEUED
                    127.0.0.1:6379> set k1 bbbb
                    QUEUED
                    127.0.0.1:6379> EXEC
                    1) (integer) 1
                    2) OK
                    """);
            play(one, """
                    127.0.0.1:6379> EXEC
                    (nil)
                    127.0.0.1:6379> get k1
                    "bbbb"
                    """);
        }
    }

    /** Seed 002: client 2's EXEC comes first, then client 1's; then WATCH in client 1. */
    @Test
    void seed002TransactionsSession() {
        try (RedisCli.Session client1 = RedisCli.open(cairn.port(), "--no-raw");
                RedisCli.Session client2 = RedisCli.open(cairn.port(), "--no-raw")) {
            play(client1, """
                    127.0.0.1:6379> FLUSHALL
                    OK
                    127.0.0.1:6379> MULTI
                    OK
                    127.0.0.1:6379> set k1 abc
                    QUEUED
                    127.0.0.1:6379> get k1
                    QUEUED
                    """);
            play(client2, """
                    127.0.0.1:6379> MULTI
                    OK
                    127.0.0.1:6379> del k1
                    QUEUED
                    127.0.0.1:6379> EXEC
                    1) (integer) 0
                    """);
            play(client1, """
                    127.0.0.1:6379> EXEC
                    1) OK
                    2) "abc"
                    127.0.0.1:6379> watch k1
                    OK
                    127.0.0.1:6379> MULTI
                    OK
                    127.0.0.1:6379> get k1
                    QUEUED
                    """);
            play(client2, """
                    127.0.0.1:6379> MULTI
                    OK
                    127.0.0.1:6379> set k1 xxxx
                    QUEUED
                    127.0.0.1:6379> EXEC
                    1) OK
                    """);
            play(client1, """
                    127.0.0.1:6379> EXEC
                    (nil)
                    """);
        }
    }

    @Test
    void seed002HashSession() {
        replay("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> HSET jones name jones
                (integer) 1
                127.0.0.1:6379> HMSET jones age 18 address BeiJing
                OK
                127.0.0.1:6379> HGET jones name
                "jones"
                127.0.0.1:6379> HMGET jones age address
                1) "18"
                2) "BeiJing"
                127.0.0.1:6379> HKEYS jones
                1) "name"
                2) "age"
                3) "address"
                127.0.0.1:6379> HVALS jones
                1) "jones"
                2) "18"
                3) "BeiJing"
                127.0.0.1:6379> HGETALL jones
                1) "name"
                2) "jones"
                3) "age"
                4) "18"
                5) "address"
                6) "BeiJing"
                127.0.0.1:6379> HINCRBYFLOAT jones age 0.5
                "18.5"
                127.0.0.1:6379> HGET jones age
                "18.5"
                127.0.0.1:6379> HINCRBYFLOAT jones age -1
                "17.5"
                127.0.0.1:6379> HINCRBY jones age -1
                (error) ERR hash value is not an integer
                """);
    }

    @Test
    void theSameSessionsGiveTheSameOutputOnRealRedis() {
        // Guards the transcripts themselves: replayed against redis-server they must hold too.
        try (RealRedis redis = RealRedis.start()) {
            List<String> outputs = new ArrayList<>();
            for (int port : new int[] {redis.port(), cairn.port()}) {
                outputs.add(RedisCli.run(port, "FLUSHALL\nSETBIT k1 1 1\nGET k1\nAPPEND k1 中\nOBJECT ENCODING k1\n"
                        + "SET n 10\nINCRBYFLOAT n 0.1\nINCRBYFLOAT n 1e3\nBITFIELD k1 GET u8 0\n", "--no-raw"));
            }
            assertEquals(outputs.get(0), outputs.get(1));
        }
    }

    /**
     * Replays a transcript whose set replies list members in Redis's hash order, which
     * depends on its random hash seed: a numbered list of two or more members is compared
     * as a multiset of members, every other reply exactly. Each command runs in its own
     * redis-cli, so that each reply's lines are known.
     */
    private static void replaySetSession(String transcript) {
        List<String> commands = new ArrayList<>();
        List<StringBuilder> expected = new ArrayList<>();
        for (String line : transcript.strip().split("\n")) {
            if (line.startsWith("127.0.0.1:6379> ")) {
                commands.add(line.substring("127.0.0.1:6379> ".length()).strip());
                expected.add(new StringBuilder());
            } else {
                expected.getLast().append(line).append('\n');
            }
        }
        for (int i = 0; i < commands.size(); i++) {
            String output = RedisCli.run(cairn.port(), commands.get(i) + "\n", "--no-raw");
            String want = expected.get(i).toString();
            if (want.startsWith("1) ") && want.contains("\n2) ")) {
                assertEquals(members(want), members(output), commands.get(i));
            } else {
                assertEquals(want, output, commands.get(i));
            }
        }
    }

    /** The items of a numbered redis-cli list, without their numbers, sorted. */
    private static List<String> members(String numberedList) {
        List<String> items = new ArrayList<>();
        for (String line : numberedList.strip().split("\n")) items.add(line.substring(line.indexOf(") ") + 2));
        items.sort(null);
        return items;
    }

    @Test
    void seed002SetSession() {
        replaySetSession("""
                127.0.0.1:6379> FLUSHALL
                OK
                127.0.0.1:6379> SADD k1 a b c d a
                (integer) 4
                127.0.0.1:6379> SMEMBERS k1
                1) "d"
                2) "b"
                3) "a"
                4) "c"
                127.0.0.1:6379> SREM k1 c d
                (integer) 2
                127.0.0.1:6379> SMEMBERS k1
                1) "a"
                2) "b"
                127.0.0.1:6379> SADD k2 b c d
                (integer) 3
                127.0.0.1:6379> SINTER k1 k2
                1) "b"
                127.0.0.1:6379> SINTERSTORE k3 k1 k2
                (integer) 1
                127.0.0.1:6379> SMEMBERS k3
                1) "b"
                127.0.0.1:6379> SUNION k1 k2
                1) "d"
                2) "b"
                3) "a"
                4) "c"
                127.0.0.1:6379> SUNIONSTORE k4 k1 k2
                (integer) 4
                127.0.0.1:6379> SMEMBERS k4
                1) "d"
                2) "b"
                3) "a"
                4) "c"
                127.0.0.1:6379> SDIFF k1 k2
                1) "a"
                127.0.0.1:6379> SDIFF k2 k1
                1) "d"
                2) "c"
                127.0.0.1:6379> SDIFFSTORE k5 k1 k2
                (integer) 1
                127.0.0.1:6379> SMEMBERS k5
                1) "a"
                127.0.0.1:6379> type k5
                set
                """);
    }

    /**
     * The seed's draws (SRANDMEMBER with a positive count never repeats and may return
     * fewer members; with a negative count returns exactly that many, repeats allowed; SPOP
     * removes what it returns), asserted on what is certain about each random reply.
     */
    @Test
    void seed002RandomMembersSession() {
        Jedis jedis = new Jedis("127.0.0.1", cairn.port());
        try (jedis) {
            jedis.flushAll();
            jedis.sadd("k1", "tom", "ooxx", "xxoo", "xoxo", "oxox", "xox", "oxo");
            Set<String> all = jedis.smembers("k1");
            List<String> three = jedis.srandmember("k1", 3);
            assertEquals(3, new HashSet<>(three).size());
            assertTrue(all.containsAll(three));
            List<String> minusThree = jedis.srandmember("k1", -3);
            assertEquals(3, minusThree.size());
            assertTrue(all.containsAll(minusThree));
            List<String> fewer = jedis.srandmember("k1", 10);
            assertEquals(all, new HashSet<>(fewer));
            assertEquals(7, fewer.size());
            List<String> more = jedis.srandmember("k1", -10);
            assertEquals(10, more.size());
            assertTrue(all.containsAll(more));
            // The annual-party draw: everyone is drawn once, then the set is gone.
            Set<String> drawn = new HashSet<>();
            for (int i = 0; i < 7; i++) drawn.add(jedis.spop("k1"));
            assertEquals(all, drawn);
            assertNull(jedis.spop("k1"));
            assertFalse(jedis.exists("k1"));
        }
    }

    /** Seed 002's sorted set session: ranges by index and score, ranks, ZINCRBY, weighted unions. */
    private static final String SEED002_SORTED_SET_SESSION = """
            127.0.0.1:6379> FLUSHALL
            OK
            127.0.0.1:6379> ZADD k1 6 apple 4 banana 8 tomato 1 potato
            (integer) 4
            127.0.0.1:6379> ZRANGE k1 0 -1
            1) "potato"
            2) "banana"
            3) "apple"
            4) "tomato"
            127.0.0.1:6379> ZRANGE k1 0 -1 withscores
            1) "potato"
            2) "1"
            3) "banana"
            4) "4"
            5) "apple"
            6) "6"
            7) "tomato"
            8) "8"
            127.0.0.1:6379> ZRANGEBYSCORE k1 2 7
            1) "banana"
            2) "apple"
            127.0.0.1:6379> ZRANGE k1 0 1
            1) "potato"
            2) "banana"
            127.0.0.1:6379> ZRANGE k1 -2 -1
            1) "apple"
            2) "tomato"
            127.0.0.1:6379> ZREVRANGE k1 0 1
            1) "tomato"
            2) "apple"
            127.0.0.1:6379> ZRANK k1 apple
            (integer) 2
            127.0.0.1:6379> ZSCORE k1 apple
            "6"
            127.0.0.1:6379> ZINCRBY k1 3.5 potato
            "4.5"
            127.0.0.1:6379> ZRANGE k1 0 -1 withscores
            1) "banana"
            2) "4"
            3) "potato"
            4) "4.5"
            5) "apple"
            6) "6"
            7) "tomato"
            8) "8"
            127.0.0.1:6379> ZADD exam1 80 tim 60 tom 30 james
            (integer) 3
            127.0.0.1:6379> ZADD exam2 100 tim 90 tom 40 alex
            (integer) 3
            127.0.0.1:6379> ZUNIONSTORE res1 2 exam1 exam2
            (integer) 4
            127.0.0.1:6379> ZRANGE res1 0 -1 withscores
            1) "james"
            2) "30"
            3) "alex"
            4) "40"
            5) "tom"
            6) "150"
            7) "tim"
            8) "180"
            127.0.0.1:6379> ZUNIONSTORE res2 2 exam1 exam2 weights 1 0.5
            (integer) 4
            127.0.0.1:6379> ZRANGE res2 0 -1 withscores
            1) "alex"
            2) "20"
            3) "james"
            4) "30"
            5) "tom"
            6) "105"
            7) "tim"
            8) "130"
            127.0.0.1:6379> ZUNIONSTORE res3 2 exam1 exam2 weights 1 0.5 aggregate min
            (integer) 4
            127.0.0.1:6379> ZRANGE res3 0 -1 withscores
            1) "alex"
            2) "20"
            3) "james"
            4) "30"
            5) "tom"
            6) "45"
            7) "tim"
            8) "50"
            """;

    /**
     * Seed 000's chat history kept in a sorted set with the time as score: the latest
     * messages stay, older ones go by rank (keep the last N) or by score (older than three
     * days before the newest).
     */
    private static final String SEED000_CHAT_HISTORY_SESSION = """
            127.0.0.1:6379> FLUSHALL
            OK
            127.0.0.1:6379> ZADD chat:ooxx 1680307200 hello 1680393600 hi 1680480000 how-are-you 1680566400 fine 1680652800 bye
            (integer) 5
            127.0.0.1:6379> ZCARD chat:ooxx
            (integer) 5
            127.0.0.1:6379> ZREMRANGEBYRANK chat:ooxx 0 -4
            (integer) 2
            127.0.0.1:6379> ZRANGE chat:ooxx 0 -1 withscores
            1) "how-are-you"
            2) "1680480000"
            3) "fine"
            4) "1680566400"
            5) "bye"
            6) "1680652800"
            127.0.0.1:6379> ZADD chat:ooxx 1680739200 again
            (integer) 1
            127.0.0.1:6379> ZREMRANGEBYSCORE chat:ooxx -inf (1680480000
            (integer) 0
            127.0.0.1:6379> ZREMRANGEBYSCORE chat:ooxx -inf (1680566400
            (integer) 1
            127.0.0.1:6379> ZREVRANGE chat:ooxx 0 -1
            1) "again"
            2) "bye"
            3) "fine"
            127.0.0.1:6379> ZRANGEBYSCORE chat:ooxx (1680566400 +inf withscores limit 0 1
            1) "bye"
            2) "1680652800"
            127.0.0.1:6379> ZREMRANGEBYRANK chat:ooxx 0 -1
            (integer) 3
            127.0.0.1:6379> EXISTS chat:ooxx
            (integer) 0
            127.0.0.1:6379> ZREMRANGEBYRANK chat:ooxx 0 -1
            (integer) 0
            127.0.0.1:6379> ZREMRANGEBYSCORE chat:ooxx 1 x
            (error) ERR min or max is not a float
            """;

    @Test
    void seed002SortedSetSession() {
        replay(SEED002_SORTED_SET_SESSION);
    }

    @Test
    void seed000ChatHistoryWindowSession() {
        replay(SEED000_CHAT_HISTORY_SESSION);
    }

    @Test
    void sortedSetSessionsGiveTheSameOutputOnRealRedis() {
        try (RealRedis redis = RealRedis.start()) {
            for (String transcript : List.of(SEED002_SORTED_SET_SESSION, SEED000_CHAT_HISTORY_SESSION)) {
                StringBuilder commands = new StringBuilder();
                for (String line : transcript.strip().split("\n")) {
                    if (line.startsWith("127.0.0.1:6379> ")) commands.append(line.substring(16).strip()).append('\n');
                }
                assertEquals(RedisCli.run(redis.port(), commands.toString(), "--no-raw"),
                        RedisCli.run(cairn.port(), commands.toString(), "--no-raw"));
            }
        }
    }
}
