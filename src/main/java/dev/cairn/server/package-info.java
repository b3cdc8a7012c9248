/**
 * The running server and its network: listeners and the single command event loop
 * ({@link dev.cairn.server.Listeners}), one pipeline handler per connection
 * ({@link dev.cairn.server.ConnectionHandler}), per-connection state
 * ({@link dev.cairn.server.Client}), dispatch ({@link dev.cairn.server.Dispatcher}), the cron,
 * statistics, logging, startup and shutdown ({@link dev.cairn.server.Main}).
 *
 * <p>Owns: threads, sockets, the process. {@link dev.cairn.server.Server} is the context handed to
 * commands; there is no global state. Must not: build reply bytes itself (that is
 * {@code protocol}) or reach into values (that is {@code keyspace} and {@code types}).
 */
package dev.cairn.server;
