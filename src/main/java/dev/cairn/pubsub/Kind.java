package dev.cairn.pubsub;

import java.nio.charset.StandardCharsets;

/**
 * The three kinds of subscription, with the words of their confirmations and messages.
 * Channels and patterns share one count (what SUBSCRIBE and PSUBSCRIBE report); shard
 * channels have their own.
 */
enum Kind {
    CHANNEL("subscribe", "unsubscribe", "message"),
    PATTERN("psubscribe", "punsubscribe", "pmessage"),
    SHARD("ssubscribe", "sunsubscribe", "smessage");

    final byte[] subscribed;
    final byte[] unsubscribed;
    final byte[] message;

    Kind(String subscribed, String unsubscribed, String message) {
        this.subscribed = subscribed.getBytes(StandardCharsets.US_ASCII);
        this.unsubscribed = unsubscribed.getBytes(StandardCharsets.US_ASCII);
        this.message = message.getBytes(StandardCharsets.US_ASCII);
    }
}
