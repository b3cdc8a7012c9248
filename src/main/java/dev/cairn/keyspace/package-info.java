/**
 * Storage of keys: numbered databases ({@link dev.cairn.keyspace.Database}), their hash tables
 * with incremental rehashing and SCAN cursors ({@link dev.cairn.keyspace.KeyTable}), TTLs and
 * expiry (lazy in the lookups, active in {@link dev.cairn.keyspace.ActiveExpiry}), access clocks
 * for OBJECT IDLETIME and eviction, cluster hash slots ({@link dev.cairn.keyspace.HashSlot}), and
 * the keyspace's half of a point-in-time snapshot ({@link dev.cairn.keyspace.SnapshotWalk}: each
 * key of the instant handed over exactly once, saved before any change while the walk runs).
 *
 * <p>Owns: which keys exist and when they expire. Must not: know about clients, replies or
 * configuration files; it reports what it does on its own through
 * {@link dev.cairn.keyspace.Keyspace.Listener}. Single-threaded: command thread only.
 */
package dev.cairn.keyspace;
