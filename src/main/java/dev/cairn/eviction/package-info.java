/**
 * maxmemory: what used_memory is and which keys go when it is over the limit.
 *
 * <p>used_memory ({@link dev.cairn.eviction.Eviction#usedMemory}) is an estimate kept
 * incrementally, not the JVM heap's figure (which includes garbage until a collection):
 * a fixed baseline, the keyspace's bytes (each {@link dev.cairn.keyspace.Database} sums
 * its entries, keys and values as measured in O(1) by {@link dev.cairn.eviction.HeapFootprint}
 * when a key is written), and the clients' buffers summed by the cron. Within 2% of the
 * live heap after a full collection on the data sets measured (see ARCHITECTURE.md,
 * "used_memory and eviction").
 *
 * <p>Policy apart from storage, as Caffeine does it: the keyspace exposes random samples
 * (all keys, or keys with a TTL) and deletion; {@link dev.cairn.eviction.Eviction} ranks
 * samples by the policy (LRU idle time, LFU counter, TTL) in an
 * {@link dev.cairn.eviction.EvictionPool} and deletes as the server deletes (watchers
 * touched, "evicted" event, evicted_keys). The access word each entry carries is
 * maintained by {@link dev.cairn.keyspace.AccessClock}, which this package configures.
 *
 * <p>Owns: the limit's enforcement and the OOM state of scripts. Must not: store keys,
 * write replies (the dispatcher and scripting turn its answers into errors), or touch the
 * snapshot bits of the access word.
 */
package dev.cairn.eviction;
