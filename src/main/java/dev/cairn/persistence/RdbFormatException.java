package dev.cairn.persistence;

/** An RDB stream or DUMP payload that cannot be read: truncated, corrupt, or of an unknown kind. */
public final class RdbFormatException extends Exception {
    public RdbFormatException(String message) {
        super(message);
    }
}
