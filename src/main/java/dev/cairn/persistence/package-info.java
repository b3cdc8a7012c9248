/**
 * Persistence: the RDB file format of Redis 7.0 (RDB version 10) and its older versions,
 * DUMP payloads, and the tools around them.
 *
 * <h2>The codec</h2>
 * {@link RdbWriter} turns Cairn values into RDB bytes in an in-memory buffer that its
 * owner drains to a file or socket; {@link RdbReader} reads RDB files (versions 1 to 10)
 * and DUMP payloads back into Cairn values, giving each the encoding Redis would give it
 * under the current thresholds ({@link RdbReader.Limits}). A file is written as
 * {@code header(); aux(...)...; function(code)...;} then per non-empty database
 * {@code selectDb(i); resizeDb(keys, expires); entry(...)...}, then {@code eof();
 * checksumTrailer(rdbchecksum)}, draining whenever {@code size()} grows large.
 *
 * <p>The byte formats inside values have a class each: {@link RedisListpack} (Redis's
 * listpack, not Cairn's in-memory {@code types.Listpack}), {@link Ziplist} and
 * {@link Zipmap} (read only, for RDB 6 to 9), and {@link QuicklistNodes} (the nodes Redis
 * would split a list into). {@link Crc64} and {@link Lzf} are the checksum and the
 * compression Redis uses; {@link CheckRdb} is {@code bin/cairn-check-rdb}.
 *
 * <p>The codec classes (writer, reader, the formats, CheckRdb) must not touch the
 * keyspace, the server or clients: they work on values and streams only. Saving and
 * loading (SAVE, BGSAVE, startup loading, the AOF) drive the codec from their own classes.
 *
 * <p>{@link ModuleTypes} writes and reads the values Redis keeps in modules and Cairn has
 * built in (the Bloom and Cuckoo filters) as RDB module values.
 *
 * <h2>Saving and loading RDB files</h2>
 * {@link Snapshot} writes a point-in-time file without fork: the keyspace's
 * {@code SnapshotWalk} hands it each key of the instant it started, on the command thread,
 * a {@link Snapshot.Format} ({@link RdbSnapshotFormat} for RDB) turns keys into bytes, and
 * a writer thread writes, checksums, fsyncs and renames the file. {@link RdbPersistence}
 * decides when and where (SAVE, BGSAVE, save points, SHUTDOWN, FLUSHALL, DEBUG RELOAD,
 * MISCONF, INFO persistence); {@link RdbLoader} loads a file into the keyspace without
 * events. These use the server; they never write values themselves.
 *
 * <h2>The append only file</h2>
 * Redis 7.0's multi-part AOF: {@link AppendOnlyFile} receives the
 * commands the server propagates ({@code server.Propagation}) and appends them to the
 * current incremental file before replies go out, fsyncs as appendfsync says, rewrites
 * (a new base through {@link Snapshot}, a new incremental file, the manifest
 * {@link AofManifest} replaced atomically), and loads the files at startup through
 * {@code AofLoader}, which runs their commands with {@code Dispatcher.loadCommand}.
 * {@code AofRewriteFormat} is a base written as commands (aof-use-rdb-preamble no),
 * {@code CheckAof} is {@code cairn-check-aof}. The AOF may read and load the keyspace
 * only through the dispatcher, the snapshot and the RDB loader; it must not change
 * values itself.
 */
package dev.cairn.persistence;
