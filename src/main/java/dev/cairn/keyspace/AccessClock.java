package dev.cairn.keyspace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Time as the keyspace sees it: wall-clock milliseconds for TTLs, and the 24-bit access
 * word stamped on entries when they are created and read, which OBJECT IDLETIME/FREQ
 * report and eviction compares (and persistence saves as LRU idle time or LFU frequency).
 *
 * <p>The word has two meanings, as in Redis. Under an LRU (or no) policy it is the LRU
 * clock: seconds modulo 2^24. Under an LFU policy it is the LFU word: the minute of the
 * last decrement (16 bits, wrapping) above a logarithmic access counter (8 bits) that
 * starts at {@link #LFU_INIT_VAL}, grows with probability 1/((counter-5)*lfu-log-factor+1)
 * per access and loses one per lfu-decay-time minutes without access. Switching policy
 * does not convert existing words; they adjust as keys are accessed, as in Redis.
 */
public class AccessClock {
    static final int LRU_BITS = 24;
    static final int LRU_MAX = (1 << LRU_BITS) - 1;
    /** The counter of a new key under LFU, so that it is not evicted before it is read again. */
    public static final int LFU_INIT_VAL = 5;
    private static final int LFU_MINUTES_MAX = 65535;

    /** The time keys expire against while a script runs; -1 otherwise. */
    private long scriptSnapshot = -1;
    private boolean lfu;
    private long lfuLogFactor = 10;
    private long lfuDecayMinutes = 1;

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

    /** Selects the word's meaning and the LFU parameters (from maxmemory-policy, lfu-log-factor, lfu-decay-time). */
    public void configure(boolean lfu, long logFactor, long decayMinutes) {
        this.lfu = lfu;
        this.lfuLogFactor = logFactor;
        this.lfuDecayMinutes = decayMinutes;
    }

    /** True when access words are LFU words. */
    public boolean lfu() {
        return lfu;
    }

    /** The current LRU clock: seconds modulo 2^24. */
    public int lruNow() {
        return (int) ((nowMillis() / 1000) & LRU_MAX);
    }

    /** The access word for a newly created entry. */
    int initial() {
        return lfu ? (minutesNow() << 8) | LFU_INIT_VAL : accessNow();
    }

    /** The access word after a read of an entry whose word was {@code access}. */
    int touch(int access) {
        if (!lfu) return accessNow();
        int counter = logIncrement(decayedCounter(access));
        return (minutesNow() << 8) | counter;
    }

    /** The LRU clock for an access: in a script, the script's start (no clock read per key it touches). */
    private int accessNow() {
        return (int) ((expiryNowMillis() / 1000) & LRU_MAX);
    }

    private int minutesNow() {
        return (int) ((expiryNowMillis() / 60_000) & LFU_MINUTES_MAX);
    }

    /**
     * The access word of a key read from a file that recorded its idle time
     * ({@code lruIdleSeconds}) or LFU frequency ({@code lfuFreq}), each -1 when absent.
     * As Redis's objectSetLRUOrLFU: each counts only under a policy of its kind; a key
     * without the one that counts gets a new key's word.
     */
    public int loadedWord(long lruIdleSeconds, int lfuFreq) {
        if (lfu) return lfuFreq < 0 ? initial() : (minutesNow() << 8) | (lfuFreq & 0xFF);
        if (lruIdleSeconds < 0) return accessNow();
        return (int) ((lruNow() - lruIdleSeconds) & LRU_MAX);
    }

    /** Seconds since the entry was last accessed, handling the clock's wrap-around. */
    public long idleSeconds(int access) {
        int now = lruNow();
        return now >= access ? now - access : (LRU_MAX - access) + now;
    }

    /**
     * The LFU counter of a word after the decay due since its minute (OBJECT FREQ, and
     * what eviction compares); the word itself is not changed.
     */
    public int decayedCounter(int access) {
        int counter = access & 0xFF;
        if (lfuDecayMinutes == 0) return counter;
        int then = (access >>> 8) & LFU_MINUTES_MAX;
        int now = minutesNow();
        long elapsed = now >= then ? now - then : LFU_MINUTES_MAX - then + now;
        long periods = elapsed / lfuDecayMinutes;
        return periods >= counter ? 0 : (int) (counter - periods);
    }

    /** One access: the counter grows with a probability that falls as it grows. */
    private int logIncrement(int counter) {
        if (counter == 255) return 255;
        double r = ThreadLocalRandom.current().nextDouble();
        double base = Math.max(0, counter - LFU_INIT_VAL);
        return r < 1.0 / (base * lfuLogFactor + 1) ? counter + 1 : counter;
    }
}
