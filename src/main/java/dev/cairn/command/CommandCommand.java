package dev.cairn.command;

import dev.cairn.keyspace.Glob;
import java.nio.charset.StandardCharsets;

import dev.cairn.protocol.Reply;
import dev.cairn.server.Client;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * COMMAND and its subcommands: the command table described to clients. Everything is
 * derived from the specs, so commands added by any group are described without code
 * here: COMMAND INFO's flags, key positions and key specs from the spec's flags and
 * {@link KeySpec}, COMMAND DOCS's arguments from its syntax line ({@link ArgumentSyntax}).
 */
final class CommandCommand {
    /** Flags COMMAND INFO never prints (Redis has no reply name for them). */
    private static final Set<CommandFlag> UNPRINTED = EnumSet.of(
            CommandFlag.SENTINEL, CommandFlag.ONLY_SENTINEL, CommandFlag.PROTECTED);

    private CommandCommand() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("command", c -> replyInfoOfAll(c));
        h.put("command|count", c -> c.reply().integer(c.server().commands().size()));
        h.put("command|info", CommandCommand::info);
        h.put("command|docs", CommandCommand::docs);
        h.put("command|list", CommandCommand::list);
        h.put("command|getkeys", c -> getKeys(c, false));
        h.put("command|getkeysandflags", c -> getKeys(c, true));
        h.put("command|help", CommandCommand::help);
    }

    // ---- COMMAND INFO ---------------------------------------------------------------------

    private static void replyInfoOfAll(Client c) {
        Collection<CommandSpec> all = c.server().commands().all();
        c.reply().array(all.size());
        for (CommandSpec spec : all) replyInfo(c.reply(), spec);
    }

    static void info(Client c) {
        if (c.argc() == 2) {
            replyInfoOfAll(c);
            return;
        }
        c.reply().array(c.argc() - 2);
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec spec = c.server().commands().get(c.argString(i));
            if (spec == null) c.reply().nullBulk();
            else replyInfo(c.reply(), spec);
        }
    }

    /** Redis 7.0's ten-element description of a command. */
    static void replyInfo(Reply r, CommandSpec spec) {
        r.array(10);
        r.bulk(spec.name());
        r.integer(spec.arity());
        List<CommandFlag> flags = spec.flags().stream().filter(f -> !UNPRINTED.contains(f)).sorted().toList();
        r.set(flags.size());
        for (CommandFlag f : flags) r.status(f.wireName());
        KeySpec keys = spec.keys();
        r.integer(keys.first());
        r.integer(keys.last());
        r.integer(keys.step());
        r.set(spec.aclCategories().size());
        for (String cat : spec.aclCategories()) r.status("@" + cat);
        r.set(spec.tips().size());
        for (String tip : spec.tips()) r.bulk(tip);
        replyKeySpecs(r, spec);
        if (spec.isContainer()) {
            r.array(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) replyInfo(r, sub);
        } else {
            r.set(0);
        }
    }

    /**
     * The key specs: one for the range of keys ({@code first last step}) and one for
     * keys counted by an argument, as Redis describes the same positions. A range whose
     * first key has other flags than the rest (SMOVE, SINTERSTORE) is two specs, as in Redis.
     */
    private static void replyKeySpecs(Reply r, CommandSpec spec) {
        KeySpec keys = spec.keys();
        List<List<String>> groups = keys.first() > 0 ? rangeGroups(spec) : List.of();
        r.set(groups.size() + (keys.movable() ? 1 : 0) + spec.unknownKeys().size());
        for (int i = 0; i < groups.size(); i++) {
            int index = keys.first() + i * keys.step();
            boolean rest = i == groups.size() - 1;
            beginKeySpec(r, keyNotes(spec, i), groups.get(i), "index", 1);
            r.bulk("index");
            r.integer(index);
            findKeysInRange(r, !rest ? 0 : keys.last() < 0 ? keys.last() : keys.last() - index, keys.step(), 0);
        }
        if (keys.keyword() != null) {
            KeySpec.Keyword k = keys.keyword();
            beginKeySpec(r, keyNotes(spec, groups.size()), keyFlags(spec, true), "keyword", 2);
            r.bulk("keyword");
            r.bulk(k.word());
            r.bulk("startfrom");
            r.integer(k.startFrom());
            findKeysInRange(r, k.lastKey(), k.keyStep(), k.limit());
        } else if (keys.movable()) {
            beginKeySpec(r, keyNotes(spec, groups.size()), keyFlags(spec, true), "index", 1);
            r.bulk("index");
            r.integer(keys.numkeysIndex());
            r.bulk("find_keys");
            r.map(2);
            r.bulk("type");
            r.bulk("keynum");
            r.bulk("spec");
            r.map(3);
            r.bulk("keynumidx");
            r.integer(0);
            r.bulk("firstkey");
            r.integer(keys.numkeysFirstOffset());
            r.bulk("keystep");
            r.integer(Math.max(keys.step(), 1));
        }
        for (CommandSpec.UnknownKeys unknown : spec.unknownKeys()) {
            r.map(4);
            r.bulk("notes");
            r.bulk(unknown.notes());
            r.bulk("flags");
            replyStatusSet(r, unknown.flags());
            for (String part : new String[] {"begin_search", "find_keys"}) {
                r.bulk(part);
                r.map(2);
                r.bulk("type");
                r.bulk("unknown");
                r.bulk("spec");
                r.map(0);
            }
        }
    }

    /** The notes of the key spec at this position of COMMAND INFO's list, or null. */
    private static String keyNotes(CommandSpec spec, int position) {
        return position < spec.keyNotes().size() ? spec.keyNotes().get(position) : null;
    }

    /**
     * Writes a key spec's map header, its notes if any, its flags and its begin_search of
     * this type up to the spec map's header: the caller writes the {@code specFields}.
     */
    private static void beginKeySpec(Reply r, String notes, List<String> flags, String searchType, int specFields) {
        r.map(notes == null ? 3 : 4);
        if (notes != null) {
            r.bulk("notes");
            r.bulk(notes);
        }
        r.bulk("flags");
        replyStatusSet(r, flags);
        r.bulk("begin_search");
        r.map(2);
        r.bulk("type");
        r.bulk(searchType);
        r.bulk("spec");
        r.map(specFields);
    }

    /** Writes a key spec's find_keys of type range. */
    private static void findKeysInRange(Reply r, int lastKey, int keyStep, int limit) {
        r.bulk("find_keys");
        r.map(2);
        r.bulk("type");
        r.bulk("range");
        r.bulk("spec");
        r.map(3);
        r.bulk("lastkey");
        r.integer(lastKey);
        r.bulk("keystep");
        r.integer(keyStep);
        r.bulk("limit");
        r.integer(limit);
    }

    /**
     * The flags of the range key spec, or of the counted keys' spec: the spec's
     * {@code keyflags} line (the part after {@code |} for counted keys when the two
     * differ, as ZUNIONSTORE's destination and sources do), or else the most common
     * flags of commands like it in Redis: read-only commands read their keys (RO
     * access), others are assumed to read and update them (RW access update), as Redis
     * assumes for scripts.
     */
    static List<String> keyFlags(CommandSpec spec, boolean counted) {
        List<String> written = spec.keyFlags();
        int bar = written.indexOf("|");
        if (bar >= 0) written = counted ? written.subList(bar + 1, written.size()) : written.subList(0, bar);
        if (!written.isEmpty()) return written;
        if (spec.has(CommandFlag.READONLY) && !spec.has(CommandFlag.WRITE)) return List.of("RO", "access");
        return List.of("RW", "access", "update");
    }

    /**
     * The key specs of the range, as their flags: one spec for the whole range, or, when
     * the keyflags line separates groups with {@code /} (LMOVE's {@code RW access delete
     * / RW insert}), one spec per group, each for one key of the range in order and the
     * last for the rest of it, as Redis describes a source and a destination.
     */
    static List<List<String>> rangeGroups(CommandSpec spec) {
        List<String> flags = keyFlags(spec, false);
        List<List<String>> groups = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= flags.size(); i++) {
            if (i == flags.size() || flags.get(i).equals("/")) {
                groups.add(flags.subList(from, i));
                from = i + 1;
            }
        }
        return groups;
    }

    private static void replyStatusSet(Reply r, List<String> words) {
        r.set(words.size());
        for (String w : words) r.status(w);
    }

    // ---- COMMAND DOCS ---------------------------------------------------------------------

    static void docs(Client c) {
        Reply r = c.reply();
        if (c.argc() == 2) {
            Collection<CommandSpec> all = c.server().commands().all();
            r.map(all.size());
            for (CommandSpec spec : all) {
                r.bulk(spec.name());
                replyDocs(r, spec);
            }
            return;
        }
        List<CommandSpec> found = new ArrayList<>();
        for (int i = 2; i < c.argc(); i++) {
            CommandSpec spec = c.server().commands().get(c.argString(i));
            if (spec != null) found.add(spec);
        }
        r.map(found.size());
        for (CommandSpec spec : found) {
            r.bulk(spec.name());
            replyDocs(r, spec);
        }
    }

    private static void replyDocs(Reply r, CommandSpec spec) {
        int rangeSpecs = spec.keys().first() > 0 ? rangeGroups(spec).size() : 0;
        List<ArgumentSyntax.Argument> args = ArgumentSyntax.parse(spec.syntax(), spec.keys(), rangeSpecs);
        boolean deprecated = spec.deprecatedSince() != null;
        List<String> docFlags = new ArrayList<>();
        if (deprecated) docFlags.add("deprecated");
        docFlags.addAll(spec.docFlags());
        int fields = 3 + (spec.complexity().isEmpty() ? 0 : 1) + (docFlags.isEmpty() ? 0 : 1) + (deprecated ? 1 : 0)
                + (spec.replacedBy() != null ? 1 : 0) + (spec.history().isEmpty() ? 0 : 1)
                + (args.isEmpty() ? 0 : 1) + (spec.isContainer() ? 1 : 0);
        r.map(fields);
        r.bulk("summary");
        r.bulk(spec.summary());
        r.bulk("since");
        r.bulk(spec.since());
        r.bulk("group");
        r.bulk(spec.group());
        if (!spec.complexity().isEmpty()) {
            r.bulk("complexity");
            r.bulk(spec.complexity());
        }
        if (!docFlags.isEmpty()) {
            r.bulk("doc_flags");
            replyStatusSet(r, docFlags);
        }
        if (deprecated) {
            r.bulk("deprecated_since");
            r.bulk(spec.deprecatedSince());
        }
        if (spec.replacedBy() != null) {
            r.bulk("replaced_by");
            r.bulk(spec.replacedBy());
        }
        if (!spec.history().isEmpty()) {
            r.bulk("history");
            r.set(spec.history().size());
            for (String line : spec.history()) {
                int colon = line.indexOf(": ");
                r.array(2);
                r.bulk(colon < 0 ? "" : line.substring(0, colon));
                r.bulk(colon < 0 ? line : line.substring(colon + 2));
            }
        }
        if (!args.isEmpty()) {
            r.bulk("arguments");
            replyArguments(r, args, new Annotations(spec.argumentSince()), new Annotations(spec.argumentDeprecated()));
        }
        if (spec.isContainer()) {
            r.bulk("subcommands");
            r.map(spec.subcommands().size());
            for (CommandSpec sub : spec.subcommands().values()) {
                r.bulk(sub.name());
                replyDocs(r, sub);
            }
        }
    }

    /**
     * Versions the spec gives arguments (argsince, argdeprecated), by name or token: each
     * goes to the first argument, in the syntax's order, that matches it.
     */
    private static final class Annotations {
        private final Map<String, String> byNameOrToken;
        private final java.util.Set<String> given = new java.util.HashSet<>();

        Annotations(Map<String, String> byNameOrToken) {
            this.byNameOrToken = byNameOrToken;
        }

        /** The version for this argument, or null. */
        String take(ArgumentSyntax.Argument a) {
            if (byNameOrToken.isEmpty()) return null;
            for (String key : a.token() == null ? List.of(a.name()) : List.of(a.token(), a.name())) {
                String version = byNameOrToken.get(key);
                if (version != null && given.add(key)) return version;
            }
            return null;
        }
    }

    private static void replyArguments(Reply r, List<ArgumentSyntax.Argument> args, Annotations since,
            Annotations deprecated) {
        r.array(args.size());
        for (ArgumentSyntax.Argument a : args) {
            String addedIn = since.take(a);
            String deprecatedIn = deprecated.take(a);
            List<String> flags = new ArrayList<>();
            if (a.optional()) flags.add("optional");
            if (a.multiple()) flags.add("multiple");
            if (a.multipleToken()) flags.add("multiple_token");
            boolean nested = !a.arguments().isEmpty();
            boolean keySpec = a.keySpecIndex() >= 0;
            r.map(2 + (keySpec ? 1 : 0) + (a.token() != null ? 1 : 0) + (addedIn != null ? 1 : 0)
                    + (deprecatedIn != null ? 1 : 0) + (flags.isEmpty() ? 0 : 1) + (nested ? 1 : 0));
            r.bulk("name");
            r.bulk(a.name());
            r.bulk("type");
            r.bulk(a.type());
            // Keys, and patterns that name keys (SORT's BY and GET), point at their key spec.
            if (keySpec) {
                r.bulk("key_spec_index");
                r.integer(a.keySpecIndex());
            }
            if (a.token() != null) {
                r.bulk("token");
                r.bulk(a.token());
            }
            if (addedIn != null) {
                r.bulk("since");
                r.bulk(addedIn);
            }
            if (deprecatedIn != null) {
                r.bulk("deprecated_since");
                r.bulk(deprecatedIn);
            }
            if (!flags.isEmpty()) {
                r.bulk("flags");
                replyStatusSet(r, flags);
            }
            if (nested) {
                r.bulk("arguments");
                replyArguments(r, a.arguments(), since, deprecated);
            }
        }
    }

    // ---- COMMAND LIST ---------------------------------------------------------------------

    static void list(Client c) {
        String filter = null;
        String value = null;
        for (int i = 2; i < c.argc(); i++) {
            if (c.argIs(i, "filterby") && c.argc() - 1 - i == 2) {
                if (c.argIs(i + 1, "module") || c.argIs(i + 1, "aclcat") || c.argIs(i + 1, "pattern")) {
                    filter = c.argString(i + 1).toLowerCase(Locale.ROOT);
                    value = c.argString(i + 2);
                    i += 2;
                    continue;
                }
            }
            throw new CommandError(CommandError.SYNTAX);
        }
        List<String> names = new ArrayList<>();
        for (CommandSpec spec : c.server().commands().all()) {
            addListed(names, spec, filter, value);
            for (CommandSpec sub : spec.subcommands().values()) addListed(names, sub, filter, value);
        }
        c.reply().array(names.size());
        for (String n : names) c.reply().bulk(n);
    }

    private static void addListed(List<String> names, CommandSpec spec, String filter, String value) {
        boolean keep = filter == null || switch (filter) {
            case "module" -> false; // no modules are loaded
            case "aclcat" -> spec.aclCategories().contains(value.toLowerCase(Locale.ROOT));
            default -> globMatch(value, spec.name());
        };
        if (keep) names.add(spec.name());
    }

    /** Redis's stringmatchlen with nocase, as COMMAND LIST FILTERBY PATTERN uses it. */
    static boolean globMatch(String pattern, String text) {
        byte[] t = text.getBytes(StandardCharsets.ISO_8859_1);
        return Glob.matches(pattern.getBytes(StandardCharsets.ISO_8859_1), t, 0, t.length, true);
    }

    // ---- COMMAND GETKEYS / GETKEYSANDFLAGS -------------------------------------------------

    static void getKeys(Client c, boolean withFlags) {
        byte[][] target = Arrays.copyOfRange(c.argv(), 2, c.argc());
        CommandSpec spec = c.server().commands().lookup(target);
        if (spec == null) throw new CommandError("ERR Invalid command specified");
        KeySpec keys = spec.keys();
        // Positions flagged not_key (SSUBSCRIBE's shard channels) are no keys to this question.
        if ((keys.first() == 0 && !keys.movable()) || spec.keyFlags().contains("not_key")) {
            throw new CommandError("ERR The command has no key arguments");
        }
        if (!spec.arityAccepts(target.length)) {
            throw new CommandError("ERR Invalid number of arguments specified for command");
        }
        // SORT's STORE key can be anywhere: Redis finds it with a procedure of its own.
        List<Integer> positions = spec.name().equals("sort") ? SortCommand.keyPositions(target) : keys.positions(target);
        if (positions == null || positions.isEmpty()) {
            if (!spec.has(CommandFlag.NO_MANDATORY_KEYS)) {
                throw new CommandError("ERR Invalid arguments specified for command");
            }
            positions = List.of();
        }
        Reply r = c.reply();
        r.array(positions.size());
        // The range's keys come first, then the counted ones.
        int inRange = keys.first() > 0 ? KeySpec.range(keys.first(), keys.last(), keys.step()).positions(target).size() : 0;
        List<List<String>> groups = keys.first() > 0 ? rangeGroups(spec) : List.of();
        for (int i = 0; i < positions.size(); i++) {
            int at = positions.get(i);
            if (withFlags) {
                r.array(2);
                r.bulk(target[at]);
                List<String> flags = i >= inRange && !spec.unknownKeys().isEmpty() ? spec.unknownKeys().getLast().flags()
                        : i >= inRange ? keyFlags(spec, true) : groups.get(Math.min(i, groups.size() - 1));
                replyStatusSet(r, flags.contains("variable_flags") ? flagsOfThisCall(spec, target) : flags);
            } else {
                r.bulk(target[at]);
            }
        }
    }

    /**
     * The flags of the key of a command whose key spec says {@code variable_flags}: they
     * depend on the arguments. SET reads the old value only with GET and otherwise just
     * overwrites it; BITFIELD only reads unless a SET or INCRBY operation is complete
     * (anything it cannot parse counts as a write, to be safe), as Redis answers.
     */
    private static List<String> flagsOfThisCall(CommandSpec spec, byte[][] target) {
        List<String> reads = List.of("RO", "access");
        List<String> updates = List.of("RW", "access", "update");
        return switch (spec.name()) {
            case "set" -> {
                for (int i = 3; i < target.length; i++) {
                    if (word(target[i]).equals("get")) yield updates;
                }
                yield List.of("OW", "update");
            }
            case "bitfield" -> {
                for (int i = 2; i < target.length; i++) {
                    int following = target.length - i - 1;
                    String op = word(target[i]);
                    if (op.equals("get") && following >= 2) i += 2;
                    else if (op.equals("overflow") && following >= 1) i += 1;
                    else yield updates; // SET or INCRBY, or a call that does not parse
                }
                yield reads;
            }
            default -> spec.keyFlags().stream().filter(f -> !f.equals("variable_flags")).toList();
        };
    }

    private static String word(byte[] arg) {
        return new String(arg, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    }

    // ---- COMMAND HELP ---------------------------------------------------------------------

    static void help(Client c) {
        SubcommandHelp.reply(c, "COMMAND",
                "(no subcommand)",
                "    Return details about all Redis commands.",
                "COUNT",
                "    Return the total number of commands in this Redis server.",
                "LIST",
                "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]",
                "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]",
                "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>",
                "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>",
                "    Return the keys and the access flags from a full Redis command.");
    }
}
