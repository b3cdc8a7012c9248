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
 */
package dev.cairn.persistence;
