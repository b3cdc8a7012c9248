package dev.cairn.pubsub;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One connection's subscriptions (Redis's c->pubsub_channels, pubsub_patterns and
 * pubsubshard_channels), in the order they were made. Changed only through
 * {@link PubSub}, which keeps the server-wide registry in step.
 */
public final class Subscriptions {
    private final Subscriber owner;
    /** Indexed by {@link Kind#ordinal()}; a set is created on first use. */
    @SuppressWarnings("unchecked")
    private final Set<Name>[] names = new Set[Kind.values().length];
    private int total;

    public Subscriptions(Subscriber owner) {
        this.owner = owner;
    }

    Subscriber owner() {
        return owner;
    }

    /**
     * True while subscribed to anything (Redis's CLIENT_PUBSUB flag): a RESP2 connection
     * may then only (un)subscribe, PING, QUIT and RESET, and it is a pubsub client for
     * CLIENT LIST/KILL TYPE and the output buffer limits.
     */
    public boolean active() {
        return total > 0;
    }

    /** CLIENT LIST sub=. */
    public int channelCount() {
        return size(Kind.CHANNEL);
    }

    /** CLIENT LIST psub=. */
    public int patternCount() {
        return size(Kind.PATTERN);
    }

    /** CLIENT LIST ssub=. */
    public int shardChannelCount() {
        return size(Kind.SHARD);
    }

    /** The count a confirmation of this kind reports. */
    int count(Kind kind) {
        return kind == Kind.SHARD ? size(Kind.SHARD) : size(Kind.CHANNEL) + size(Kind.PATTERN);
    }

    private int size(Kind kind) {
        Set<Name> set = names[kind.ordinal()];
        return set == null ? 0 : set.size();
    }

    boolean add(Kind kind, Name name) {
        Set<Name> set = names[kind.ordinal()];
        if (set == null) names[kind.ordinal()] = set = new LinkedHashSet<>();
        if (!set.add(name)) return false;
        total++;
        return true;
    }

    boolean remove(Kind kind, Name name) {
        Set<Name> set = names[kind.ordinal()];
        if (set == null || !set.remove(name)) return false;
        total--;
        if (set.isEmpty()) names[kind.ordinal()] = null;
        return true;
    }

    /** A copy of the names of this kind, to walk while removing them. */
    Name[] list(Kind kind) {
        Set<Name> set = names[kind.ordinal()];
        return set == null ? new Name[0] : set.toArray(new Name[0]);
    }
}
