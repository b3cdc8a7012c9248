/**
 * Value representations, one file per data type, in Redis's spirit: compact encodings for small
 * values and the rules for when each is used (OBJECT ENCODING reports them). Strings are a plain
 * {@code byte[]} or a {@link dev.cairn.types.RawString}.
 *
 * <p>Owns: the layout of values in memory. Must not: know about keys, expiry, commands or replies.
 */
package dev.cairn.types;
