package dev.cairn.server;

import dev.cairn.config.Config;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code daemonize} and {@code pidfile}. A JVM cannot fork, so daemonizing starts a
 * detached copy of this process (same JVM options, same arguments, in a new session when
 * {@code setsid} is available, standard streams on /dev/null) and the parent exits at
 * once, which is what a caller of {@code redis-server --daemonize yes} observes. The
 * copy knows it is the daemon by {@link #CHILD_MARK} in its environment.
 */
final class Daemon {
    /** Where Redis writes its pid when daemonized without a pidfile directive. */
    private static final String DEFAULT_PIDFILE = "/var/run/redis.pid";
    /** Environment variable set in the daemon process. */
    static final String CHILD_MARK = "CAIRN_DAEMON_CHILD";

    private Daemon() {}

    /** True in the process started by {@link #detach}. */
    static boolean isDaemonChild() {
        return System.getenv(CHILD_MARK) != null;
    }

    /**
     * Starts the daemon process and returns as soon as it is started.
     *
     * @param stdinConfig the configuration text read from stdin ({@code -} argument), which
     *     is handed to the daemon on its stdin; null when none was read
     */
    static void detach(String[] args, String stdinConfig) throws IOException {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) command.add("/usr/bin/setsid");
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put(CHILD_MARK, "1");
        if (stdinConfig == null) pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = pb.start();
        if (stdinConfig != null) {
            try (OutputStream in = child.getOutputStream()) {
                in.write(stdinConfig.getBytes(StandardCharsets.ISO_8859_1));
            }
        }
    }

    private static String pidFile(Config config) {
        String path = config.pidfile.value();
        if (path.isEmpty() && config.daemonize.value()) return DEFAULT_PIDFILE;
        return path;
    }

    /** True when a pid file is written: one is configured, or the server is daemonized. */
    static boolean usesPidFile(Config config) {
        return !pidFile(config).isEmpty();
    }

    /** Redis's createPidFile: best effort, a failure is only logged. */
    static void writePidFile(Config config, Log log) {
        String path = pidFile(config);
        if (path.isEmpty()) return;
        try {
            Files.writeString(Path.of(path), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            log.warning("Failed to write PID file: " + reason(e));
        }
    }

    static void removePidFile(Config config) {
        String path = pidFile(config);
        if (!path.isEmpty()) new File(path).delete();
    }

    /** strerror-like text for a file error. */
    private static String reason(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "No such file or directory";
            case java.nio.file.AccessDeniedException x -> "Permission denied";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> String.valueOf(e.getMessage());
        };
    }
}
