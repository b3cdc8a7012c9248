package dev.cairn.pubsub;

import dev.cairn.protocol.Reply;

/**
 * Where the registry writes a subscriber's pushes: subscription confirmations and
 * messages. A push is out of band: Redis delivers it even while CLIENT REPLY OFF or SKIP
 * silences the connection's replies, and the connection must flush it even when it is
 * not the one whose command produced it.
 */
public interface Subscriber {
    /** Starts a push; the returned Reply is written to until {@link #endPush()}. */
    Reply beginPush();

    /** Ends the push begun by {@link #beginPush()}. */
    void endPush();
}
