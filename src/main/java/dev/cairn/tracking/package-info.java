/**
 * Server-assisted client-side caching (Redis's tracking.c): which clients may hold which
 * keys in a local cache, and the invalidation messages sent when those keys change.
 *
 * <p>Owns the tracking table (key to client ids), the prefix table of broadcasting
 * clients, each connection's tracking settings ({@link dev.cairn.tracking.ClientTracking})
 * and the bytes of the {@code invalidate} and {@code tracking-redir-broken} pushes. It
 * learns of reads from the dispatcher and of changes from the server's
 * signalModifiedKey and the flush commands; it writes only through a client's push
 * methods and must not change the keyspace, the command table or another package's state.
 */
package dev.cairn.tracking;
