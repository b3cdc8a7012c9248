package dev.cairn.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * One configuration directive: its name, how its words are parsed and printed, its
 * default, its flags, and the reactions that run when CONFIG SET changes it. A setting
 * holds its current value; components read it through the typed subclasses
 * ({@link Bool}, {@link Num}, ...).
 *
 * <p>Error messages are Redis 7.0's, because they reach users verbatim both at startup
 * ("FATAL CONFIG FILE ERROR") and from CONFIG SET.
 */
public abstract sealed class Setting permits Setting.Bool, Setting.Num, Setting.Choice, Setting.Text, Setting.Custom {
    /** Flags, as in Redis's config table. */
    public static final int IMMUTABLE = 1;
    /** Value hidden from logs (passwords). */
    public static final int SENSITIVE = 2;
    /** A directive whose value is several words (bind, client-output-buffer-limit, ...). */
    public static final int MULTI_ARG = 4;
    /** CONFIG SET refuses it unless enable-protected-configs allows. */
    public static final int PROTECTED = 8;
    /** In a config file, each line of the directive adds to the lines before it ({@code save}). */
    public static final int REPEATABLE = 16;

    /**
     * What the server does after CONFIG SET changed a setting (Redis's apply functions).
     * Throwing undoes the whole CONFIG SET; the message is the reason given to the user.
     * A reaction registered on several settings runs once per CONFIG SET.
     */
    @FunctionalInterface
    public interface Reaction {
        void changed(Setting setting) throws ConfigException;
    }

    /** A line CONFIG REWRITE writes, and whether it is written even where the file lacks it. */
    public record RewriteLine(String text, boolean force) {}

    final String name;
    final String[] aliases;
    final int flags;
    private final List<Reaction> reactions = new ArrayList<>();

    Setting(String name, int flags, String... aliases) {
        this.name = name;
        this.flags = flags;
        this.aliases = aliases;
    }

    public String name() {
        return name;
    }

    public boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Registers a reaction run after CONFIG SET actually changes this setting. */
    public Setting onChange(Reaction reaction) {
        reactions.add(reaction);
        return this;
    }

    List<Reaction> reactions() {
        return reactions;
    }

    /**
     * Parses and stores a value given as the directive's words (one word unless
     * {@link #MULTI_ARG}).
     *
     * @throws ConfigException with Redis's message when the words are not acceptable;
     *     the value is then unchanged
     */
    abstract void set(List<String> args) throws ConfigException;

    /** The current value as CONFIG GET prints it. */
    public abstract String get();

    /** The default value, printed the same way as {@link #get()}. */
    public abstract String defaultValue();

    /** A copy of the current value that {@link #restore} can put back (for atomic SET). */
    abstract Object snapshot();

    abstract void restore(Object snapshot);

    /**
     * The lines CONFIG REWRITE writes for the current value; none means every line of
     * this directive is removed from the file.
     */
    abstract List<RewriteLine> rewriteLines();

    /** {@code name value} forced when the value differs from the default. */
    final List<RewriteLine> line(String value, boolean differs) {
        return List.of(new RewriteLine(name + " " + value, differs));
    }

    /** A yes/no directive. */
    public static final class Bool extends Setting {
        private final boolean initial;
        private volatile boolean value;

        Bool(String name, boolean initial, int flags, String... aliases) {
            super(name, flags, aliases);
            this.initial = initial;
            this.value = initial;
        }

        public boolean value() {
            return value;
        }

        @Override
        void set(List<String> args) throws ConfigException {
            switch (args.getFirst().toLowerCase(Locale.ROOT)) {
                case "yes" -> value = true;
                case "no" -> value = false;
                default -> throw new ConfigException("argument must be 'yes' or 'no'");
            }
        }

        @Override
        public String get() {
            return value ? "yes" : "no";
        }

        @Override
        public String defaultValue() {
            return initial ? "yes" : "no";
        }

        @Override
        Object snapshot() {
            return value;
        }

        @Override
        void restore(Object snapshot) {
            value = (Boolean) snapshot;
        }

        @Override
        List<RewriteLine> rewriteLines() {
            return line(get(), value != initial);
        }
    }

    /** How a {@link Num} is written. */
    enum NumFormat {
        /** A strict integer. */
        DECIMAL,
        /** A byte count, with an optional unit (1gb, 100mb); printed in bytes. */
        MEMORY
    }

    /**
     * An integer directive. {@code unsigned} mirrors Redis's unsigned C types: a negative
     * input then reads as a huge number and fails the range check, printed unsigned.
     */
    public static final class Num extends Setting {
        private final long initial;
        private final long min;
        private final long max;
        private final NumFormat format;
        private final boolean unsigned;
        private volatile long value;

        Num(String name, long initial, long min, long max, NumFormat format, boolean unsigned, int flags,
                String... aliases) {
            super(name, flags, aliases);
            this.initial = initial;
            this.min = min;
            this.max = max;
            this.format = format;
            this.unsigned = unsigned;
            this.value = initial;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        /** Stores a value that needs no checking (hz's clamping). */
        void assign(long v) {
            value = v;
        }

        @Override
        void set(List<String> args) throws ConfigException {
            String text = args.getFirst();
            Long parsed = switch (format) {
                case MEMORY -> Units.parseMemory(text);
                case DECIMAL -> Units.parseInteger(text);
            };
            if (parsed == null) {
                throw new ConfigException(switch (format) {
                    case MEMORY -> "argument must be a memory value";
                    case DECIMAL -> "argument couldn't be parsed into an integer";
                });
            }
            long v = parsed;
            boolean outside = unsigned
                    ? Long.compareUnsigned(v, max) > 0 || Long.compareUnsigned(v, min) < 0
                    : v > max || v < min;
            if (outside) {
                throw new ConfigException("argument must be between " + bound(min) + " and " + bound(max) + " inclusive");
            }
            value = v;
        }

        private String bound(long b) {
            return unsigned ? Long.toUnsignedString(b) : Long.toString(b);
        }

        @Override
        public String get() {
            return print(value);
        }

        @Override
        public String defaultValue() {
            return print(initial);
        }

        private String print(long v) {
            return switch (format) {
                case MEMORY -> Long.toUnsignedString(v);
                case DECIMAL -> Long.toString(v);
            };
        }

        @Override
        Object snapshot() {
            return value;
        }

        @Override
        void restore(Object snapshot) {
            value = (Long) snapshot;
        }

        @Override
        List<RewriteLine> rewriteLines() {
            String text = format == NumFormat.MEMORY ? Units.formatMemory(value) : get();
            return line(text, value != initial);
        }
    }

    /**
     * A directive taking one of a fixed set of words, case-insensitive. Synonyms map
     * extra accepted words to the name that is stored and printed (oom-score-adj's
     * "relative" is printed "yes", as in Redis).
     */
    public static final class Choice extends Setting {
        private final List<String> names;
        private final Map<String, String> synonyms;
        private final String initial;
        private volatile String value;

        Choice(String name, String initial, List<String> names, Map<String, String> synonyms, int flags,
                String... aliases) {
            super(name, flags, aliases);
            this.names = names;
            this.synonyms = synonyms;
            this.initial = initial;
            this.value = initial;
        }

        public String value() {
            return value;
        }

        @Override
        void set(List<String> args) throws ConfigException {
            String lower = args.getFirst().toLowerCase(Locale.ROOT);
            if (!names.contains(lower)) {
                throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", names));
            }
            value = synonyms.getOrDefault(lower, lower);
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        public String defaultValue() {
            return initial;
        }

        @Override
        Object snapshot() {
            return value;
        }

        @Override
        void restore(Object snapshot) {
            value = (String) snapshot;
        }

        @Override
        List<RewriteLine> rewriteLines() {
            return line(value, !value.equals(initial));
        }
    }

    /**
     * A free-text directive (file names, passwords). When {@code emptyIsUnset}, the empty
     * string means "not set" (Redis stores NULL): CONFIG REWRITE then drops the directive,
     * and any other value is always written.
     */
    public static final class Text extends Setting {
        /** Validates a candidate value, throwing with Redis's reason. */
        @FunctionalInterface
        interface Check {
            void check(String value) throws ConfigException;
        }

        private final String initial;
        private final boolean emptyIsUnset;
        private final Check check;
        private volatile String value;

        Text(String name, String initial, boolean emptyIsUnset, Check check, int flags, String... aliases) {
            super(name, flags, aliases);
            this.initial = initial;
            this.emptyIsUnset = emptyIsUnset;
            this.check = check;
            this.value = initial;
        }

        /** The value; the empty string when unset. */
        public String value() {
            return value;
        }

        @Override
        void set(List<String> args) throws ConfigException {
            String v = args.getFirst();
            check.check(v);
            value = v;
        }

        @Override
        public String get() {
            return value;
        }

        @Override
        public String defaultValue() {
            return initial;
        }

        @Override
        Object snapshot() {
            return value;
        }

        @Override
        void restore(Object snapshot) {
            value = (String) snapshot;
        }

        @Override
        List<RewriteLine> rewriteLines() {
            if (emptyIsUnset && value.isEmpty()) return List.of();
            return line(ConfigText.quote(value), emptyIsUnset || !value.equals(initial));
        }
    }

    /**
     * A directive with its own syntax (bind addresses, output buffer limits, ...): a
     * parser from words to a value object, a printer for CONFIG GET and a writer for
     * CONFIG REWRITE.
     */
    public static final class Custom<T> extends Setting {
        /** Parses words into a new value (given the current one) or throws {@link ConfigException}. */
        @FunctionalInterface
        interface Parser<T> {
            T parse(List<String> args, T current) throws ConfigException;
        }

        /** The lines CONFIG REWRITE writes for a value. */
        @FunctionalInterface
        interface Rewriter<T> {
            List<RewriteLine> lines(Custom<T> setting, T value, T initial);
        }

        private final Parser<T> parser;
        private final Function<T, String> printer;
        private final Rewriter<T> rewriter;
        private final T initial;
        private volatile T value;

        Custom(String name, T initial, Parser<T> parser, Function<T, String> printer, Rewriter<T> rewriter, int flags,
                String... aliases) {
            super(name, flags, aliases);
            this.parser = parser;
            this.printer = printer;
            this.rewriter = rewriter;
            this.initial = initial;
            this.value = initial;
        }

        public T value() {
            return value;
        }

        @Override
        void set(List<String> args) throws ConfigException {
            value = parser.parse(args, value);
        }

        @Override
        public String get() {
            return printer.apply(value);
        }

        @Override
        public String defaultValue() {
            return printer.apply(initial);
        }

        @Override
        Object snapshot() {
            return value;
        }

        @Override
        @SuppressWarnings("unchecked")
        void restore(Object snapshot) {
            value = (T) snapshot;
        }

        @Override
        List<RewriteLine> rewriteLines() {
            return rewriter.lines(this, value, initial);
        }
    }
}
