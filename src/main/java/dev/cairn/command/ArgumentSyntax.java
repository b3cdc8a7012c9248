package dev.cairn.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns a spec's {@code syntax} line, written in redis.io notation, into the argument
 * descriptions COMMAND DOCS reports (and redis-cli builds its hints and HELP from):
 *
 * <pre>
 * key value [NX | XX] [GET] [EX seconds | PX milliseconds | KEEPTTL]
 * </pre>
 *
 * becomes a key, a string, an optional one-of of two pure tokens, an optional pure
 * token and an optional one-of of token-introduced arguments.
 *
 * <p>The notation: upper-case words (and symbols such as {@code *} or {@code ~}) are
 * literal tokens, lower-case words name arguments, {@code [ ]} encloses an optional
 * part, {@code < >} a required group (a block, even of one argument), {@code |}
 * separates alternatives, and {@code x [x ...]} repeats {@code x}. A token followed by
 * one argument introduces it ({@code EX seconds}); followed by several it introduces a
 * block ({@code AUTH username password}).
 *
 * <p>Argument types are inferred from the names (key, pattern, count, score, ...), which
 * is what the redis.io names convey; where they say nothing the type is string. Where
 * Redis says otherwise, a name may carry its type ({@code min:double}) and a group its
 * name ({@code [BYSCORE | BYLEX]@sortby}; a one-of a token introduces is otherwise named
 * after the token), and so may a pure token ({@code ~@approximately}). A name may also carry the index of the key spec it belongs to
 * ({@code pattern#1}), for arguments whose key spec their position does not tell.
 */
final class ArgumentSyntax {
    /** One argument of COMMAND DOCS; {@code arguments} is non-empty for oneof and block. */
    record Argument(String name, String type, int keySpecIndex, String token, boolean optional, boolean multiple,
                    boolean multipleToken, List<Argument> arguments) {
        boolean isKey() {
            return type.equals("key");
        }

        /**
         * This argument introduced by token t; a one-of is then named after its token unless
         * the syntax names it.
         */
        Argument withToken(String t, boolean named) {
            String n = type.equals("oneof") && !named ? t.toLowerCase(Locale.ROOT) : name;
            return new Argument(n, type, keySpecIndex, t, optional, multiple, multipleToken, arguments);
        }

        Argument asOptional() {
            return new Argument(name, type, keySpecIndex, token, true, multiple, multipleToken, arguments);
        }

        Argument asMultiple() {
            return new Argument(name, type, keySpecIndex, token, optional, true, token != null, arguments);
        }
    }

    /** Names that are numbers in redis.io syntax lines. */
    private static final Set<String> INTEGER_NAMES = Set.of(
            "count", "numkeys", "index", "offset", "start", "end", "seconds", "milliseconds", "db", "port",
            "cursor", "rank", "len", "numreplicas", "protover", "increment", "decrement", "ttl", "bit",
            "num-matches", "microseconds", "client-id", "destination-db", "timeout-ms", "numsamples", "limit");
    private static final Set<String> DOUBLE_NAMES = Set.of(
            "score", "longitude", "latitude", "radius", "width", "height", "timeout", "weight");
    private static final Set<String> KEY_NAMES = Set.of("key", "destination", "source", "newkey");
    /** The argument types COMMAND DOCS knows, which a name may carry ({@code min:double}). */
    private static final Set<String> ARGUMENT_TYPES = Set.of("string", "integer", "double", "key", "pattern", "unix-time");

    // ---- the notation's parse tree ------------------------------------------------------

    private sealed interface Node permits Word, Group, Ellipsis, Repeated {}

    private record Word(String text) implements Node {
        /** A token is upper case (or symbols); a name after {@code @} may follow it ({@code ~@approximately}). */
        boolean isToken() {
            int at = text.indexOf('@', 1);
            return (at < 0 ? text : text.substring(0, at)).chars().noneMatch(Character::isLowerCase);
        }
    }

    /**
     * {@code [ ... ]} (optional) or {@code < ... >}, with its {@code |} alternatives, and
     * the name written after it ({@code @name}), or null.
     */
    private record Group(boolean optional, List<List<Node>> alternatives, String name) implements Node {}

    private record Ellipsis() implements Node {}

    /** Items that repeat, found from the {@code x [x ...]} pattern. */
    private record Repeated(List<Node> items) implements Node {}

    private final String text;
    private int pos;
    private final boolean hasKeys;
    private final int keynumSpecIndex;
    private final int rangeSpecs;
    private boolean afterNumkeys;
    private int keysSeen;

    private ArgumentSyntax(String text, KeySpec keys, int rangeSpecs) {
        this.text = text;
        this.hasKeys = keys.first() > 0 || keys.movable();
        this.rangeSpecs = rangeSpecs;
        this.keynumSpecIndex = keys.first() > 0 && keys.movable() ? rangeSpecs : 0;
    }

    /**
     * The arguments described by {@code syntax}; {@code keys} tells which named
     * arguments are keys and which key spec they belong to: the range's keys are
     * described by {@code rangeSpecs} specs (LMOVE's source and destination have one
     * each), counted keys by the spec after those.
     */
    static List<Argument> parse(String syntax, KeySpec keys, int rangeSpecs) {
        if (syntax == null || syntax.isBlank()) return List.of();
        ArgumentSyntax p = new ArgumentSyntax(syntax, keys, rangeSpecs);
        List<List<Node>> top = p.alternatives((char) 0);
        if (top.size() == 1) return p.sequence(top.getFirst());
        Argument choice = p.oneOf(top, false);
        return choice == null ? List.of() : List.of(choice);
    }

    // ---- reading ------------------------------------------------------------------------

    /** Reads alternatives up to {@code close} (or the end of the text). */
    private List<List<Node>> alternatives(char close) {
        List<List<Node>> alts = new ArrayList<>();
        List<Node> current = new ArrayList<>();
        alts.add(current);
        while (true) {
            skipSpaces();
            if (pos >= text.length()) return alts;
            char ch = text.charAt(pos);
            if (ch == ']' || ch == '>') {
                pos++;
                if (ch == close) return alts;
                continue; // a stray closer: ignore it
            }
            switch (ch) {
                case '|' -> {
                    pos++;
                    current = new ArrayList<>();
                    alts.add(current);
                }
                case '[' -> {
                    pos++;
                    List<List<Node>> inner = alternatives(']');
                    current.add(new Group(true, inner, groupName()));
                }
                case '<' -> {
                    pos++;
                    List<List<Node>> inner = alternatives('>');
                    current.add(new Group(false, inner, groupName()));
                }
                default -> {
                    if (text.startsWith("...", pos)) {
                        pos += 3;
                        current.add(new Ellipsis());
                    } else {
                        current.add(new Word(word()));
                    }
                }
            }
        }
    }

    /** The {@code @name} right after a group's closing bracket, or null. */
    private String groupName() {
        if (pos >= text.length() || text.charAt(pos) != '@') return null;
        pos++;
        return word();
    }

    private String word() {
        int start = pos;
        while (pos < text.length() && " \t[]<>|".indexOf(text.charAt(pos)) < 0 && !text.startsWith("...", pos)) pos++;
        return text.substring(start, pos);
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    // ---- turning the tree into arguments ---------------------------------------------------

    /** A sequence of items: repetitions folded, tokens joined to what they introduce. */
    private List<Argument> sequence(List<Node> items) {
        List<Node> nodes = foldRepetitions(items);
        List<Argument> out = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            if (node instanceof Word w && w.isToken()) {
                int j = i + 1;
                while (j < nodes.size() && introducedByToken(nodes.get(j))) j++;
                List<Argument> operands = new ArrayList<>();
                for (Node operand : nodes.subList(i + 1, j)) add(operands, convert(operand));
                Node last = nodes.get(j - 1);
                i = j - 1;
                if (operands.isEmpty()) out.add(pureToken(w.text()));
                else if (operands.size() == 1) out.add(operands.getFirst().withToken(w.text(), namedGroup(last)));
                else out.add(block(operands).withToken(w.text(), false));
            } else {
                add(out, convert(node));
            }
        }
        return out;
    }

    private static boolean namedGroup(Node node) {
        return node instanceof Group g && g.name() != null;
    }

    /** What a token takes as its operand: names, required groups and repetitions. */
    private static boolean introducedByToken(Node node) {
        return switch (node) {
            case Word w -> !w.isToken();
            case Group g -> !g.optional();
            case Repeated r -> true;
            case Ellipsis e -> false;
        };
    }

    /**
     * Replaces {@code x [x ...]} by a repetition of x. A bare {@code [x ...]} is an
     * optional repetition, and a bare {@code ...} repeats the item before it.
     */
    private static List<Node> foldRepetitions(List<Node> items) {
        List<Node> out = new ArrayList<>();
        for (Node node : items) {
            if (node instanceof Ellipsis) {
                if (!out.isEmpty()) out.add(new Repeated(List.of(out.removeLast())));
                continue;
            }
            if (node instanceof Group g && g.optional() && g.alternatives().size() == 1 && g.name() == null) {
                List<Node> inner = g.alternatives().getFirst();
                if (inner.size() > 1 && inner.getLast() instanceof Ellipsis) {
                    List<Node> body = inner.subList(0, inner.size() - 1);
                    int k = body.size();
                    if (out.size() >= k && out.subList(out.size() - k, out.size()).equals(body)) {
                        for (int i = 0; i < k; i++) out.removeLast();
                        out.add(new Repeated(List.copyOf(body)));
                    } else {
                        out.add(new Group(true, List.of(List.of(new Repeated(List.copyOf(body)))), null));
                    }
                    continue;
                }
            }
            out.add(node);
        }
        return out;
    }

    private Argument convert(Node node) {
        return switch (node) {
            case Word w -> w.isToken() ? pureToken(w.text()) : named(w.text());
            case Group g -> named(g.alternatives().size() == 1 ? group(g) : oneOf(g.alternatives(), g.optional()), g.name());
            case Repeated r -> {
                List<Argument> args = sequence(r.items());
                if (args.isEmpty()) yield null;
                yield (args.size() == 1 ? args.getFirst() : block(args)).asMultiple();
            }
            case Ellipsis e -> null;
        };
    }

    /** The argument renamed when the syntax names it. */
    private static Argument named(Argument a, String name) {
        if (a == null || name == null) return a;
        return new Argument(name, a.type(), a.keySpecIndex(), a.token(), a.optional(), a.multiple(), a.multipleToken(),
                a.arguments());
    }

    private Argument group(Group g) {
        List<Argument> args = sequence(g.alternatives().getFirst());
        if (args.isEmpty()) return null;
        // A required group of one argument, <pattern>, is a block holding it: Redis 7.0
        // describes PSUBSCRIBE's patterns so.
        Argument a = args.size() == 1 && g.optional() ? args.getFirst() : block(args);
        return g.optional() ? a.asOptional() : a;
    }

    private Argument oneOf(List<List<Node>> alternatives, boolean optional) {
        List<Argument> options = new ArrayList<>();
        for (List<Node> alt : alternatives) {
            List<Argument> args = sequence(alt);
            if (args.size() == 1) options.add(args.getFirst());
            else if (args.size() > 1) options.add(block(args));
        }
        if (options.isEmpty()) return null;
        return new Argument(oneOfName(options), "oneof", -1, null, optional, false, false, List.copyOf(options));
    }

    private static Argument block(List<Argument> args) {
        return new Argument(joinedName(args), "block", -1, null, false, false, false, List.copyOf(args));
    }

    private static Argument pureToken(String token) {
        int at = token.indexOf('@', 1);
        if (at > 0) return new Argument(token.substring(at + 1), "pure-token", -1, token.substring(0, at), false, false, false, List.of());
        return new Argument(token.toLowerCase(Locale.ROOT), "pure-token", -1, token, false, false, false, List.of());
    }

    private Argument named(String word) {
        // A key spec index written after '#': patterns that name keys (SORT's BY), or a
        // key of a spec other than the one its position implies (SORT's STORE destination).
        int writtenKeySpec = -1;
        int hash = word.lastIndexOf('#');
        if (hash > 0 && hash < word.length() - 1 && word.substring(hash + 1).chars().allMatch(Character::isDigit)) {
            writtenKeySpec = Integer.parseInt(word.substring(hash + 1));
            word = word.substring(0, hash);
        }
        int colon = word.lastIndexOf(':');
        String written = colon < 0 ? null : word.substring(colon + 1);
        // Only a COMMAND DOCS type after the colon is one: "ip:port" is a name.
        if (written != null && !ARGUMENT_TYPES.contains(written)) written = null;
        String name = written == null ? word : word.substring(0, colon);
        if (name.equals("numkeys")) afterNumkeys = true;
        String type = written == null ? typeOf(name) : written;
        int keySpec = -1;
        if (type.equals("key")) {
            keySpec = afterNumkeys ? keynumSpecIndex : Math.min(keysSeen, Math.max(rangeSpecs - 1, 0));
            keysSeen++;
        }
        if (writtenKeySpec >= 0) keySpec = writtenKeySpec;
        return new Argument(name, type, keySpec, null, false, false, false, List.of());
    }

    private String typeOf(String name) {
        if (hasKeys && (KEY_NAMES.contains(name) || name.endsWith("key"))) return "key";
        if (name.equals("pattern")) return "pattern";
        if (name.startsWith("unix-time")) return "unix-time";
        if (INTEGER_NAMES.contains(name)) return "integer";
        if (DOUBLE_NAMES.contains(name)) return "double";
        return "string";
    }

    /**
     * Redis's names for the common one-ofs (so SET, EXPIRE, ZADD read as in Redis);
     * others are named after their options.
     */
    private static String oneOfName(List<Argument> options) {
        Set<String> tokens = options.stream().map(Argument::token).filter(t -> t != null)
                .collect(Collectors.toSet());
        if (tokens.size() == options.size()) {
            if (tokens.equals(Set.of("GT", "LT"))) return "comparison";
            if (Set.of("NX", "XX", "GT", "LT").containsAll(tokens) && (tokens.contains("NX") || tokens.contains("XX"))) {
                return "condition";
            }
            if (tokens.contains("EX") && tokens.contains("PX")) return "expiration";
            if (tokens.equals(Set.of("LEFT", "RIGHT")) || tokens.equals(Set.of("BEFORE", "AFTER"))) return "where";
        }
        return joinedName(options);
    }

    private static String joinedName(List<Argument> args) {
        return args.stream().map(Argument::name).collect(Collectors.joining("_"));
    }

    private static void add(List<Argument> out, Argument a) {
        if (a != null) out.add(a);
    }
}
