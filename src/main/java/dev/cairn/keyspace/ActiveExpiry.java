package dev.cairn.keyspace;

/**
 * The active half of expiry, Redis's {@code activeExpireCycle}: a few times a second,
 * sample random keys that have a TTL in each database and delete the expired ones;
 * while more than a tenth of a sample was expired, sample again, within a time
 * budget so that clients never stall. Expired keys that are never sampled are still
 * removed lazily when touched ({@link Database#lookupWrite}).
 *
 * <p>Policy only: the storage it works on is the databases' {@link TtlIndex}.
 */
public final class ActiveExpiry {
    /** Keys sampled per database per loop (ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP). */
    static final int KEYS_PER_LOOP = 20;
    /**
     * Keep sampling a database while more than this percentage of a sample had expired
     * (ACTIVE_EXPIRE_CYCLE_ACCEPTABLE_STALE at the default active-expire-effort).
     */
    static final int ACCEPTABLE_STALE_PERCENT = 10;
    /** Share of CPU time a slow cycle may take (ACTIVE_EXPIRE_CYCLE_SLOW_TIME_PERC). */
    static final int SLOW_TIME_PERCENT = 25;

    private final Keyspace keyspace;
    private boolean enabled = true;
    private int nextDb;
    private double staleRatioEstimate;

    public ActiveExpiry(Keyspace keyspace) {
        this.keyspace = keyspace;
    }

    public void enabled(boolean on) {
        this.enabled = on;
    }

    public boolean enabled() {
        return enabled;
    }

    /** Estimated percentage of keys with a TTL that are already expired (INFO expired_stale_perc). */
    public double stalePercent() {
        return staleRatioEstimate * 100;
    }

    /**
     * Runs one cycle. Called {@code hz} times a second from the cron.
     *
     * @param hz the cron frequency, which sets the time budget per call
     */
    public void run(int hz) {
        if (!enabled || !keyspace.expiryEnabled()) return;
        long budgetNanos = 1_000_000_000L * SLOW_TIME_PERCENT / 100 / Math.max(hz, 1);
        long start = System.nanoTime();
        int dbs = keyspace.count();
        long sampledTotal = 0;
        long expiredInRun = 0;
        for (int n = 0; n < dbs; n++) {
            Database db = keyspace.db(nextDb);
            nextDb = (nextDb + 1) % dbs;
            int expired;
            int sampled;
            do {
                long withTtl = db.expiresCount();
                if (withTtl == 0) break;
                int toSample = (int) Math.min(withTtl, KEYS_PER_LOOP);
                expired = 0;
                sampled = 0;
                for (int i = 0; i < toSample; i++) {
                    Entry e = db.randomExpiring();
                    if (e == null) break;
                    sampled++;
                    if (db.expireIfNeeded(e)) expired++;
                }
                sampledTotal += sampled;
                expiredInRun += expired;
                if (System.nanoTime() - start > budgetNanos) {
                    recordStale(sampledTotal, expiredInRun);
                    return;
                }
            } while (sampled > 0 && expired * 100 / sampled > ACCEPTABLE_STALE_PERCENT);
        }
        recordStale(sampledTotal, expiredInRun);
    }

    /** A moving average of the expired share of the samples, as Redis keeps it. */
    private void recordStale(long sampled, long expired) {
        double current = sampled == 0 ? 0 : (double) expired / sampled;
        staleRatioEstimate = current * 0.05 + staleRatioEstimate * 0.95;
    }
}
