package dev.cairn.seeds;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.cairn.testing.RealRedis;
import dev.cairn.testing.RedisCli;
import dev.cairn.testing.ServerFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
