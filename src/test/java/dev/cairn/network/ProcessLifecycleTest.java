package dev.cairn.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RawConnection;
import dev.cairn.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server as a process, next to redis-server doing the same: its log, pidfile, unix
 * socket file, daemonize, signals and exit statuses. Each test starts its processes with
 * bounded waits and kills them in the end whatever happens.
 */
class ProcessLifecycleTest {
    @TempDir
    Path dir;

    /** Messages that depend on the machine or the product, not on behaviour. */
    private static boolean environmentLine(String message) {
        return message.contains("monotonic clock") || message.contains("Memory overcommit")
                || message.contains("Transparent Huge Pages") || message.contains("oO0OoO0OoO0Oo")
                || message.contains(" version=");
    }

    /** A run's log as comparable messages: files under DIR, the port as PORT, Redis named Cairn. */
    private static List<String> comparable(String log, Path home, int port) {
        List<String> result = new ArrayList<>();
        for (String m : ServerProcess.messages(log)) {
            if (environmentLine(m)) continue;
            m = m.replace(home.toString(), "DIR").replace("Redis is now ready to exit", "Cairn is now ready to exit");
            result.add(port == 0 ? m : m.replace(Integer.toString(port), "PORT"));
        }
        return result;
    }

    private Path home(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    private static String[] serverArgs(Path home, int port, String... more) {
        List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--pidfile", home.resolve("server.pid").toString(), "--dir", home.toString(),
                "--unixsocket", home.resolve("server.sock").toString()));
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    /** Starts, answers a PING, is signalled, and returns its log; checks the exit status and the files left. */
    private static String runUntilSignal(ServerProcess server, Path home, int port, String signal) throws Exception {
        try (server) {
            server.awaitOutput("The server is now ready to accept connections at");
            assertEquals(server.pid() + "\n", Files.readString(home.resolve("server.pid")));
            try (RawConnection p = new RawConnection(port)) {
                assertEquals("+PONG\r\n", p.call("PING"));
            }
            server.signal(signal);
            assertEquals(0, server.awaitExit(), server.output());
            assertFalse(Files.exists(home.resolve("server.pid")), "pid file left behind");
            assertFalse(Files.exists(home.resolve("server.sock")), "unix socket left behind");
            // The default save points: the dataset is saved at shutdown.
            assertTrue(Files.exists(home.resolve("dump.rdb")), "no final snapshot");
            return server.output();
        }
    }

    @Test
    void startupAndSigtermShutdownLogAsRedis() throws Exception {
        Path c = home("c");
        Path r = home("r");
        int cairnPort = TestServer.freePort();
        String cairnLog = runUntilSignal(ServerProcess.cairn(dir, null, serverArgs(c, cairnPort, "--tcp-backlog", "100000")),
                c, cairnPort, "TERM");
        int redisPort = TestServer.freePort();
        String redisLog = runUntilSignal(ServerProcess.redis(dir, serverArgs(r, redisPort, "--tcp-backlog", "100000")),
                r, redisPort, "TERM");
        for (String line : cairnLog.split("\n")) {
            assertTrue(ServerProcess.LOG_LINE.matcher(line).matches() || ServerProcess.SIGNAL_LINE.matcher(line).matches(),
                    "not a Redis log line: " + line);
        }
        List<String> messages = comparable(cairnLog, c, cairnPort);
        assertEquals(comparable(redisLog, r, redisPort), messages);
        assertTrue(messages.containsAll(List.of("* Ready to accept connections", "signal-handler Received SIGTERM "
                + "scheduling shutdown...", "* Removing the pid file.", "* Removing the unix socket file.")), messages.toString());
    }

    @Test
    void sigintShutsDownCleanlyAsRedis() throws Exception {
        Path c = home("c");
        Path r = home("r");
        int cairnPort = TestServer.freePort();
        String cairnLog = runUntilSignal(ServerProcess.cairn(dir, null, serverArgs(c, cairnPort)), c, cairnPort, "INT");
        int redisPort = TestServer.freePort();
        String redisLog = runUntilSignal(ServerProcess.redis(dir, serverArgs(r, redisPort)), r, redisPort, "INT");
        List<String> messages = comparable(cairnLog, c, cairnPort);
        assertEquals(comparable(redisLog, r, redisPort), messages);
        assertTrue(messages.contains("signal-handler Received SIGINT scheduling shutdown..."), messages.toString());
    }

    @Test
    void startupFailuresExitWithRedisMessages() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = TestServer.freePort();
            List<List<String>> cases = List.of(
                    List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", ListenersTest.MISSING_ADDRESS),
                    List.of("--port", Integer.toString(taken.getLocalPort()), "--bind", "127.0.0.1"),
                    List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "nosuchhost.invalid"),
                    List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--unixsocket",
                            dir.resolve("missing/dir/x.sock").toString()),
                    List.of("--port", "0"));
            for (List<String> args : cases) {
                String[] argv = args.toArray(new String[0]);
                List<String> expected;
                try (ServerProcess redis = ServerProcess.redis(dir, argv)) {
                    assertEquals(1, redis.awaitExit(), redis.output());
                    expected = comparable(redis.output(), dir, 0);
                }
                try (ServerProcess cairn = ServerProcess.cairn(dir, null, argv)) {
                    assertEquals(1, cairn.awaitExit(), cairn.output());
                    assertEquals(expected, comparable(cairn.output(), dir, 0), String.join(" ", args));
                }
            }
        }
    }

    @Test
    void logfileAndLoglevelChooseWhatIsWrittenWhere() throws Exception {
        Path log = dir.resolve("cairn.log");
        int port = TestServer.freePort();
        try (ServerProcess server = ServerProcess.cairn(dir, null, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--logfile", log.toString(), "--loglevel", "warning", "--save", "")) {
            Eventually.fileContains(log, "# Server initialized");
            Eventually.until("the server answers", () -> {
                try (RawConnection p = new RawConnection(port)) {
                    return p.call("PING").equals("+PONG\r\n");
                } catch (Exception e) {
                    return false;
                }
            });
            try (RawConnection p = new RawConnection(port)) {
                assertFalse(Eventually.text(log).contains(" * "), "notice lines at loglevel warning");
                assertEquals("+OK\r\n", p.call("CONFIG", "SET", "loglevel", "verbose"));
                try (RawConnection q = new RawConnection(port)) {
                    assertEquals("+PONG\r\n", q.call("PING"));
                }
                Eventually.fileContains(log, " - Accepted 127.0.0.1:");
                Eventually.fileContains(log, " - Client closed connection id=");
            }
            server.signal("TERM");
            assertEquals(0, server.awaitExit());
            assertEquals("", server.output(), "nothing on stdout with a logfile");
            String text = Eventually.text(log);
            assertTrue(text.endsWith(" # Cairn is now ready to exit, bye bye...\n"), text);
            for (String m : ServerProcess.messages(text)) assertFalse(m.startsWith("* "), m);
        }
    }

    @Test
    void daemonizeReturnsAtOnceAndTheDaemonServesUntilSigterm() throws Exception {
        Path pidFile = dir.resolve("daemon.pid");
        Path log = dir.resolve("daemon.log");
        int port = TestServer.freePort();
        // The configuration comes from stdin ("-"): the daemon must get it too.
        String config = "port " + port + "\nbind 127.0.0.1\ndaemonize yes\npidfile " + pidFile + "\nlogfile " + log + "\n";
        Optional<ProcessHandle> daemon = Optional.empty();
        try (ServerProcess parent = ServerProcess.cairn(dir, config, "-")) {
            assertEquals(0, parent.awaitExit(), parent.output());
            assertEquals("", parent.output());
            Eventually.until("the daemon writes its pid file", () -> Eventually.text(pidFile).endsWith("\n"));
            long pid = Long.parseLong(Eventually.text(pidFile).strip());
            assertNotEquals(parent.pid(), pid);
            daemon = ProcessHandle.of(pid);
            assertTrue(daemon.isPresent() && daemon.get().isAlive(), "the daemon is not running");
            Eventually.fileContains(log, pid + ":M ");
            Eventually.fileContains(log, " * Ready to accept connections");
            try (RawConnection p = new RawConnection(port)) {
                assertEquals("+PONG\r\n", p.call("PING"));
            }
            assertTrue(Eventually.text(log).contains("# Configuration loaded"));
            daemon.get().destroy();
            daemon.get().onExit().get(60, TimeUnit.SECONDS);
            Eventually.fileContains(log, " * Removing the pid file.");
            assertFalse(Files.exists(pidFile), "pid file left behind");
        } finally {
            daemon.ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
