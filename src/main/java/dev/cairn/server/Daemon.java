package dev.cairn.server;

import dev.cairn.config.Config;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code daemonize} and {@code pidfile}. A JVM cannot fork, so daemonizing starts a
 * detached copy of this process (same JVM options, same arguments) and the parent exits
 * at once, which is what a caller of {@code redis-server --daemonize yes} observes.
 */
final class Daemon {
    /** Where Redis writes its pid when daemonized without a pidfile directive. */
    private static final String DEFAULT_PIDFILE = "/var/run/redis.pid";

    private Daemon() {}

    static void detach(String[] args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("CAIRN_DAEMON_CHILD", "1");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.start();
    }

    private static String pidFile(Config config) {
        String path = config.pidfile.value();
        if (path.isEmpty() && config.daemonize.value()) return DEFAULT_PIDFILE;
        return path;
    }

    static void writePidFile(Config config, Log log) {
        String path = pidFile(config);
        if (path.isEmpty()) return;
        try {
            Files.writeString(Path.of(path), ProcessHandle.current().pid() + "\n");
        } catch (IOException e) {
            log.warning("Failed to write PID file: " + e.getMessage());
        }
    }

    static void removePidFile(Config config) {
        String path = pidFile(config);
        if (!path.isEmpty()) new File(path).delete();
    }
}
