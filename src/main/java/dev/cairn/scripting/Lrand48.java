package dev.cairn.scripting;

/**
 * The generator behind math.random in scripts: POSIX lrand48 (a 48-bit linear
 * congruential generator), which Redis ships as redisLrand48 so that every platform
 * gives the same sequence. One sequence is shared by all scripts and functions and is
 * never reseeded by Redis itself: after a start the first {@code math.random(100)} is 40.
 */
final class Lrand48 {
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long INCREMENT = 0xB;
    private static final long MASK = (1L << 48) - 1;
    /** Redis's REDIS_LRAND48_MAX (INT32_MAX). */
    static final long MAX = Integer.MAX_VALUE;

    private long x = 0x1234ABCD330EL;

    /** The next value in [0, 2^31). */
    long next() {
        x = (MULTIPLIER * x + INCREMENT) & MASK;
        return x >>> 17;
    }

    /** math.randomseed: srand48's seeding of the high 32 bits. */
    void seed(int seed) {
        x = (((long) seed << 16) | 0x330E) & MASK;
    }

    /** What Redis's math.random draws: {@code (lrand48() % MAX) / MAX}, in [0, 1). */
    double nextUnit() {
        return (double) (next() % MAX) / (double) MAX;
    }
}
