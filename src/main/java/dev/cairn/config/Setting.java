package dev.cairn.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One configuration directive: its name and aliases, how its text is parsed and printed,
 * its default, and whether it can change at run time. A setting holds its current value;
 * components read it through the typed subclasses ({@link Bool}, {@link Num}, ...).
 *
 * <p>Error messages are Redis 7.0's, because they reach users verbatim both at startup
 * ("FATAL CONFIG FILE ERROR") and from CONFIG SET.
 */
public abstract sealed class Setting permits Setting.Bool, Setting.Num, Setting.Choice, Setting.Text, Setting.Custom {
    /** Flags, as in Redis's config table. */
    public static final int IMMUTABLE = 1;
    /** Value hidden from logs (passwords). */
    public static final int SENSITIVE = 2;
    /** A directive whose value in the file is several words (save, bind, ...). */
    public static final int MULTI_ARG = 4;
    /** CONFIG SET refuses it unless enable-protected-configs allows. */
    public static final int PROTECTED = 8;

    final String name;
    final String[] aliases;
    final int flags;
    private Consumer<Setting> onChange = s -> {};

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

    /** Registers a callback run after a successful change at run time. */
    public Setting onChange(Consumer<Setting> callback) {
        this.onChange = callback;
        return this;
    }

    void changed() {
        onChange.accept(this);
    }

    /**
     * Parses and stores a value.
     *
     * @throws ConfigException with Redis's message when the text is not acceptable
     */
    abstract void set(String text) throws ConfigException;

    /** The current value as CONFIG GET and CONFIG REWRITE print it. */
    public abstract String get();

    /** The default value, printed the same way as {@link #get()}. */
    public abstract String defaultValue();

    /** A copy of the current value that {@link #restore} can put back (for atomic SET). */
    abstract Object snapshot();

    abstract void restore(Object snapshot);

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
        void set(String text) throws ConfigException {
            switch (text.toLowerCase(Locale.ROOT)) {
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
    }

    /** An integer directive, optionally a memory amount accepting units (1gb, 100mb). */
    public static final class Num extends Setting {
        private final long initial;
        private final long min;
        private final long max;
        private final boolean memory;
        private volatile long value;

        Num(String name, long initial, long min, long max, boolean memory, int flags, String... aliases) {
            super(name, flags, aliases);
            this.initial = initial;
            this.min = min;
            this.max = max;
            this.memory = memory;
            this.value = initial;
        }

        public long value() {
            return value;
        }

        public int intValue() {
            return (int) value;
        }

        @Override
        void set(String text) throws ConfigException {
            long parsed;
            if (memory) {
                Long m = Units.parseMemory(text);
                if (m == null) throw new ConfigException("argument must be a memory value");
                parsed = m;
            } else {
                Long n = Units.parseInteger(text);
                if (n == null) throw new ConfigException("argument couldn't be parsed into an integer");
                parsed = n;
            }
            if (parsed < min || parsed > max) {
                throw new ConfigException("argument must be between " + min + " and " + max + " inclusive");
            }
            value = parsed;
        }

        @Override
        public String get() {
            return Long.toString(value);
        }

        @Override
        public String defaultValue() {
            return Long.toString(initial);
        }

        /** The value as CONFIG REWRITE writes it: memory amounts with a unit when exact. */
        String rewriteValue() {
            return memory ? Units.formatMemory(value) : get();
        }

        @Override
        Object snapshot() {
            return value;
        }

        @Override
        void restore(Object snapshot) {
            value = (Long) snapshot;
        }
    }

    /** A directive taking one of a fixed set of words. */
    public static final class Choice extends Setting {
        private final List<String> choices;
        private final String initial;
        private volatile String value;

        Choice(String name, String initial, List<String> choices, int flags, String... aliases) {
            super(name, flags, aliases);
            this.choices = choices;
            this.initial = initial;
            this.value = initial;
        }

        public String value() {
            return value;
        }

        @Override
        void set(String text) throws ConfigException {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!choices.contains(lower)) {
                throw new ConfigException("argument(s) must be one of the following: " + String.join(", ", choices));
            }
            value = lower;
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
    }

    /** A free-text directive (file names, passwords). */
    public static final class Text extends Setting {
        private final String initial;
        private volatile String value;

        Text(String name, String initial, int flags, String... aliases) {
            super(name, flags, aliases);
            this.initial = initial;
            this.value = initial;
        }

        public String value() {
            return value;
        }

        @Override
        void set(String text) {
            value = text;
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
    }

    /**
     * A directive with its own syntax (save points, bind addresses, output buffer
     * limits): a parser from text to a value object and a printer back.
     */
    public static final class Custom<T> extends Setting {
        /** Parses text into a value or throws {@link ConfigException}. */
        public interface Parser<T> {
            T parse(String text) throws ConfigException;
        }

        private final Parser<T> parser;
        private final Function<T, String> printer;
        private final T initial;
        private volatile T value;

        Custom(String name, T initial, Parser<T> parser, Function<T, String> printer, int flags, String... aliases) {
            super(name, flags, aliases);
            this.parser = parser;
            this.printer = printer;
            this.initial = initial;
            this.value = initial;
        }

        public T value() {
            return value;
        }

        @Override
        void set(String text) throws ConfigException {
            value = parser.parse(text);
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
    }
}
