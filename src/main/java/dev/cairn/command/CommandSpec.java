package dev.cairn.command;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the server knows about one command, read from the spec files under
 * {@code src/main/resources/commands/}: how many arguments it takes (Redis's arity:
 * positive = exact, negative = at least), its flags, where its keys are, its ACL
 * categories and its documentation. The handler is bound by name when the table is
 * built. A container command (CONFIG, CLIENT, ...) has subcommands instead of a handler.
 *
 * @param name        lower-case name; {@code parent|sub} for subcommands
 * @param syntax      argument syntax in redis.io notation, the source of COMMAND DOCS arguments
 * @param history     lines "version: change"
 * @param tips        COMMAND INFO tips such as {@code nondeterministic_output}
 * @param keyFlags    key spec flags for COMMAND INFO as written in the spec; empty = derived
 * @param keyNotes    the notes of the key specs, in the order COMMAND INFO lists them (may be shorter)
 * @param docFlags    COMMAND DOCS doc_flags other than {@code deprecated} (DEBUG's {@code syscmd})
 * @param argumentSince the version that added an argument, by argument name or token (COMMAND DOCS;
 *                    the first argument in the syntax's order that matches)
 * @param argumentDeprecated the version that deprecated an argument, found the same way
 * @param unknownKeys key specs whose keys cannot be located from the arguments' positions
 *                    (SORT's BY/GET and STORE keys), as COMMAND INFO lists them after the others
 */
public record CommandSpec(
        String name,
        int arity,
        Set<CommandFlag> flags,
        KeySpec keys,
        List<String> aclCategories,
        String group,
        String since,
        String complexity,
        String summary,
        String syntax,
        List<String> history,
        List<String> tips,
        String deprecatedSince,
        String replacedBy,
        CommandHandler handler,
        Map<String, CommandSpec> subcommands,
        List<String> keyFlags,
        List<String> keyNotes,
        List<String> docFlags,
        Map<String, String> argumentSince,
        Map<String, String> argumentDeprecated,
        List<UnknownKeys> unknownKeys) {

    /** A key spec Redis marks "unknown": its flags and the note explaining why. */
    public record UnknownKeys(List<String> flags, String notes) {}

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public boolean isContainer() {
        return !subcommands.isEmpty();
    }

    /** True when argc satisfies the arity (Redis's check in processCommand). */
    public boolean arityAccepts(int argc) {
        return arity > 0 ? argc == arity : argc >= -arity;
    }

    /** The name without the container prefix ("get" for "config|get"). */
    public String shortName() {
        int bar = name.indexOf('|');
        return bar < 0 ? name : name.substring(bar + 1);
    }

    /** A mutable builder used while reading spec files. */
    static final class Builder {
        String name;
        int arity;
        final Set<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        KeySpec keys = KeySpec.NONE;
        List<String> acl = List.of();
        String group;
        String since = "";
        String complexity = "";
        String summary = "";
        String syntax = "";
        final List<String> history = new java.util.ArrayList<>();
        List<String> tips = List.of();
        List<String> keyFlags = List.of();
        final List<String> keyNotes = new java.util.ArrayList<>();
        List<String> docFlags = List.of();
        final Map<String, String> argumentSince = new LinkedHashMap<>();
        final Map<String, String> argumentDeprecated = new LinkedHashMap<>();
        final List<UnknownKeys> unknownKeys = new java.util.ArrayList<>();
        String deprecatedSince;
        String replacedBy;
        final Map<String, Builder> subcommands = new LinkedHashMap<>();

        CommandSpec build(Map<String, CommandHandler> handlers) {
            Map<String, CommandSpec> subs = new LinkedHashMap<>();
            for (var e : subcommands.entrySet()) subs.put(e.getKey(), e.getValue().build(handlers));
            Set<CommandFlag> f = EnumSet.noneOf(CommandFlag.class);
            f.addAll(flags);
            if (keys.movable()) f.add(CommandFlag.MOVABLEKEYS);
            return new CommandSpec(name, arity, java.util.Collections.unmodifiableSet(f), keys, acl, group,
                    since, complexity, summary, syntax, List.copyOf(history), tips, deprecatedSince,
                    replacedBy, handlers.get(name), java.util.Collections.unmodifiableMap(subs), List.copyOf(keyFlags),
                    List.copyOf(keyNotes), List.copyOf(docFlags),
                    Map.copyOf(argumentSince), Map.copyOf(argumentDeprecated), List.copyOf(unknownKeys));
        }
    }
}
