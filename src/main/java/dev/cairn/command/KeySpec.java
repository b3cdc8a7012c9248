package dev.cairn.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a command's keys are among its arguments. Either a fixed range
 * ({@code first}, {@code last}, {@code step}; a negative last counts from the end), or,
 * for commands with a key count argument (ZUNIONSTORE, EVAL), the index of that count,
 * the offset of the first key after it, and the step; or, for commands whose keys follow
 * a keyword (XREAD's STREAMS), that {@link Keyword}. Used by COMMAND INFO, COMMAND
 * GETKEYS and, later, cluster slot checks.
 */
public record KeySpec(int first, int last, int step, int numkeysIndex, int numkeysFirstOffset, Keyword keyword) {
    public static final KeySpec NONE = new KeySpec(0, 0, 0, 0, 0);

    /**
     * Keys found after a keyword searched from argument {@code startFrom}: a range up to
     * {@code lastKey} (-1: the end) every {@code keyStep}, of which only the first
     * {@code 1/limit} part are keys (XREAD's STREAMS: the keys, then as many IDs).
     */
    public record Keyword(String word, int startFrom, int lastKey, int keyStep, int limit) {}

    public KeySpec(int first, int last, int step, int numkeysIndex, int numkeysFirstOffset) {
        this(first, last, step, numkeysIndex, numkeysFirstOffset, null);
    }

    public static KeySpec range(int first, int last, int step) {
        return new KeySpec(first, last, step, 0, 0);
    }

    public boolean movable() {
        return numkeysIndex > 0 || keyword != null;
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
        if (keyword != null) {
            int at = -1;
            for (int i = keyword.startFrom(); i < argv.length; i++) {
                if (new String(argv[i], java.nio.charset.StandardCharsets.ISO_8859_1).equalsIgnoreCase(keyword.word())) {
                    at = i;
                    break;
                }
            }
            if (at < 0) return null;
            int firstKey = at + 1;
            int lastKey = keyword.lastKey() >= 0 ? firstKey + keyword.lastKey()
                    : keyword.limit() <= 1 ? argv.length + keyword.lastKey()
                    : firstKey + (argv.length - firstKey) / keyword.limit() + keyword.lastKey();
            for (int i = firstKey; i <= lastKey && i < argv.length; i += Math.max(1, keyword.keyStep())) result.add(i);
            return result;
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
