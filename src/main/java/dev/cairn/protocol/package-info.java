/**
 * The wire protocol: turning request bytes into arguments ({@link dev.cairn.protocol.RequestParser},
 * RESP multibulk and inline) and replies into bytes ({@link dev.cairn.protocol.Reply}, RESP2 and
 * RESP3), plus Redis's exact number parsing and formatting.
 *
 * <p>Owns: every byte that crosses the socket. Must not touch: the keyspace, the command table,
 * connections (it sees only buffers and a {@link dev.cairn.protocol.RequestParser.Limits} view).
 */
package dev.cairn.protocol;
