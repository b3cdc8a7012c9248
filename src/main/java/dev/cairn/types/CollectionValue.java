package dev.cairn.types;

/**
 * A value that is not a string: a list, hash, set or sorted set. Each type is one class
 * that picks its own encoding (compact while small, a table or skip list past Redis's
 * thresholds) and reports it as OBJECT ENCODING does.
 */
public interface CollectionValue {
    ValueType type();

    /** The encoding's name as OBJECT ENCODING prints it ("listpack", "hashtable", ...). */
    String encoding();

    /** Number of elements (members, fields, list items); never 0 for a stored value. */
    long size();

    /** An independent copy (COPY, and the snapshot of a key written while saving). */
    CollectionValue copy();
}
