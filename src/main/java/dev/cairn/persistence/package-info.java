/**
 * Persistence: the RDB file format of Redis 7.0 (RDB version 10) and its older versions,
 * DUMP payloads, and the tools around them.
 *
 * <p>Owns the codec: {@link RdbWriter} turns Cairn values into RDB bytes in an in-memory
 * buffer (the owner drains it to a file or socket), {@link RdbReader} reads RDB files
 * and DUMP payloads back into Cairn values (choosing each value's encoding under the
 * current thresholds), {@link Crc64} and {@code Lzf} are the
 * checksum and compression Redis uses, {@code CheckRdb} is {@code cairn-check-rdb}.
 *
 * <p>Must not touch: the keyspace, the server or clients. The codec works on values and
 * streams only; who saves, loads, and when (SAVE, BGSAVE, startup loading, AOF) lives
 * with the server and uses this API.
 */
package dev.cairn.persistence;
