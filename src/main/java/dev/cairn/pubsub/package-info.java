/**
 * Publish/subscribe: the registry of channel, pattern and shard channel subscriptions
 * ({@link dev.cairn.pubsub.PubSub}), each connection's own subscriptions
 * ({@link dev.cairn.pubsub.Subscriptions}), and the messages and confirmations pushed to
 * subscribers, in RESP2 arrays or RESP3 push frames, byte for byte as Redis 7.0 sends them.
 * Keyspace notifications are published through the same registry.
 *
 * <p>Owns: who listens to what, and what they are sent. Must not: touch sockets, flush
 * output or close connections (a subscriber is only a place to write pushes, see
 * {@link dev.cairn.pubsub.Subscriber}; flushing and the pubsub output buffer limit are the
 * server's), nor reach into keys or values. Single-threaded: command thread only.
 */
package dev.cairn.pubsub;
