package dev.cairn.config;

import dev.cairn.keyspace.Glob;

import dev.cairn.config.Setting.NumFormat;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The server's configuration: the table of every directive Cairn accepts, with Redis
 * 7.0's names, defaults, ranges and error texts; the reader for redis.conf text
 * (including {@code include}); the all-or-nothing CONFIG SET; and CONFIG REWRITE's entry
 * point.
 *
 * <p>Components keep a reference to the typed setting they read (for example
 * {@code config.hz.intValue()}) and read it when they need it, so most run-time changes
 * need no wiring. Settings whose change needs action register {@link Setting#onChange}.
 *
 * <p>Adding a directive: declare it here next to its kin with Redis's default; nothing
 * else needs to know about it for CONFIG GET/SET/REWRITE to work. Directives of features
 * Cairn does not have yet (replicaof, ...) are deliberately
 * absent, so that a configuration relying on them fails loudly instead of being ignored.
 */
public final class Config {
    private static final int INT_MAX = Integer.MAX_VALUE;
    private static final int INT_MIN = Integer.MIN_VALUE;
    private static final long UINT_MAX = 0xffffffffL;
    private static final long LONG_MAX = Long.MAX_VALUE;
    private static final long MB = 1024 * 1024;
    /** Redis clamps hz into this range (CONFIG_MIN_HZ, CONFIG_MAX_HZ). */
    private static final int MIN_HZ = 1;
    private static final int MAX_HZ = 500;
    /** Redis's CONFIG_BINDADDR_MAX. */
    private static final int MAX_BIND_ADDRESSES = 16;
    private static final int MAX_INCLUDE_DEPTH = 32;
    /** Directives Redis 7.0 still accepts in files with one value, and ignores. */
    private static final Set<String> DEPRECATED = Set.of(
            "list-max-ziplist-entries", "list-max-ziplist-value", "lua-replicate-commands");

    private final Map<String, Setting> byName = new LinkedHashMap<>();
    private final List<Setting> all = new ArrayList<>();
    /** Absolute path of the config file, or null when started without one. */
    private volatile String configFile;

    // ---- general --------------------------------------------------------------------
    public final Setting.Bool daemonize = add(new Setting.Bool("daemonize", false, Setting.IMMUTABLE));
    public final Setting.Choice supervised = add(choice("supervised", "no", Setting.IMMUTABLE,
            "upstart", "systemd", "auto", "no"));
    public final Setting.Text pidfile = add(new Setting.Text("pidfile", "", true, v -> {}, Setting.IMMUTABLE));
    public final Setting.Choice loglevel = add(choice("loglevel", "notice", 0, "debug", "verbose", "notice", "warning"));
    public final Setting.Text logfile = add(new Setting.Text("logfile", "", false, v -> {}, Setting.IMMUTABLE));
    public final Setting.Bool syslogEnabled = add(new Setting.Bool("syslog-enabled", false, Setting.IMMUTABLE));
    public final Setting.Text syslogIdent = add(new Setting.Text("syslog-ident", "redis", false, v -> {},
            Setting.IMMUTABLE));
    public final Setting.Choice syslogFacility = add(choice("syslog-facility", "local0", Setting.IMMUTABLE,
            "user", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"));
    public final Setting.Num databases = add(decimal("databases", 16, 1, INT_MAX, Setting.IMMUTABLE));
    public final Setting.Bool alwaysShowLogo = add(new Setting.Bool("always-show-logo", false, Setting.IMMUTABLE));
    public final Setting.Bool setProcTitle = add(new Setting.Bool("set-proc-title", true, Setting.IMMUTABLE));
    public final Setting.Text procTitleTemplate = add(new Setting.Text("proc-title-template",
            "{title} {listen-addr} {server-mode}", false, this::checkProcTitleTemplate, 0));
    public final Setting.Num hz = add(decimal("hz", 10, 0, INT_MAX, 0));
    public final Setting.Bool dynamicHz = add(new Setting.Bool("dynamic-hz", true, 0));
    public final Setting.Num activeExpireEffort = add(decimal("active-expire-effort", 1, 1, 10, 0));
    public final Setting.Bool activerehashing = add(new Setting.Bool("activerehashing", true, 0));
    /** The working directory for files the server writes; Redis chdirs into it. */
    public final Setting.Custom<String> dir = add(new Setting.Custom<>("dir", currentDirectory(),
            Config::changeDirectory, v -> v, (s, v, initial) -> List.of(new Setting.RewriteLine(
                    "dir " + ConfigText.quote(v), true)), Setting.PROTECTED));
    public final Setting.Bool crashLogEnabled = add(new Setting.Bool("crash-log-enabled", true, 0));
    public final Setting.Bool crashMemcheckEnabled = add(new Setting.Bool("crash-memcheck-enabled", true, 0));
    public final Setting.Bool disableThp = add(new Setting.Bool("disable-thp", true, Setting.IMMUTABLE));
    public final Setting.Bool jemallocBgThread = add(new Setting.Bool("jemalloc-bg-thread", true, 0));
    public final Setting.Choice oomScoreAdj = add(new Setting.Choice("oom-score-adj", "no",
            List.of("no", "yes", "relative", "absolute"), Map.of("relative", "yes"), 0));
    public final Setting.Custom<List<Integer>> oomScoreAdjValues = add(new Setting.Custom<>("oom-score-adj-values",
            List.of(0, 200, 800), Config::parseOomScoreAdjValues, Config::joinWords,
            (s, v, initial) -> s.line(joinWords(v), !v.equals(initial)), Setting.MULTI_ARG));

    // ---- network --------------------------------------------------------------------
    public final Setting.Num port = add(decimal("port", 6379, 0, 65535, 0));
    public final Setting.Custom<List<String>> bind = add(new Setting.Custom<>("bind", List.of("*", "-::*"),
            Config::parseBind, Config::joinWords, Config::rewriteBind, Setting.MULTI_ARG));
    public final Setting.Text unixsocket = add(new Setting.Text("unixsocket", "", true, v -> {}, Setting.IMMUTABLE));
    /** The unix socket's file mode, written in octal; 0 leaves the mode to the umask. */
    public final Setting.Custom<Integer> unixsocketperm = add(new Setting.Custom<>("unixsocketperm", 0,
            Config::parseOctalMode, Integer::toOctalString,
            (s, v, initial) -> s.line(Integer.toOctalString(v), !v.equals(initial)), Setting.IMMUTABLE));
    public final Setting.Num tcpBacklog = add(decimal("tcp-backlog", 511, 0, INT_MAX, Setting.IMMUTABLE));
    public final Setting.Num timeout = add(decimal("timeout", 0, 0, INT_MAX, 0));
    public final Setting.Num tcpKeepalive = add(decimal("tcp-keepalive", 300, 0, INT_MAX, 0));
    public final Setting.Num maxclients = add(new Setting.Num("maxclients", 10000, 1, UINT_MAX, NumFormat.DECIMAL, true, 0));
    public final Setting.Bool protectedMode = add(new Setting.Bool("protected-mode", true, 0));
    public final Setting.Text requirepass = add(new Setting.Text("requirepass", "", true, v -> {}, Setting.SENSITIVE));
    public final Setting.Num ioThreads = add(decimal("io-threads", 1, 1, 128, Setting.IMMUTABLE));
    public final Setting.Bool ioThreadsDoReads = add(new Setting.Bool("io-threads-do-reads", false, Setting.IMMUTABLE));

    // ---- client limits ---------------------------------------------------------------
    public final Setting.Num protoMaxBulkLen = add(new Setting.Num("proto-max-bulk-len", 512 * MB, MB, LONG_MAX,
            NumFormat.MEMORY, false, 0));
    public final Setting.Num clientQueryBufferLimit = add(new Setting.Num("client-query-buffer-limit", 1024 * MB, MB,
            LONG_MAX, NumFormat.MEMORY, true, 0));
    public final Setting.Custom<OutputBufferLimits> clientOutputBufferLimit = add(new Setting.Custom<>(
            "client-output-buffer-limit", OutputBufferLimits.DEFAULTS, OutputBufferLimits::parse,
            OutputBufferLimits::print, OutputBufferLimits::rewrite, Setting.MULTI_ARG));
    public final Setting.Num trackingTableMaxKeys = add(new Setting.Num("tracking-table-max-keys", 1_000_000, 0,
            LONG_MAX, NumFormat.DECIMAL, true, 0));

    // ---- memory limit and eviction ---------------------------------------------------
    /** The used_memory above which keys are evicted (or writes refused); 0 means no limit. */
    public final Setting.Num maxmemory = add(new Setting.Num("maxmemory", 0, 0, LONG_MAX, NumFormat.MEMORY, false,
            0));
    public final Setting.Choice maxmemoryPolicy = add(choice("maxmemory-policy", "noeviction", 0,
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu",
            "allkeys-random", "noeviction"));
    public final Setting.Num maxmemorySamples = add(decimal("maxmemory-samples", 5, 1, INT_MAX, 0));
    public final Setting.Num maxmemoryEvictionTenacity = add(decimal("maxmemory-eviction-tenacity", 10, 0, 100, 0));
    /**
     * The memory all normal and pubsub connections may hold together before the largest are
     * disconnected (client eviction); 0 disables it. Stored as Redis stores it: bytes, or
     * minus a percentage of maxmemory ({@code 5%} is -5).
     */
    public final Setting.Custom<Long> maxmemoryClients = add(new Setting.Custom<>("maxmemory-clients", 0L,
            Config::parseMemoryOrPercent, Config::printMemoryOrPercent,
            (s, v, initial) -> s.line(v < 0 ? printMemoryOrPercent(v) : Units.formatMemory(v), !v.equals(initial)),
            0));
    public final Setting.Num lfuLogFactor = add(decimal("lfu-log-factor", 10, 0, INT_MAX, 0));
    public final Setting.Num lfuDecayTime = add(decimal("lfu-decay-time", 1, 0, INT_MAX, 0));

    // ---- keyspace events -------------------------------------------------------------
    public final Setting.Custom<NotifyKeyspaceEvents> notifyKeyspaceEvents = add(new Setting.Custom<>(
            "notify-keyspace-events", NotifyKeyspaceEvents.NONE, NotifyKeyspaceEvents::parse,
            NotifyKeyspaceEvents::print, NotifyKeyspaceEvents::rewrite, 0));

    // ---- persistence ------------------------------------------------------------------
    /** Whether RDB strings (and DUMP payloads) are LZF-compressed when that saves space. */
    public final Setting.Bool rdbcompression = add(new Setting.Bool("rdbcompression", true, 0));
    /** Whether RDB files end with a CRC64 that loading verifies (zero when off). */
    public final Setting.Bool rdbchecksum = add(new Setting.Bool("rdbchecksum", true, Setting.IMMUTABLE));
    /** Deep checks of RESTORE payloads and RDB files: no, yes, or only for normal clients. */
    public final Setting.Choice sanitizeDumpPayload = add(choice("sanitize-dump-payload", "no", 0,
            "no", "yes", "clients"));
    /** When to BGSAVE on its own: after N seconds if at least M changes, per point. */
    public final Setting.Custom<SavePoints> save = add(new Setting.Custom<>("save", SavePoints.DEFAULTS,
            SavePoints::parse, SavePoints::print, SavePoints::rewrite, Setting.MULTI_ARG | Setting.REPEATABLE));
    /** The RDB file's name inside {@code dir}. */
    public final Setting.Text dbfilename = add(new Setting.Text("dbfilename", "dump.rdb", false,
            Config::checkFileName, Setting.PROTECTED));
    /** Refuse writes (MISCONF) while the last background save failed and save points exist. */
    public final Setting.Bool stopWritesOnBgsaveError = add(new Setting.Bool("stop-writes-on-bgsave-error", true, 0));
    /** Delete RDB files made only for replication when no persistence is configured. */
    public final Setting.Bool rdbDelSyncFiles = add(new Setting.Bool("rdb-del-sync-files", false, 0));
    /** fsync the RDB file every 32 MB while writing it, so the final fsync does not stall. */
    public final Setting.Bool rdbSaveIncrementalFsync = add(new Setting.Bool("rdb-save-incremental-fsync", true, 0));

    // ---- lazy freeing ----------------------------------------------------------------
    /** Accepted for redis.conf compatibility: an evicted value is freed by the garbage collector either way. */
    public final Setting.Bool lazyfreeLazyEviction = add(new Setting.Bool("lazyfree-lazy-eviction", false, 0));
    public final Setting.Bool lazyfreeLazyExpire = add(new Setting.Bool("lazyfree-lazy-expire", false, 0));
    public final Setting.Bool lazyfreeLazyServerDel = add(new Setting.Bool("lazyfree-lazy-server-del", false, 0));
    public final Setting.Bool lazyfreeLazyUserDel = add(new Setting.Bool("lazyfree-lazy-user-del", false, 0));
    public final Setting.Bool lazyfreeLazyUserFlush = add(new Setting.Bool("lazyfree-lazy-user-flush", false, 0));

    // ---- introspection ---------------------------------------------------------------
    // Thresholds past which a small collection leaves its compact encoding (the old
    // *-ziplist-* names are aliases, as in Redis 7.0).
    public final Setting.Num hashMaxListpackEntries = add(new Setting.Num("hash-max-listpack-entries", 512, 0,
            LONG_MAX, NumFormat.DECIMAL, true, 0, "hash-max-ziplist-entries"));
    public final Setting.Num hashMaxListpackValue = add(new Setting.Num("hash-max-listpack-value", 64, 0,
            LONG_MAX, NumFormat.MEMORY, true, 0, "hash-max-ziplist-value"));
    public final Setting.Num listMaxListpackSize = add(new Setting.Num("list-max-listpack-size", -2, INT_MIN,
            INT_MAX, NumFormat.DECIMAL, false, 0, "list-max-ziplist-size"));
    public final Setting.Num listCompressDepth = add(decimal("list-compress-depth", 0, 0, INT_MAX, 0));
    public final Setting.Num setMaxIntsetEntries = add(new Setting.Num("set-max-intset-entries", 512, 0,
            LONG_MAX, NumFormat.DECIMAL, true, 0));
    public final Setting.Num zsetMaxListpackEntries = add(new Setting.Num("zset-max-listpack-entries", 128, 0,
            LONG_MAX, NumFormat.DECIMAL, true, 0, "zset-max-ziplist-entries"));
    public final Setting.Num zsetMaxListpackValue = add(new Setting.Num("zset-max-listpack-value", 64, 0,
            LONG_MAX, NumFormat.MEMORY, true, 0, "zset-max-ziplist-value"));
    /** A stream node (one listpack of entries) takes new entries until it has this many bytes (0: no limit). */
    public final Setting.Num streamNodeMaxBytes = add(new Setting.Num("stream-node-max-bytes", 4096, 0,
            LONG_MAX, NumFormat.MEMORY, true, 0));
    /** ... or this many entries, deleted ones included (0: no limit). */
    public final Setting.Num streamNodeMaxEntries = add(new Setting.Num("stream-node-max-entries", 100, 0,
            LONG_MAX, NumFormat.DECIMAL, true, 0));

    public final Setting.Num slowlogLogSlowerThan = add(decimal("slowlog-log-slower-than", 10000, -1, LONG_MAX, 0));
    public final Setting.Num slowlogMaxLen = add(decimal("slowlog-max-len", 128, 0, LONG_MAX, 0));
    public final Setting.Num latencyMonitorThreshold = add(decimal("latency-monitor-threshold", 0, 0, LONG_MAX, 0));
    /** How long a script runs before other clients get BUSY (lua-time-limit is its old name). */
    public final Setting.Num busyReplyThreshold = add(new Setting.Num("busy-reply-threshold", 5000, 0, LONG_MAX,
            NumFormat.DECIMAL, false, 0, "lua-time-limit"));
    public final Setting.Bool latencyTracking = add(new Setting.Bool("latency-tracking", true, 0));
    public final Setting.Custom<List<Double>> latencyTrackingInfoPercentiles = add(new Setting.Custom<>(
            "latency-tracking-info-percentiles", List.of(50.0, 99.0, 99.9), Config::parsePercentiles,
            Config::printPercentiles, Config::rewritePercentiles, Setting.MULTI_ARG));

    // ---- append only file -------------------------------------------------------------
    public final Setting.Bool appendonly = add(new Setting.Bool("appendonly", false, 0));
    public final Setting.Text appendfilename = add(new Setting.Text("appendfilename", "appendonly.aof", false,
            v -> checkBaseName(v, "appendfilename can't be empty", "appendfilename can't be a path, just a filename"),
            Setting.IMMUTABLE));
    public final Setting.Text appenddirname = add(new Setting.Text("appenddirname", "appendonlydir", false,
            v -> checkBaseName(v, "appenddirname can't be empty", "appenddirname can't be a path, just a dirname"),
            Setting.IMMUTABLE));
    public final Setting.Choice appendfsync = add(choice("appendfsync", "everysec", 0, "everysec", "always", "no"));
    public final Setting.Bool noAppendfsyncOnRewrite = add(new Setting.Bool("no-appendfsync-on-rewrite", false, 0));
    public final Setting.Bool aofLoadTruncated = add(new Setting.Bool("aof-load-truncated", true, 0));
    public final Setting.Bool aofUseRdbPreamble = add(new Setting.Bool("aof-use-rdb-preamble", true, 0));
    public final Setting.Bool aofTimestampEnabled = add(new Setting.Bool("aof-timestamp-enabled", false, 0));
    public final Setting.Num autoAofRewritePercentage = add(decimal("auto-aof-rewrite-percentage", 100, 0, INT_MAX, 0));
    public final Setting.Num autoAofRewriteMinSize = add(new Setting.Num("auto-aof-rewrite-min-size", 64 * MB, 0,
            LONG_MAX, NumFormat.MEMORY, false, 0));
    public final Setting.Bool aofRewriteIncrementalFsync = add(new Setting.Bool("aof-rewrite-incremental-fsync",
            true, 0));

    // ---- protected features ----------------------------------------------------------
    public final Setting.Choice enableProtectedConfigs = add(choice("enable-protected-configs", "no",
            Setting.IMMUTABLE, "no", "yes", "local"));
    public final Setting.Choice enableDebugCommand = add(choice("enable-debug-command", "no", Setting.IMMUTABLE,
            "no", "yes", "local"));
    public final Setting.Choice enableModuleCommand = add(choice("enable-module-command", "no", Setting.IMMUTABLE,
            "no", "yes", "local"));

    public Config() {
        // Redis accepts any hz but runs within [1, 500], and CONFIG GET shows the clamped value.
        hz.onChange(s -> clampHz());
        // port and bind are applied by the server's Listeners, which registers their reactions.
    }

    /** Redis's check of appendfilename and appenddirname: a plain name, not a path. */
    private static void checkBaseName(String value, String empty, String path) throws ConfigException {
        if (value.isEmpty()) throw new ConfigException(empty);
        if (value.contains("/")) throw new ConfigException(path);
    }

    private static Setting.Num decimal(String name, long initial, long min, long max, int flags) {
        return new Setting.Num(name, initial, min, max, NumFormat.DECIMAL, false, flags);
    }

    private static Setting.Choice choice(String name, String initial, int flags, String... names) {
        return new Setting.Choice(name, initial, List.of(names), Map.of(), flags);
    }

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

    /** Every name and alias with its setting, in declaration order (what CONFIG GET patterns see). */
    public Map<String, Setting> names() {
        return Collections.unmodifiableMap(byName);
    }

    /** True if a CONFIG GET argument is a glob pattern rather than a name. */
    public static boolean isPattern(String text) {
        return NamePattern.isPattern(text);
    }

    /** Redis's case-insensitive glob match of a directive name. */
    public static boolean nameMatches(String pattern, String name) {
        return NamePattern.matches(pattern, name);
    }

    public String configFile() {
        return configFile;
    }

    public void configFile(String absolutePath) {
        this.configFile = absolutePath;
    }

    // ---- CONFIG SET ----------------------------------------------------------------

    /** A CONFIG SET that failed, naming the directive Redis's message points at. */
    public static final class SetFailure extends Exception {
        private final String argument;
        private final boolean whileApplying;

        SetFailure(String argument, String reason, boolean whileApplying) {
            super(reason, null, false, false);
            this.argument = argument;
            this.whileApplying = whileApplying;
        }

        /** The directive name as the error shows it. */
        public String argument() {
            return argument;
        }

        /** True when the values parsed but the server could not act on them (already logged by Redis). */
        public boolean whileApplying() {
            return whileApplying;
        }
    }

    /**
     * Sets several directives at once, all or nothing, as CONFIG SET does: every value is
     * parsed and stored, then the reactions of the settings that changed run (each
     * reaction once). If a value does not parse or a reaction fails, every setting is put
     * back and the reactions run again for the restored values.
     *
     * @param names the names as looked up (the error names the failing one this way)
     */
    public void setAtomically(List<Setting> settings, List<String> names, List<String> values) throws SetFailure {
        int n = settings.size();
        Object[] before = new Object[n];
        for (int i = 0; i < n; i++) before[i] = settings.get(i).snapshot();
        Map<Setting.Reaction, Integer> reactions = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            Setting s = settings.get(i);
            try {
                s.set(setArguments(s, values.get(i)));
            } catch (ConfigException e) {
                for (int k = 0; k <= i; k++) settings.get(k).restore(before[k]);
                throw new SetFailure(names.get(i), e.getMessage(), false);
            }
            if (!Objects.equals(before[i], s.snapshot())) {
                for (Setting.Reaction r : s.reactions()) reactions.putIfAbsent(r, i);
            }
        }
        for (var e : reactions.entrySet()) {
            int i = e.getValue();
            try {
                e.getKey().changed(settings.get(i));
            } catch (ConfigException failure) {
                for (int k = 0; k < n; k++) settings.get(k).restore(before[k]);
                for (var undo : reactions.entrySet()) {
                    try {
                        undo.getKey().changed(settings.get(undo.getValue()));
                    } catch (ConfigException ignored) {
                        // Redis only logs a failure to re-apply the old values.
                    }
                }
                throw new SetFailure(names.get(i), failure.getMessage(), true);
            }
        }
    }

    /** Sets one directive at run time, as a CONFIG SET of that directive alone. */
    public void set(Setting setting, String value) throws ConfigException {
        try {
            setAtomically(List.of(setting), List.of(setting.name), List.of(value));
        } catch (SetFailure e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** CONFIG SET's value as words: multi-word directives split on single spaces, as Redis does. */
    private static List<String> setArguments(Setting s, String value) {
        if (!s.has(Setting.MULTI_ARG)) return List.of(value);
        return value.isEmpty() ? List.of() : Arrays.asList(value.split(" ", -1));
    }

    private static void checkFileName(String name) throws ConfigException {
        if (name.contains("/")) throw new ConfigException("dbfilename can't be a path, just a filename");
    }

    private void clampHz() {
        if (hz.value() < MIN_HZ) hz.assign(MIN_HZ);
        if (hz.value() > MAX_HZ) hz.assign(MAX_HZ);
    }

    // ---- CONFIG REWRITE ------------------------------------------------------------

    /**
     * Rewrites the config file with the current values, keeping its comments and order
     * (see {@link ConfigRewrite}).
     *
     * @throws ConfigException with the system's reason the file could not be read or replaced
     * @throws IllegalStateException when running without a config file
     */
    public void rewrite() throws ConfigException {
        String path = configFile;
        if (path == null) throw new IllegalStateException("no config file");
        try {
            ConfigRewrite.rewriteFile(Path.of(path), this);
        } catch (IOException e) {
            throw new ConfigException(ioReason(e));
        }
    }

    /** The strerror-style reason of a file error, as Redis reports it. */
    static String ioReason(IOException e) {
        return switch (e) {
            case NoSuchFileException x -> "No such file or directory";
            case java.nio.file.AccessDeniedException x -> "Permission denied";
            case NotDirectoryException x -> "Not a directory";
            case java.nio.file.FileSystemException x when x.getReason() != null -> x.getReason();
            default -> {
                // java.io reports "path (reason)"
                String m = String.valueOf(e.getMessage());
                int open = m.lastIndexOf(" (");
                yield open >= 0 && m.endsWith(")") ? m.substring(open + 2, m.length() - 1) : m;
            }
        };
    }

    // ---- reading redis.conf --------------------------------------------------------

    /**
     * Applies redis.conf text, line by line, as Redis's {@code loadServerConfigFromString}:
     * lines trimmed, blank lines and {@code #} comments skipped, words split with quotes
     * honoured, directive names case-insensitive, {@code include} reading another file
     * (its errors name its own lines). Then checks what Redis checks once everything is
     * read: that the log file can be opened, and hz within range.
     *
     * @param text the configuration, one char per byte (ISO-8859-1)
     * @throws ConfigFileError at the first bad line, with Redis's reason
     */
    public void load(String text) throws ConfigFileError {
        loadText(text, 0);
        if (!logfile.value().isEmpty()) {
            try (FileOutputStream probe = new FileOutputStream(logfile.value(), true)) {
                // opened: the log file is usable
            } catch (IOException e) {
                throw new ConfigFileError(0, null, "Can't open the log file: " + ioReason(e));
            }
        }
        clampHz();
    }

    /** Arguments of the {@link Setting#REPEATABLE} directives read so far from the files. */
    private final Map<Setting, List<String>> repeated = new LinkedHashMap<>();

    private void loadText(String text, int depth) throws ConfigFileError {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = ConfigText.trim(lines[i]);
            if (line.isEmpty() || line.charAt(0) == '#') continue;
            List<String> words = ConfigText.words(line);
            if (words == null) throw new ConfigFileError(i + 1, line, "Unbalanced quotes in configuration line");
            if (words.isEmpty()) continue;
            String name = words.getFirst().toLowerCase(Locale.ROOT);
            Setting setting = byName.get(name);
            if (setting != null) {
                if (!setting.has(Setting.MULTI_ARG) && words.size() != 2) {
                    throw new ConfigFileError(i + 1, line, "wrong number of arguments");
                }
                List<String> args = words.subList(1, words.size());
                // A multi-word directive given as one quoted word ("--save '60 1'" on the
                // command line) has its words split out, as Redis does.
                if (setting.has(Setting.MULTI_ARG) && args.size() == 1 && !args.getFirst().isEmpty()) {
                    args = Arrays.asList(args.getFirst().split(" ", -1));
                }
                if (setting.has(Setting.REPEATABLE)) {
                    List<String> all = repeated.computeIfAbsent(setting, k -> new ArrayList<>());
                    all.addAll(args);
                    args = all;
                }
                try {
                    setting.set(args);
                } catch (ConfigException e) {
                    throw new ConfigFileError(i + 1, line, e.getMessage());
                }
            } else if (DEPRECATED.contains(name) && words.size() == 2) {
                continue;
            } else if (name.equals("include") && words.size() == 2) {
                if (depth >= MAX_INCLUDE_DEPTH) throw new ConfigFileError(i + 1, line, "Too many nested includes");
                for (String included : readIncluded(words.get(1))) loadText(included, depth + 1);
            } else {
                throw new ConfigFileError(i + 1, line, "Bad directive or wrong number of arguments");
            }
        }
    }

    /**
     * The text of an included file, or of each file a wildcard names (in name order;
     * none is fine, so an empty conf.d directory can be included).
     */
    private static List<String> readIncluded(String pattern) throws ConfigFileError {
        List<String> texts = new ArrayList<>();
        if (!isPattern(pattern)) {
            texts.add(readConfigFile(Path.of(pattern)));
            return texts;
        }
        Path full = Path.of(pattern);
        Path parent = full.getParent() == null ? Path.of(".") : full.getParent();
        String namePattern = full.getFileName().toString();
        List<Path> matches = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path p : entries) {
                String fileName = p.getFileName().toString();
                if (!fileName.startsWith(".") && Glob.matches(namePattern.getBytes(StandardCharsets.ISO_8859_1), fileName.getBytes(StandardCharsets.ISO_8859_1))) {
                    matches.add(full.getParent() == null ? p.getFileName() : p);
                }
            }
        } catch (IOException e) {
            return texts;
        }
        matches.sort(null);
        for (Path p : matches) texts.add(readConfigFile(p));
        return texts;
    }

    /** Reads a config file as ISO-8859-1 text, or fails as redis-server does. */
    public static String readConfigFile(Path file) throws ConfigFileError {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw ConfigFileError.cannotOpen(file.toString(), ioReason(e));
        }
    }

    /**
     * Turns redis-server command-line options ({@code --port 6380 --save ""}) into config
     * text applied after the file, exactly as Redis builds it: each {@code --name} starts
     * a line, the words after it are quoted onto it, a word right after a bare name is
     * its value even if it starts with {@code --}, and a bare {@code --save} means
     * {@code save ""}. A lone {@code -} (read stdin) is left to the caller.
     */
    public static String optionsToText(List<String> options) {
        StringBuilder sb = new StringBuilder();
        boolean nameTakesNext = false;
        for (int j = 0; j < options.size(); j++) {
            String o = options.get(j);
            boolean last = j == options.size() - 1;
            if (o.equals("-") && (j == 0 || last)) continue;
            if (!nameTakesNext && o.startsWith("--")) {
                if (!sb.isEmpty()) sb.append('\n');
                sb.append(o, 2, o.length()).append(' ');
                List<String> words = ConfigText.words(o);
                if (words != null && words.size() == 1) {
                    nameTakesNext = true;
                    boolean nextIsName = !last && options.get(j + 1).startsWith("--");
                    if (o.equalsIgnoreCase("--save") && (nextIsName || last)) {
                        sb.append("\"\"");
                        nameTakesNext = !nextIsName;
                    } else if (o.equalsIgnoreCase("--sentinel") && nextIsName) {
                        nameTakesNext = false;
                    }
                } else {
                    nameTakesNext = false;
                }
            } else {
                sb.append(ConfigText.quote(o)).append(' ');
                nameTakesNext = false;
            }
        }
        return sb.toString();
    }

    // ---- directives with their own syntax ------------------------------------------

    private static String joinWords(List<?> words) {
        StringBuilder sb = new StringBuilder();
        for (Object w : words) {
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(w);
        }
        return sb.toString();
    }

    private static Integer parseOctalMode(List<String> args, Integer current) throws ConfigException {
        Long mode = Units.parseCLong(args.getFirst(), 8);
        if (mode == null) throw new ConfigException("argument couldn't be parsed as an octal number");
        // Redis stores it unsigned: negative modes fail the range check too.
        if (mode < 0 || mode > 0777) throw new ConfigException("argument must be between 0 and 777 inclusive");
        return mode.intValue();
    }

    private static List<String> parseBind(List<String> args, List<String> current) throws ConfigException {
        if (args.size() > MAX_BIND_ADDRESSES) throw new ConfigException("Too many bind addresses specified.");
        if (args.size() == 1 && args.getFirst().isEmpty()) return List.of();
        return List.copyOf(args);
    }

    private static List<Setting.RewriteLine> rewriteBind(Setting.Custom<List<String>> s, List<String> v,
            List<String> initial) {
        if (v.equals(initial)) return List.of();
        return List.of(new Setting.RewriteLine("bind " + (v.isEmpty() ? "\"\"" : joinWords(v)), true));
    }

    private static List<Integer> parseOomScoreAdjValues(List<String> args, List<Integer> current)
            throws ConfigException {
        if (args.size() != 3) throw new ConfigException("wrong number of arguments");
        List<Integer> values = new ArrayList<>(3);
        for (String a : args) {
            Long v = Units.parseCLong(a, 10);
            if (v == null || v < -2000 || v > 2000) {
                throw new ConfigException("Invalid oom-score-adj-values, elements must be between -2000 and 2000.");
            }
            values.add(v.intValue());
        }
        return List.copyOf(values);
    }

    /**
     * Redis's numeric parsing of a memory-or-percent directive: a memory amount first (a
     * value past the signed range reads as negative, so as a percentage, as in Redis), else
     * a strict non-negative integer followed by '%', stored negated; at most 100%.
     */
    private static Long parseMemoryOrPercent(List<String> args, Long current) throws ConfigException {
        String text = args.getFirst();
        Long value = Units.parseMemory(text);
        if (value == null && text.length() > 1 && text.endsWith("%")) {
            Long percent = Units.parseInteger(text.substring(0, text.length() - 1));
            if (percent != null && percent >= 0) value = -percent;
        }
        if (value == null) throw new ConfigException("argument must be a memory or percent value");
        if (value < -100) throw new ConfigException("percentage argument must be less or equal to 100");
        return value;
    }

    private static String printMemoryOrPercent(Long value) {
        return value < 0 ? -value + "%" : Long.toString(value);
    }

    private static List<Double> parsePercentiles(List<String> args, List<Double> current) throws ConfigException {
        if (args.size() == 1 && args.getFirst().isEmpty()) return List.of();
        List<Double> values = new ArrayList<>(args.size());
        for (String a : args) {
            Double d = dev.cairn.protocol.Numbers.parseDouble(a.getBytes(StandardCharsets.ISO_8859_1));
            if (d == null) throw new ConfigException("Invalid latency-tracking-info-percentiles parameters");
            if (d > 100.0 || d < 0.0) {
                throw new ConfigException("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]");
            }
            values.add(d);
        }
        return List.copyOf(values);
    }

    /** "%f" with trailing zeros (and a bare point) removed, as Redis prints percentiles. */
    private static String percentile(double d) {
        String s = String.format(Locale.ROOT, "%f", d);
        if (s.indexOf('.') >= 0) {
            int end = s.length();
            while (s.charAt(end - 1) == '0') end--;
            if (s.charAt(end - 1) == '.') end--;
            s = s.substring(0, end);
        }
        return s;
    }

    private static String printPercentiles(List<Double> values) {
        List<String> words = new ArrayList<>(values.size());
        for (double d : values) words.add(percentile(d));
        return joinWords(words);
    }

    /** Always written, as {@code ""} when empty so the defaults do not come back at the next start. */
    private static List<Setting.RewriteLine> rewritePercentiles(Setting.Custom<List<Double>> s, List<Double> v,
            List<Double> initial) {
        return List.of(new Setting.RewriteLine(s.name() + " " + (v.isEmpty() ? "\"\"" : printPercentiles(v)), true));
    }

    private static String currentDirectory() {
        try {
            return Path.of("").toRealPath().toString();
        } catch (IOException e) {
            return Path.of("").toAbsolutePath().toString();
        }
    }

    /** dir: Redis chdirs, so the target must be an existing, searchable directory. */
    private static String changeDirectory(List<String> args, String current) throws ConfigException {
        if (args.size() != 1) throw new ConfigException("wrong number of arguments");
        if (args.getFirst().isEmpty()) throw new ConfigException("No such file or directory");
        Path target = Path.of(current).resolve(args.getFirst());
        if (!Files.exists(target)) throw new ConfigException("No such file or directory");
        if (!Files.isDirectory(target)) throw new ConfigException("Not a directory");
        if (!Files.isExecutable(target)) throw new ConfigException("Permission denied");
        try {
            return target.toRealPath().toString();
        } catch (IOException e) {
            throw new ConfigException(ioReason(e));
        }
    }

    /**
     * proc-title-template must expand (known {variables}, balanced braces) to something
     * other than blanks. Cairn cannot retitle a JVM process, but keeps Redis's checks.
     */
    private void checkProcTitleTemplate(String template) throws ConfigException {
        String invalid = "template format is invalid or contains unknown variables";
        StringBuilder out = new StringBuilder();
        int p = 0;
        while (p < template.length()) {
            int open = template.indexOf('{', p);
            if (open < 0) {
                out.append(template, p, template.length());
                break;
            }
            out.append(template, p, open);
            if (open + 1 >= template.length()) throw new ConfigException(invalid);
            if (template.charAt(open + 1) == '{') {
                out.append('{');
                p = open + 2;
                continue;
            }
            int close = template.indexOf('}', open + 1);
            if (close < 0) throw new ConfigException(invalid);
            String value = switch (template.substring(open + 1, close)) {
                case "title" -> "cairn-server";
                case "listen-addr" -> port.value() != 0
                        ? (bind.value().isEmpty() ? "*" : bind.value().getFirst()) + ":" + port.value()
                        : unixsocket.value();
                case "server-mode", "tls-port" -> "";
                case "config-file" -> configFile == null ? "" : configFile;
                case "port" -> Long.toString(port.value());
                case "unixsocket" -> unixsocket.value();
                default -> throw new ConfigException(invalid);
            };
            out.append(value);
            p = close + 1;
        }
        if (out.toString().strip().isEmpty()) throw new ConfigException(invalid);
    }

    /** A bad line in the configuration, reported the way redis-server reports it. */
    public static final class ConfigFileError extends Exception {
        private final int line;
        private final String text;
        private final boolean unreadableFile;

        ConfigFileError(int line, String text, String reason) {
            this(line, text, reason, false);
        }

        private ConfigFileError(int line, String text, String reason, boolean unreadableFile) {
            super(reason, null, false, false);
            this.line = line;
            this.text = text;
            this.unreadableFile = unreadableFile;
        }

        /** A config file (or an included one) that cannot be read. */
        static ConfigFileError cannotOpen(String path, String reason) {
            return new ConfigFileError(0, null, "Fatal error, can't open config file '" + path + "': " + reason, true);
        }

        /** The line number (1-based) of the bad line, 0 when the error is not about a line. */
        public int line() {
            return line;
        }

        /** The message redis-server prints before exiting with status 1. */
        public String report(String version) {
            if (unreadableFile) return getMessage() + "\n";
            String where = line > 0 ? "Reading the configuration file, at line " + line + "\n>>> '" + text + "'\n" : "";
            return "\n*** FATAL CONFIG FILE ERROR (Redis " + version + ") ***\n" + where + getMessage() + "\n";
        }
    }
}
