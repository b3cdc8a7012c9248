package dev.cairn.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's keys are among its arguments. Either a fixed range
 * ({@code first}, {@code last}, {@code step}; a negative last counts from the end), or,
 * for commands with a key count argument (ZUNIONSTORE, EVAL), the index of that count,
 * the offset of the first key after it, and the step. Used by COMMAND INFO, COMMAND
 * GETKEYS and, later, cluster slot checks.
 */
public record KeySpec(int first, int last, int step, int numkeysIndex, int numkeysFirstOffset) {
    public static final KeySpec NONE = new KeySpec(0, 0, 0, 0, 0);

    public static KeySpec range(int first, int last, int step) {
        return new KeySpec(first, last, step, 0, 0);
    }

    public boolean movable() {
        return numkeysIndex > 0;
    }

    /**
     * Positions of the keys in {@code argv}; empty when it has none. A command with both a
     * range and a key count (ZUNIONSTORE's destination, then its sources) lists the range
     * first, as Redis does. Null when the key count is not a number or promises more keys
     * than there are arguments (Redis's "invalid arguments").
     */
    public List<Integer> positions(byte[][] argv) {
        List<Integer> result = new ArrayList<>();
        if (first > 0) {
            int end = last >= 0 ? last : argv.length + last;
            for (int i = first; i <= end && i < argv.length; i += step) result.add(i);
        }
        if (numkeysIndex > 0) {
            if (numkeysIndex >= argv.length) return null;
            long n;
            try {
                n = Long.parseLong(new String(argv[numkeysIndex], java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return null;
            }
            int keyStep = Math.max(step, 1);
            long at = numkeysIndex + numkeysFirstOffset;
            if (n < 0 || at + (n - 1) * keyStep >= argv.length) return null;
            for (long i = 0; i < n; i++, at += keyStep) result.add((int) at);
        }
        return result;
    }
}
