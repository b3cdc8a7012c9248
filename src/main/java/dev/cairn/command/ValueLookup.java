package dev.cairn.command;

import dev.cairn.keyspace.Entry;
import dev.cairn.server.Client;
import dev.cairn.types.ValueType;

/**
 * The value at a key for a command that works on one type: null when the key is missing,
 * Redis's WRONGTYPE error when it holds another type. The write form is a write lookup,
 * so a running snapshot saves the value before the command changes it in place.
 */
final class ValueLookup {
    private ValueLookup() {}

    static <T> T forWrite(Client c, byte[] key, ValueType type, Class<T> representation) {
        return checked(c.db().lookupWrite(key), type, representation);
    }

    static <T> T forRead(Client c, byte[] key, ValueType type, Class<T> representation) {
        return checked(c.db().lookupRead(key), type, representation);
    }

    private static <T> T checked(Entry e, ValueType type, Class<T> representation) {
        if (e == null) return null;
        CommandError.expectType(e.value(), type);
        return representation.cast(e.value());
    }
}
