package dev.cairn.network;

import dev.cairn.testing.Eventually;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server in its own process, Cairn's Main in a child JVM on the test classpath or the real
 * redis-server, with stdout and stderr captured in a file. Every wait is bounded, and
 * {@link #close} kills the process if it is still running.
 */
final class ServerProcess implements AutoCloseable {
    /** A log line: {@code pid:role dd Mon yyyy HH:MM:SS.mmm mark message}. */
    static final Pattern LOG_LINE =
            Pattern.compile("(\\d+):([CMSX]) \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d\\.\\d{3} ([.\\-*#]) (.*)");
    /** A line written from a signal handler: {@code pid:signal-handler (unix seconds) message}. */
    static final Pattern SIGNAL_LINE = Pattern.compile("(\\d+):signal-handler \\(\\d+\\) (.*)");

    private final Process process;
    private final Path output;

    private ServerProcess(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    /** Cairn's Main with these arguments; {@code stdin} is its standard input (null: none). */
    static ServerProcess cairn(Path dir, String stdin, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "--enable-native-access=ALL-UNNAMED",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.cairn.server.Main"));
        command.addAll(List.of(args));
        return start(dir, "cairn", command, stdin);
    }

    /** The real redis-server with these arguments. */
    static ServerProcess redis(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(dev.cairn.testing.RealRedis.binary("redis-server")));
        command.addAll(List.of(args));
        return start(dir, "redis", command, null);
    }

    private static ServerProcess start(Path dir, String name, List<String> command, String stdin) throws IOException {
        Path output = Files.createTempFile(dir, name, ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (stdin != null) {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
        return new ServerProcess(p, output);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    long pid() {
        return process.pid();
    }

    /**
     * What the process wrote so far, without the notice SLF4J prints when the test
     * classpath (not the server's) has its API but no binding.
     */
    String output() {
        return Eventually.text(output).replaceAll("(?m)^SLF4J: .*\n", "");
    }

    /** Waits until the output contains {@code fragment}. */
    void awaitOutput(String fragment) {
        Eventually.until(() -> "'" + fragment + "' in the output:\n" + output(), () -> output().contains(fragment)
                || !process.isAlive() && output().contains(fragment));
    }

    /** Sends a signal by name (TERM, INT) as kill(1) does. */
    void signal(String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) throw new AssertionError("kill failed");
    }

    /** Waits (60 s at most) for the process to exit and returns its status. */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(60, TimeUnit.SECONDS)) throw new AssertionError("the server did not exit:\n" + output());
        return process.exitValue();
    }

    /**
     * The log as its level marks and messages, without pids and times: "# Server
     * initialized", or "signal-handler Received SIGTERM ..." for signal handler lines.
     * Other output (not log lines) is kept as is.
     */
    static List<String> messages(String log) {
        List<String> messages = new ArrayList<>();
        for (String line : log.split("\n")) {
            Matcher m = LOG_LINE.matcher(line);
            Matcher s = SIGNAL_LINE.matcher(line);
            if (m.matches()) messages.add(m.group(3) + " " + m.group(4));
            else if (s.matches()) messages.add("signal-handler " + s.group(2));
            else if (!line.isEmpty()) messages.add(line);
        }
        return messages;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }
}
