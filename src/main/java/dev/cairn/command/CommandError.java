package dev.cairn.command;

import dev.cairn.types.ValueType;

/**
 * Thrown by a handler (or the argument helpers it calls) to answer with an error reply.
 * The dispatcher writes {@link #getMessage()} as the reply. Handlers throw only before
 * they have written any part of their reply, which keeps every reply well formed.
 *
 * <p>The texts are Redis's, shared so that every command says the same thing.
 */
public final class CommandError extends RuntimeException {
    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOT_FLOAT = "ERR value is not a valid float";
    public static final String OUT_OF_RANGE = "ERR index out of range";
    public static final String NO_SUCH_KEY = "ERR no such key";
    public static final String DB_INDEX = "ERR DB index is out of range";

    public CommandError(String replyText) {
        super(replyText, null, false, false);
    }

    /**
     * An argument as Redis's {@code %s} prints it into an error text: up to its first NUL
     * byte, the end of a C string.
     */
    public static String printed(String argument) {
        int nul = argument.indexOf('\0');
        return nul < 0 ? argument : argument.substring(0, nul);
    }

    /** Throws WRONGTYPE unless {@code value} is of {@code type}; null passes. */
    public static void expectType(Object value, ValueType type) {
        if (value != null && ValueType.of(value) != type) throw new CommandError(ValueType.WRONGTYPE);
    }
}
