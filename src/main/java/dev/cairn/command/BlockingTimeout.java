package dev.cairn.command;

import dev.cairn.protocol.LongDouble;
import dev.cairn.server.Client;
import java.math.BigDecimal;

/**
 * The timeout argument of the blocking commands (BLPOP, BLMOVE, BZPOPMIN...): seconds as
 * a long double, fractions allowed, 0 for ever (Redis's getTimeoutFromObjectOrReply).
 */
final class BlockingTimeout {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);

    private BlockingTimeout() {}

    /** The deadline in unix ms for the timeout at argument {@code index}, or 0 for no deadline. */
    static long deadline(Client c, int index) {
        LongDouble seconds = LongDouble.parse(c.arg(index));
        if (seconds == null) throw new CommandError("ERR timeout is not a float or out of range");
        long ms = truncatedMillis(seconds);
        if (ms < 0) throw new CommandError("ERR timeout is negative");
        if (ms == 0) return 0;
        long now = c.server().keyspace().clock().nowMillis();
        // Far beyond any lifetime: wait for ever rather than overflow.
        return ms > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ms;
    }

    /**
     * Redis converts with C's (long long) cast: fractions of a millisecond truncate toward
     * zero, and a value out of range (infinity included) becomes LLONG_MIN on x86, which
     * then fails as "negative".
     */
    private static long truncatedMillis(LongDouble seconds) {
        if (!seconds.isFinite()) return Long.MIN_VALUE;
        BigDecimal ms = seconds.exact().multiply(THOUSAND);
        if (ms.compareTo(LONG_MAX) > 0 || ms.compareTo(LONG_MIN) < 0) return Long.MIN_VALUE;
        return ms.longValue();
    }
}
