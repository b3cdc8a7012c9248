package dev.cairn.config;

import dev.cairn.protocol.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The server's configuration: the table of every directive Cairn accepts, with Redis
 * 7.0's names, defaults, ranges and units, and the reader for redis.conf text.
 *
 * <p>Components keep a reference to the typed setting they read (for example
 * {@code config.hz.intValue()}); settings that can change at run time are volatile, and
 * components that must react register {@link Setting#onChange}.
 *
 * <p>Adding a directive: declare it here next to its kin with Redis's default; nothing
 * else needs to know about it for CONFIG GET/SET/REWRITE to work.
 */
public final class Config {
    private static final List<String> LOG_LEVELS = List.of("debug", "verbose", "notice", "warning");

    private final Map<String, Setting> byName = new LinkedHashMap<>();
    private final List<Setting> all = new ArrayList<>();
    /** Absolute path of the config file, or null when started without one. */
    private String configFile;

    // ---- general --------------------------------------------------------------------
    public final Setting.Bool daemonize = add(new Setting.Bool("daemonize", false, Setting.IMMUTABLE));
    public final Setting.Text pidfile = add(new Setting.Text("pidfile", "", Setting.IMMUTABLE));
    public final Setting.Choice loglevel = add(new Setting.Choice("loglevel", "notice", LOG_LEVELS, 0));
    public final Setting.Text logfile = add(new Setting.Text("logfile", "", Setting.IMMUTABLE));
    public final Setting.Num databases = add(new Setting.Num("databases", 16, 1, Integer.MAX_VALUE, false, Setting.IMMUTABLE));
    public final Setting.Num hz = add(new Setting.Num("hz", 10, 0, Integer.MAX_VALUE, false, 0));
    public final Setting.Bool dynamicHz = add(new Setting.Bool("dynamic-hz", true, 0));
    public final Setting.Bool alwaysShowLogo = add(new Setting.Bool("always-show-logo", false, Setting.IMMUTABLE));
    public final Setting.Text dir = add(new Setting.Text("dir", System.getProperty("user.dir"), Setting.PROTECTED));

    // ---- network --------------------------------------------------------------------
    public final Setting.Num port = add(new Setting.Num("port", 6379, 0, 65535, false, 0));
    public final Setting.Custom<List<String>> bind = add(new Setting.Custom<>("bind",
            List.of("*", "-::*"), Config::parseWords, l -> String.join(" ", l), Setting.MULTI_ARG));
    public final Setting.Text unixsocket = add(new Setting.Text("unixsocket", "", Setting.IMMUTABLE));
    public final Setting.Custom<Integer> unixsocketperm = add(new Setting.Custom<>("unixsocketperm", 0,
            Config::parseOctal, v -> Integer.toOctalString(v), Setting.IMMUTABLE));
    public final Setting.Num tcpBacklog = add(new Setting.Num("tcp-backlog", 511, 0, Integer.MAX_VALUE, false, Setting.IMMUTABLE));
    public final Setting.Num timeout = add(new Setting.Num("timeout", 0, 0, Integer.MAX_VALUE, false, 0));
    public final Setting.Num tcpKeepalive = add(new Setting.Num("tcp-keepalive", 300, 0, Integer.MAX_VALUE, false, 0));
    public final Setting.Num maxclients = add(new Setting.Num("maxclients", 10000, 1, Integer.MAX_VALUE, false, 0));
    public final Setting.Bool protectedMode = add(new Setting.Bool("protected-mode", true, 0));
    public final Setting.Text requirepass = add(new Setting.Text("requirepass", "", Setting.SENSITIVE));

    // ---- limits --------------------------------------------------------------------
    public final Setting.Num protoMaxBulkLen = add(new Setting.Num("proto-max-bulk-len", 512L * 1024 * 1024,
            1024 * 1024, Long.MAX_VALUE, true, 0));
    public final Setting.Num clientQueryBufferLimit = add(new Setting.Num("client-query-buffer-limit",
            1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE, true, 0));

    // ---- slow log and latency monitor ----------------------------------------------
    public final Setting.Num slowlogLogSlowerThan = add(new Setting.Num("slowlog-log-slower-than", 10000, -1,
            Long.MAX_VALUE, false, 0));
    public final Setting.Num slowlogMaxLen = add(new Setting.Num("slowlog-max-len", 128, 0, Long.MAX_VALUE, false, 0));
    public final Setting.Num latencyMonitorThreshold = add(new Setting.Num("latency-monitor-threshold", 0, 0,
            Long.MAX_VALUE, false, 0));

    // ---- debugging -----------------------------------------------------------------
    public final Setting.Choice enableDebugCommand = add(new Setting.Choice("enable-debug-command", "no",
            List.of("no", "yes", "local"), Setting.IMMUTABLE));

    /** Registers a setting; used by the declarations above. */
    private <T extends Setting> T add(T setting) {
        all.add(setting);
        byName.put(setting.name, setting);
        for (String alias : setting.aliases) byName.put(alias, setting);
        return setting;
    }

    /** The setting for a name or alias, case-insensitive; null when unknown. */
    public Setting find(String name) {
        return byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Every setting once, in declaration order. */
    public Collection<Setting> settings() {
        return all;
    }

    public String configFile() {
        return configFile;
    }

    public void configFile(String absolutePath) {
        this.configFile = absolutePath;
    }

    /** Sets a directive at run time (CONFIG SET) and runs its change callback. */
    public void set(Setting setting, String value) throws ConfigException {
        setting.set(value);
        setting.changed();
    }

    // ---- reading redis.conf --------------------------------------------------------

    /**
     * Applies redis.conf text, line by line, exactly as Redis's
     * {@code loadServerConfigFromString}: blank lines and {@code #} comments skipped,
     * words split with quotes honoured, directive names case-insensitive.
     *
     * @throws ConfigFileError naming the line and Redis's reason at the first bad line
     */
    public void load(String text) throws ConfigFileError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            List<byte[]> words = RequestParser.splitArgs(line.getBytes(StandardCharsets.UTF_8));
            if (words == null) throw new ConfigFileError(i + 1, line, "Unbalanced quotes in configuration line");
            if (words.isEmpty()) continue;
            List<String> args = new ArrayList<>();
            for (byte[] w : words) args.add(new String(w, StandardCharsets.UTF_8));
            String name = args.getFirst().toLowerCase(Locale.ROOT);
            Setting setting = byName.get(name);
            if (setting == null) {
                throw new ConfigFileError(i + 1, line, "Bad directive or wrong number of arguments");
            }
            if (!setting.has(Setting.MULTI_ARG) && args.size() != 2) {
                throw new ConfigFileError(i + 1, line, "wrong number of arguments");
            }
            try {
                setting.set(String.join(" ", args.subList(1, args.size())));
            } catch (ConfigException e) {
                throw new ConfigFileError(i + 1, line, e.getMessage());
            }
        }
    }

    /**
     * Turns redis-server style command-line options ({@code --port 6380 --save ""}) into
     * config text appended after the file, as Redis does: each {@code --name} starts a
     * line, following words are quoted onto it, and a bare {@code --save} means
     * {@code save ""}.
     */
    public static String optionsToText(List<String> options) {
        StringBuilder sb = new StringBuilder();
        boolean lineOpen = false;
        for (int i = 0; i < options.size(); i++) {
            String o = options.get(i);
            if (o.startsWith("--") && o.length() > 2) {
                if (lineOpen) sb.append('\n');
                String name = o.substring(2);
                sb.append(name);
                lineOpen = true;
                boolean noValueFollows = i + 1 == options.size() || options.get(i + 1).startsWith("--");
                if (name.equals("save") && noValueFollows) sb.append(" \"\"");
            } else {
                sb.append(' ').append(quote(o));
                lineOpen = true;
            }
        }
        if (lineOpen) sb.append('\n');
        return sb.toString();
    }

    /** Quotes a word the way Redis's sdscatrepr does, so splitArgs reads it back intact. */
    static String quote(String word) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : word.toCharArray()) {
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    private static List<String> parseWords(String text) throws ConfigException {
        List<String> words = new ArrayList<>();
        for (String w : text.trim().split("\\s+")) if (!w.isEmpty()) words.add(w);
        if (words.isEmpty()) throw new ConfigException("wrong number of arguments");
        return List.copyOf(words);
    }

    private static Integer parseOctal(String text) throws ConfigException {
        try {
            int v = Integer.parseInt(text, 8);
            if (v < 0 || v > 0777) throw new ConfigException("Invalid socket file permissions");
            return v;
        } catch (NumberFormatException e) {
            throw new ConfigException("Invalid socket file permissions");
        }
    }

    /** A bad line in the configuration, reported the way redis-server reports it. */
    public static final class ConfigFileError extends Exception {
        private final int line;
        private final String text;

        ConfigFileError(int line, String text, String reason) {
            super(reason, null, false, false);
            this.line = line;
            this.text = text;
        }

        /** The message redis-server prints to stderr before exiting with status 1. */
        public String report(String version) {
            return "\n*** FATAL CONFIG FILE ERROR (Redis " + version + ") ***\n"
                    + "Reading the configuration file, at line " + line + "\n"
                    + ">>> '" + text + "'\n"
                    + getMessage() + "\n";
        }
    }
}
