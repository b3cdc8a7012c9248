package dev.cairn.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cairn.server.Server;
import dev.cairn.testing.RealRedis;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading redis.conf text: values, includes, command-line options and Redis's exact error reports. */
class ConfigLoadTest {
    @TempDir
    Path dir;

    private static Config.ConfigFileError loadError(String text) {
        return assertThrows(Config.ConfigFileError.class, () -> new Config().load(text));
    }

    private static String report(String text) {
        return loadError(text).report(Server.REDIS_VERSION);
    }

    @Test
    void valuesOfEachKindAreRead() throws Exception {
        Config c = new Config();
        c.load("""
                # a comment
                  HZ   20\r
                protected-mode NO
                proto-max-bulk-len 2mb
                client-query-buffer-limit 1g
                loglevel WARNING
                unixsocketperm 700
                requirepass "pa ss\\x41"
                bind 127.0.0.1 -::1
                client-output-buffer-limit pubsub 1mb 512kb 30 replica 0 0 0
                oom-score-adj relative
                latency-tracking-info-percentiles 50 99.99
                list-max-ziplist-entries 5
                oom-score-adj-values "1 2 3"
                """);
        assertEquals(List.of(1, 2, 3), c.oomScoreAdjValues.value());
        assertEquals(20, c.hz.value());
        assertEquals("no", c.protectedMode.get());
        assertEquals("2097152", c.protoMaxBulkLen.get());
        assertEquals("1000000000", c.clientQueryBufferLimit.get());
        assertEquals("warning", c.loglevel.get());
        assertEquals("700", c.unixsocketperm.get());
        assertEquals(0700, c.unixsocketperm.value());
        assertEquals("pa ssA", c.requirepass.value());
        assertEquals(List.of("127.0.0.1", "-::1"), c.bind.value());
        assertEquals("normal 0 0 0 slave 0 0 0 pubsub 1048576 524288 30", c.clientOutputBufferLimit.get());
        assertEquals("yes", c.oomScoreAdj.get());
        assertEquals("50 99.99", c.latencyTrackingInfoPercentiles.get());
    }

    @Test
    void hzIsClampedAfterLoading() throws Exception {
        Config c = new Config();
        c.load("hz 0\n");
        assertEquals(1, c.hz.value());
        c.load("hz 100000\n");
        assertEquals(500, c.hz.value());
    }

    @Test
    void badValuesNameTheLineAndTheReason() {
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n"
                + ">>> 'hz   abc'\n"
                + "argument couldn't be parsed into an integer\n", report("  # comment\n\n   hz   abc  \r\n"));
        assertEquals("Bad directive or wrong number of arguments", loadError("port 1\nfoo bar\n").getMessage());
        assertEquals(2, loadError("port 1\nfoo bar\n").line());
        assertEquals("wrong number of arguments", loadError("port 6380 6381").getMessage());
        assertEquals("wrong number of arguments", loadError("port").getMessage());
        assertEquals("argument must be 'yes' or 'no'", loadError("protected-mode maybe").getMessage());
        assertEquals("argument must be between 1 and 4294967295 inclusive", loadError("maxclients 0").getMessage());
        assertEquals("argument must be between 1 and 4294967295 inclusive", loadError("maxclients -1").getMessage());
        assertEquals("argument must be a memory value", loadError("proto-max-bulk-len 10xb").getMessage());
        assertEquals("argument must be a memory value", loadError("proto-max-bulk-len -5").getMessage());
        assertEquals("argument must be between 1048576 and 9223372036854775807 inclusive",
                loadError("proto-max-bulk-len 99999999999999999999999").getMessage());
        assertEquals("argument(s) must be one of the following: debug, verbose, notice, warning",
                loadError("loglevel loud").getMessage());
        assertEquals("Unbalanced quotes in configuration line", loadError("requirepass \"abc").getMessage());
        assertEquals("Unbalanced quotes in configuration line", loadError("port \"6380\"x").getMessage());
        assertEquals("argument couldn't be parsed as an octal number", loadError("unixsocketperm 999").getMessage());
        assertEquals("argument must be between 0 and 777 inclusive", loadError("unixsocketperm 1000").getMessage());
        assertEquals("Wrong number of arguments in buffer limit configuration.",
                loadError("client-output-buffer-limit normal 1 2").getMessage());
        assertEquals("Invalid save parameters", loadError("save 1").getMessage());
        assertEquals("Invalid save parameters", loadError("save 60 x").getMessage());
    }

    @Test
    void unopenableLogFileIsReportedWithoutALine() {
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nCan't open the log file: No such file or directory\n",
                report("logfile /nonexistent/dir/x.log\n"));
    }

    @Test
    void includeReadsAnotherFileWithItsOwnLineNumbers() throws Exception {
        Path inc = dir.resolve("inc.conf");
        Files.writeString(inc, "tcp-keepalive 100\n");
        Config c = new Config();
        c.load("hz 20\ninclude " + inc + "\n");
        assertEquals(100, c.tcpKeepalive.value());

        Files.writeString(inc, "hz 10\nport abc\n");
        Config.ConfigFileError e = loadError("# c\ninclude " + inc + "\n");
        assertEquals(2, e.line());
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 2\n>>> 'port abc'\n"
                + "argument couldn't be parsed into an integer\n", e.report(Server.REDIS_VERSION));

        assertEquals("Fatal error, can't open config file '/nonexistent/x.conf': No such file or directory\n",
                report("include /nonexistent/x.conf\n"));
        assertEquals("Bad directive or wrong number of arguments", loadError("include a b").getMessage());
    }

    @Test
    void includeWithWildcardReadsMatchingFilesInOrderAndNoneIsFine() throws Exception {
        Path d = Files.createDirectory(dir.resolve("conf.d"));
        Files.writeString(d.resolve("b.conf"), "hz 30\n");
        Files.writeString(d.resolve("a.conf"), "hz 20\ntimeout 7\n");
        Files.writeString(d.resolve("skip.txt"), "hz 99\n");
        Config c = new Config();
        c.load("include " + d + "/*.conf\ninclude " + dir + "/none/*.conf\n");
        assertEquals(30, c.hz.value());
        assertEquals(7, c.timeout.value());
    }

    @Test
    void commandLineOptionsBecomeQuotedLines() {
        assertEquals("port \"6380\" \nsave \"\"\nhz \"5\" ", Config.optionsToText(List.of("--port", "6380", "--save", "--hz", "5")));
        assertEquals("save \"\"", Config.optionsToText(List.of("--save")));
        // A word right after a bare name is its value even when it starts with "--".
        assertEquals("requirepass \"--x\" \nhz \"5\" ", Config.optionsToText(List.of("--requirepass", "--x", "--hz", "5")));
        assertEquals("port 6380 ", Config.optionsToText(List.of("--port 6380")));
        assertEquals("bind \"127.0.0.1\" \"::1\" ", Config.optionsToText(List.of("--bind", "127.0.0.1", "::1")));
    }

    @Test
    void optionsAreAppliedAfterTheFileWithRedisLineNumbers() {
        String text = "port 1\n" + "\n" + Config.optionsToText(List.of("--hz", "abc"));
        assertEquals("\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\n"
                + "Reading the configuration file, at line 3\n>>> 'hz \"abc\"'\n"
                + "argument couldn't be parsed into an integer\n", report(text));
    }

    @Test
    void quotingRoundTripsAnyByte() throws Exception {
        String nasty = "a\"b\\c\n\r\t\u0007\b\u0001\u00e9 d";
        assertEquals("\"a\\\"b\\\\c\\n\\r\\t\\a\\b\\x01\\xe9 d\"", ConfigText.quote(nasty));
        Config c = new Config();
        c.load("requirepass " + ConfigText.quote(nasty) + "\n");
        assertEquals(nasty, c.requirepass.value());
    }

    @Test
    void memoryAndIntegerSyntaxFollowRedis() {
        assertEquals(0L, Units.parseMemory(""));
        assertEquals(0L, Units.parseMemory("mb"));
        assertEquals(5L * 1024 * 1024, Units.parseMemory("5MB"));
        assertEquals(5000L, Units.parseMemory("5k"));
        assertEquals(10L, Units.parseMemory("010"));
        assertNull(Units.parseMemory("+5"));
        assertNull(Units.parseMemory(" 5"));
        assertNull(Units.parseMemory("1.5mb"));
        assertEquals(-1L, Units.parseMemory("99999999999999999999999"));
        assertNull(Units.parseInteger("010"));
        assertNull(Units.parseInteger("+5"));
        assertEquals(0L, Units.parseCLong("", 10));
        assertEquals(5L, Units.parseCLong(" +5", 10));
        assertNull(Units.parseCLong("5 ", 10));
        assertNull(Units.parseCLong(" ", 10));
        assertEquals(0777L, Units.parseCLong("777", 8));
        assertNull(Units.parseCLong("8", 8));
        assertEquals("1gb", Units.formatMemory(1L << 30));
        assertEquals("1025", Units.formatMemory(1025));
    }

    /**
     * The same bad file given to the real redis-server and to Cairn's loader must produce
     * the same report. "port 0" first makes a file Redis would accept exit at once.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "foo bar", "port 6380 6381", "port", "protected-mode maybe", "hz abc", "hz -1", "port 70000",
        "maxclients 0", "proto-max-bulk-len 10xb", "proto-max-bulk-len -5", "proto-max-bulk-len 1k",
        "loglevel loud", "requirepass \"abc", "port \"6380\"x", "unixsocketperm 999", "unixsocketperm 1000",
        "client-output-buffer-limit normal 1 2", "client-output-buffer-limit master 1 2 3",
        "client-output-buffer-limit normal 1 2 x", "supervised maybe", "syslog-facility x", "oom-score-adj-values 1 2",
        "oom-score-adj-values 1 2 3000", "latency-tracking-info-percentiles 101", "latency-tracking-info-percentiles x",
        "tracking-table-max-keys -1", "enable-debug-command maybe", "include", "include a b", "active-expire-effort 11",
        "io-threads 0", "proc-title-template {nope}", "dir /nonexistent/dir", "slowlog-log-slower-than -2",
        "logfile /nonexistent/dir/x.log", "databases 0", "timeout 1.5",
    })
    void reportsMatchRealRedisServer(String badLine) throws Exception {
        String text = "port 0\n# a comment\n" + badLine + "\n";
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, text);
        Process p = new ProcessBuilder(RealRedis.binary("redis-server"), file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-server accepted: " + badLine);
        }
        String expected = new String(p.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(1, p.exitValue());
        assertEquals(expected, report(text));
    }

    @Test
    void mainReportsLikeRedisServer() throws IOException, InterruptedException {
        Path file = dir.resolve("bad.conf");
        Files.writeString(file, "hz 10\nloglevel loud\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.cairn.server.Main", file.toString(), "--port", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(true, p.waitFor(30, TimeUnit.SECONDS));
        String cairn = new String(p.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        assertEquals(1, p.exitValue());
        Process r = new ProcessBuilder(RealRedis.binary("redis-server"), file.toString(), "--port", "0")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(true, r.waitFor(10, TimeUnit.SECONDS));
        assertEquals(new String(r.getErrorStream().readAllBytes(), StandardCharsets.ISO_8859_1), cairn);
    }
}
