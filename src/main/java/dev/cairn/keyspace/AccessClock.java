package dev.cairn.keyspace;

/**
 * Time as the keyspace sees it: wall-clock milliseconds for TTLs, and Redis's 24-bit
 * LRU clock (seconds, wrapping) stamped on entries when they are read, which OBJECT
 * IDLETIME reports and LRU eviction compares.
 */
public class AccessClock {
    static final int LRU_BITS = 24;
    static final int LRU_MAX = (1 << LRU_BITS) - 1;

    /** The time keys expire against while a script runs; -1 otherwise. */
    private long scriptSnapshot = -1;

    public long nowMillis() {
        return System.currentTimeMillis();
    }

    /**
     * The time to decide whether a key has expired: now, or while a script runs the time
     * it started (Redis's script time snapshot: keys do not expire in the middle of one).
     */
    public long expiryNowMillis() {
        return scriptSnapshot >= 0 ? scriptSnapshot : nowMillis();
    }

    /** A script starts ({@code millis}) or ends (-1). */
    public void scriptSnapshot(long millis) {
        this.scriptSnapshot = millis;
    }

    /** The current LRU clock: seconds modulo 2^24. */
    public int lruNow() {
        return (int) ((nowMillis() / 1000) & LRU_MAX);
    }

    /** The access word for a newly created entry. */
    int initial() {
        return accessNow();
    }

    /** The access word after a read of an entry whose word was {@code access}. */
    int touch(int access) {
        return accessNow();
    }

    /** The LRU clock for an access: in a script, the script's start (no clock read per key it touches). */
    private int accessNow() {
        return (int) ((expiryNowMillis() / 1000) & LRU_MAX);
    }

    /**
     * The access word of a key read from a file that recorded its idle time
     * ({@code lruIdleSeconds}) or LFU frequency, each -1 when absent.
     */
    public int loadedWord(long lruIdleSeconds, int lfuFreq) {
        if (lruIdleSeconds < 0) return accessNow();
        return (int) ((lruNow() - lruIdleSeconds) & LRU_MAX);
    }

    /** Seconds since the entry was last accessed, handling the clock's wrap-around. */
    public long idleSeconds(int access) {
        int now = lruNow();
        return now >= access ? now - access : (LRU_MAX - access) + now;
    }
}
