package dev.cairn.eviction;

/**
 * The eight values of maxmemory-policy: which keys may go (all, or only those with a TTL)
 * and how the victim is chosen (least recently used, least frequently used, soonest to
 * expire, at random), or none at all.
 */
public enum EvictionPolicy {
    VOLATILE_LRU, VOLATILE_LFU, VOLATILE_RANDOM, VOLATILE_TTL, ALLKEYS_LRU, ALLKEYS_LFU, ALLKEYS_RANDOM, NOEVICTION;

    /** The policy a maxmemory-policy word names. */
    public static EvictionPolicy of(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    /** Only keys with a TTL are candidates. */
    boolean volatileOnly() {
        return this == VOLATILE_LRU || this == VOLATILE_LFU || this == VOLATILE_RANDOM || this == VOLATILE_TTL;
    }

    public boolean lfu() {
        return this == VOLATILE_LFU || this == ALLKEYS_LFU;
    }

    /** LRU or LFU: the policy ranks keys by their access word. */
    public boolean tracksAccess() {
        return this == VOLATILE_LRU || this == ALLKEYS_LRU || lfu();
    }

    boolean random() {
        return this == VOLATILE_RANDOM || this == ALLKEYS_RANDOM;
    }
}
