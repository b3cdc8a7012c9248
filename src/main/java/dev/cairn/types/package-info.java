/**
 * Value representations, one file per data type, in Redis's spirit: compact encodings for small
 * values and the rules for when each is used (OBJECT ENCODING reports them). Strings are a plain
 * {@code byte[]} or a {@link dev.cairn.types.RawString}. The probabilistic filters of the BF.* and
 * CF.* commands ({@link dev.cairn.types.BloomFilter}, {@link dev.cairn.types.CuckooFilter}) are
 * module-type values here too, each with its own documented serialized form. Streams
 * ({@link dev.cairn.types.StreamValue}) keep their entries in nodes shaped as Redis's listpack
 * nodes, with their consumer groups.
 *
 * <p>Owns: the layout of values in memory. Must not: know about keys, expiry, commands or replies.
 */
package dev.cairn.types;
