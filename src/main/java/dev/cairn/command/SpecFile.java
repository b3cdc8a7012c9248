package dev.cairn.command;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a command spec file: a {@code group NAME} line, then one block per command.
 * Each block starts with {@code command NAME} (or {@code command parent|sub}) followed by
 * indented {@code field value} lines:
 *
 * <pre>
 * command set
 *     arity -3
 *     flags write denyoom
 *     keys 1 1 1
 *     acl string
 *     since 1.0.0
 *     complexity O(1)
 *     summary Sets the string value of a key ...
 *     syntax key value [NX | XX] [GET] [EX seconds | ...]
 *     history 2.6.12: Added the EX, PX, NX and XX options.
 *     argsince get 6.2.0
 * </pre>
 *
 * {@code keys} is {@code first last step}, optionally followed by
 * {@code numkeys INDEX FIRST-OFFSET} for commands with a key count argument, or by
 * {@code keyword WORD START-FROM LAST-KEY KEY-STEP LIMIT} for keys after a keyword. The
 * optional {@code keyflags} line gives the key spec flags COMMAND INFO reports (RO, RW,
 * OW, RM, access, update, insert, delete, ...), with {@code |} separating the range's
 * flags from the counted keys' ({@code keyflags OW update | RO access}) and {@code /}
 * giving the range one key spec per key ({@code keyflags RW access delete / RW insert}
 * for LMOVE's source and destination, the last group covering the rest); without it
 * they are derived from the command flags (see {@link CommandCommand}). The flag
 * {@code variable_flags} says the flags depend on the arguments (SET's GET): COMMAND
 * GETKEYSANDFLAGS then works them out per call. Each {@code keynotes TEXT} line gives the notes of one key spec, the first line the first
 * spec's, the second the second's (SET's {@code RW and ACCESS due to the optional `GET`
 * argument}); specs without a line have no notes. {@code docflags} lists COMMAND DOCS's
 * doc_flags ({@code syscmd}); {@code deprecated} is implied by a {@code deprecated VERSION}
 * line, and {@code replacedby TEXT} gives the replacement it names. Each
 * {@code argsince NAME VERSION} line gives the version that added an argument of the
 * syntax (COMMAND DOCS reports it with the argument): NAME is the argument's name or its
 * token (upper case), and the first argument of the syntax that matches gets it
 * (FLUSHALL's {@code argsince SYNC 6.2.0}); {@code argdeprecated NAME VERSION} likewise
 * gives the version that deprecated one (CLIENT KILL's old {@code ip:port} form). Each {@code unknownkeys FLAGS : NOTES}
 * line adds a key spec whose keys cannot be found by position (SORT's). The acl
 * line lists only the type categories; Redis's implied ones (read, write, fast, slow,
 * admin, dangerous, ...) are derived from the flags by {@link CommandTable}.
 */
final class SpecFile {
    private SpecFile() {}

    static void read(InputStream in, String source, Map<String, CommandSpec.Builder> into) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String group = null;
            CommandSpec.Builder current = null;
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
                int space = trimmed.indexOf(' ');
                String field = space < 0 ? trimmed : trimmed.substring(0, space);
                String value = space < 0 ? "" : trimmed.substring(space + 1).strip();
                switch (field) {
                    case "group" -> group = value;
                    case "command" -> {
                        current = new CommandSpec.Builder();
                        current.name = value;
                        current.group = group;
                        int bar = value.indexOf('|');
                        if (bar < 0) {
                            if (into.putIfAbsent(value, current) != null) fail(source, number, "duplicate command " + value);
                        } else {
                            CommandSpec.Builder parent = into.get(value.substring(0, bar));
                            if (parent == null) fail(source, number, "subcommand before its container: " + value);
                            parent.subcommands.put(value.substring(bar + 1), current);
                        }
                    }
                    default -> {
                        if (current == null) fail(source, number, "field outside a command block");
                        apply(current, field, value, source, number);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void apply(CommandSpec.Builder b, String field, String value, String source, int number) {
        switch (field) {
            case "arity" -> b.arity = Integer.parseInt(value);
            case "flags" -> {
                for (String w : words(value)) b.flags.add(CommandFlag.parse(w));
            }
            case "keys" -> {
                String[] w = value.split("\\s+");
                KeySpec k = KeySpec.range(Integer.parseInt(w[0]), Integer.parseInt(w[1]), Integer.parseInt(w[2]));
                if (w.length == 6 && w[3].equals("numkeys")) {
                    k = new KeySpec(k.first(), k.last(), k.step(), Integer.parseInt(w[4]), Integer.parseInt(w[5]));
                } else if (w.length == 9 && w[3].equals("keyword")) {
                    k = new KeySpec(k.first(), k.last(), k.step(), 0, 0, new KeySpec.Keyword(w[4],
                            Integer.parseInt(w[5]), Integer.parseInt(w[6]), Integer.parseInt(w[7]), Integer.parseInt(w[8])));
                } else if (w.length != 3) {
                    fail(source, number, "keys takes 'first last step [numkeys index offset]'");
                }
                b.keys = k;
            }
            case "keyflags" -> b.keyFlags = words(value);
            case "keynotes" -> b.keyNotes.add(value);
            case "docflags" -> b.docFlags = words(value);
            case "unknownkeys" -> {
                int colon = value.indexOf(" : ");
                if (colon < 0) fail(source, number, "unknownkeys takes 'flags... : notes'");
                b.unknownKeys.add(new CommandSpec.UnknownKeys(words(value.substring(0, colon)), value.substring(colon + 3)));
            }
            case "acl" -> b.acl = words(value);
            case "since" -> b.since = value;
            case "complexity" -> b.complexity = value;
            case "summary" -> b.summary = value;
            case "syntax" -> b.syntax = value;
            case "history" -> b.history.add(value);
            case "argsince" -> {
                String[] w = value.split("\\s+");
                if (w.length != 2) fail(source, number, "argsince takes 'argument version'");
                b.argumentSince.put(w[0], w[1]);
            }
            case "argdeprecated" -> {
                String[] w = value.split("\\s+");
                if (w.length != 2) fail(source, number, "argdeprecated takes 'argument version'");
                b.argumentDeprecated.put(w[0], w[1]);
            }
            case "tips" -> b.tips = words(value);
            case "deprecated" -> b.deprecatedSince = value;
            case "replacedby" -> b.replacedBy = value;
            default -> fail(source, number, "unknown field " + field);
        }
    }

    private static List<String> words(String value) {
        return value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
    }

    private static void fail(String source, int line, String why) {
        throw new IllegalStateException(source + ":" + line + ": " + why);
    }
}
