package dev.cairn.command;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The command table: every command's spec (data, from {@code resources/commands/*.spec})
 * joined with its handler (code, registered by the per-group classes listed in
 * {@link #GROUPS}). It answers lookups for dispatch and is what COMMAND and COMMAND DOCS
 * report. Building it fails loudly when a spec has no handler or a handler no spec.
 */
public final class CommandTable {
    /** Spec files, one per command group. */
    static final List<String> SPEC_FILES = List.of(
            "connection", "string", "bitmap", "generic", "database", "dump", "config", "server", "persistence",
            "client",
            "introspection",
            "transactions",
            "list", "stream",
            "hash",
            "set",
            "zset",
            "sort",
            "pubsub",
            "scripting",
            "bloom",
            "cuckoo");

    /** Each group's handler registration. */
    static final List<Consumer<Map<String, CommandHandler>>> GROUPS = List.of(
            ConnectionCommands::register,
            PersistenceCommands::register,
            StringCommands::register,
            BitmapCommands::register,
            ListCommands::register,
            StreamCommands::register,
            StreamGroupCommands::register,
            KeyCommands::register,
            ExpireCommands::register,
            DatabaseCommands::register,
            ConfigCommand::register,
            InfoCommand::register,
            ClientCommand::register,
            MonitorCommand::register,
            ShutdownCommand::register,
            CommandCommand::register,
            SlowlogCommand::register,
            LatencyCommand::register,
            MemoryCommand::register,
            DebugCommand::register,
            ServerCommands::register,
            TransactionCommands::register,
            HashCommands::register,
            SetCommands::register,
            PubSubCommands::register,
            ZSetCommands::register,
            ZSetRangeCommands::register,
            ZSetAlgebra::register,
            SortCommand::register,
            BloomCommands::register,
            CuckooCommands::register,
            DumpRestoreCommands::register,
            dev.cairn.scripting.ScriptingCommands::register,
            dev.cairn.persistence.AofCommands::register);

    /** ACL categories in Redis's bit order, which is the order COMMAND INFO prints them. */
    private static final List<String> ACL_ORDER = List.of(
            "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap",
            "hyperloglog", "geo", "stream", "pubsub", "admin", "fast", "slow", "blocking",
            "dangerous", "connection", "transaction", "scripting");

    private final Map<String, CommandSpec> commands;
    /**
     * The top-level commands again, in an open-addressing array keyed by lower-case name
     * bytes, so that dispatch finds a command from the raw request bytes without
     * allocating a String (the lookup is on every request's path).
     */
    private final byte[][] fastNames;
    private final CommandSpec[] fastSpecs;

    private CommandTable(Map<String, CommandSpec> commands) {
        this.commands = commands;
        int capacity = Integer.highestOneBit(Math.max(commands.size(), 1) * 4);
        fastNames = new byte[capacity][];
        fastSpecs = new CommandSpec[capacity];
        for (CommandSpec spec : commands.values()) {
            byte[] name = spec.name().getBytes(StandardCharsets.US_ASCII);
            int at = caseFoldHash(name) & (capacity - 1);
            while (fastNames[at] != null) at = (at + 1) & (capacity - 1);
            fastNames[at] = name;
            fastSpecs[at] = spec;
        }
    }

    private static int caseFoldHash(byte[] name) {
        int h = 0;
        for (byte b : name) h = h * 31 + (b | 0x20);
        return h ^ (h >>> 16);
    }

    /** The top-level spec whose name equals {@code name} ignoring ASCII case, or null. */
    private CommandSpec findTopLevel(byte[] name) {
        int mask = fastNames.length - 1;
        for (int at = caseFoldHash(name) & mask; fastNames[at] != null; at = (at + 1) & mask) {
            if (equalsIgnoreCase(fastNames[at], name)) return fastSpecs[at];
        }
        return null;
    }

    private static boolean equalsIgnoreCase(byte[] lower, byte[] name) {
        if (lower.length != name.length) return false;
        for (int i = 0; i < lower.length; i++) {
            int c = name[i];
            if (c >= 'A' && c <= 'Z') c += 32;
            if (c != lower[i]) return false;
        }
        return true;
    }

    /** Loads the specs and binds the handlers; throws if the two do not match. */
    public static CommandTable load() {
        Map<String, CommandSpec.Builder> builders = new LinkedHashMap<>();
        for (String file : SPEC_FILES) {
            String path = "/commands/" + file + ".spec";
            try (InputStream in = CommandTable.class.getResourceAsStream(path)) {
                if (in == null) throw new IllegalStateException("missing " + path);
                SpecFile.read(in, path, builders);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        Map<String, CommandHandler> handlers = new HashMap<>();
        for (var group : GROUPS) group.accept(handlers);
        Map<String, CommandSpec> specs = new LinkedHashMap<>();
        for (var b : builders.values()) {
            deriveAcl(b);
            for (var sub : b.subcommands.values()) deriveAcl(sub);
            specs.put(b.name, b.build(handlers));
        }
        checkBindings(specs, handlers);
        return new CommandTable(Collections.unmodifiableMap(specs));
    }

    private static void checkBindings(Map<String, CommandSpec> specs, Map<String, CommandHandler> handlers) {
        Set<String> named = new java.util.HashSet<>();
        for (CommandSpec s : specs.values()) {
            if (s.isContainer()) {
                // A container may also run on its own (COMMAND with no subcommand).
                if (s.handler() != null) named.add(s.name());
                for (CommandSpec sub : s.subcommands().values()) {
                    named.add(sub.name());
                    if (sub.handler() == null) throw new IllegalStateException("no handler for " + sub.name());
                }
            } else {
                named.add(s.name());
                if (s.handler() == null) throw new IllegalStateException("no handler for " + s.name());
            }
        }
        for (String h : handlers.keySet()) {
            if (!named.contains(h)) throw new IllegalStateException("handler without spec: " + h);
        }
    }

    /** Adds Redis's implied ACL categories and orders them as Redis prints them. */
    private static void deriveAcl(CommandSpec.Builder b) {
        Set<String> cats = new java.util.HashSet<>(b.acl);
        Set<CommandFlag> f = b.flags;
        if (f.contains(CommandFlag.WRITE)) cats.add("write");
        if (f.contains(CommandFlag.READONLY) && !cats.contains("scripting")) cats.add("read");
        if (f.contains(CommandFlag.ADMIN)) {
            cats.add("admin");
            cats.add("dangerous");
        }
        if (f.contains(CommandFlag.PUBSUB)) cats.add("pubsub");
        if (f.contains(CommandFlag.FAST)) cats.add("fast");
        if (f.contains(CommandFlag.BLOCKING)) cats.add("blocking");
        if (!cats.contains("fast")) cats.add("slow");
        b.acl = ACL_ORDER.stream().filter(cats::contains).toList();
    }

    /**
     * The spec to run for a request: the command, or its subcommand for a container
     * given a second argument. Null when unknown.
     */
    public CommandSpec lookup(byte[][] argv) {
        CommandSpec spec = findTopLevel(argv[0]);
        if (spec == null || !spec.isContainer() || argv.length < 2) return spec;
        return spec.subcommands().get(new String(argv[1], StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT));
    }

    /** The top-level spec by name (case-insensitive), or null. */
    public CommandSpec get(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int bar = lower.indexOf('|');
        if (bar < 0) return commands.get(lower);
        CommandSpec parent = commands.get(lower.substring(0, bar));
        return parent == null ? null : parent.subcommands().get(lower.substring(bar + 1));
    }

    public Collection<CommandSpec> all() {
        return commands.values();
    }

    public int size() {
        return commands.size();
    }
}
