package dev.cairn.server;

import dev.cairn.config.Config;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The server log, in redis-server's format:
 * {@code pid:role dd Mon yyyy HH:MM:SS.mmm L message}, where L is {@code .} debug,
 * {@code -} verbose, {@code *} notice, {@code #} warning. Writes to stdout, or appends to
 * {@code logfile}, which is reopened for each line as Redis does (so logrotate works).
 */
public final class Log {
    public enum Level {
        DEBUG('.'), VERBOSE('-'), NOTICE('*'), WARNING('#');

        final char mark;

        Level(char mark) {
            this.mark = mark;
        }
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss.SSS", Locale.ENGLISH);

    private final Config config;
    private final long pid = ProcessHandle.current().pid();
    private volatile char role = 'M';

    public Log(Config config) {
        this.config = config;
    }

    /** 'M' master, 'S' replica, 'C' child/startup, 'X' sentinel. */
    public void role(char r) {
        this.role = r;
    }

    public boolean enabled(Level level) {
        return level.ordinal() >= Level.valueOf(config.loglevel.value().toUpperCase(Locale.ROOT)).ordinal();
    }

    public void debug(String message) {
        log(Level.DEBUG, message);
    }

    public void verbose(String message) {
        log(Level.VERBOSE, message);
    }

    public void notice(String message) {
        log(Level.NOTICE, message);
    }

    public void warning(String message) {
        log(Level.WARNING, message);
    }

    public void log(Level level, String message) {
        if (!enabled(level)) return;
        String line = pid + ":" + role + " " + ZonedDateTime.now().format(TIME) + " " + level.mark + " " + message;
        write(line);
    }

    /** Writes text as is (the startup banner). */
    public void raw(String text) {
        write(text);
    }

    /**
     * A warning written from a signal handler, in the form Redis uses there (it cannot
     * format times inside a handler): {@code pid:signal-handler (unix seconds) message}.
     */
    public void fromSignalHandler(String message) {
        if (!enabled(Level.WARNING)) return;
        write(pid + ":signal-handler (" + System.currentTimeMillis() / 1000 + ") " + message);
    }

    /** Appends a line to stdout or the log file; like Redis, drops it if the file cannot be opened. */
    private synchronized void write(String line) {
        String file = config.logfile.value();
        if (file.isEmpty()) {
            System.out.println(line);
            System.out.flush();
            return;
        }
        try (PrintStream out = new PrintStream(new FileOutputStream(file, true), false, StandardCharsets.UTF_8)) {
            out.println(line);
        } catch (IOException e) {
            // Nowhere to report it: Redis loses the line too.
        }
    }
}
