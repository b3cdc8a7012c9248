/**
 * MULTI/EXEC/WATCH state (Redis's multi.c): per client, the transaction being queued
 * ({@link dev.cairn.transaction.Transaction}: the MULTI flag, the queued commands, the
 * "refused while queuing" and "watched key touched" flags); server-wide, which clients
 * watch which key of which database ({@link dev.cairn.transaction.WatchedKeys}), so that a
 * change to a key marks its watchers in time proportional to their number.
 *
 * <p>Owns: the queue and the watch registry. Must not: run commands or write replies
 * (the dispatcher queues and EXEC runs the queue through it), nor change keys: it only
 * looks whether a watched key exists or has expired. Command thread only.
 */
package dev.cairn.transaction;
