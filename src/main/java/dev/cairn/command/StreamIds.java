package dev.cairn.command;

import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.types.StreamValue;
import dev.cairn.types.StreamValue.Id;
import java.nio.charset.StandardCharsets;

/**
 * Stream IDs as arguments and replies (Redis's streamGenericParseIDOrReply and
 * addReplyStreamID): {@code ms-seq}, {@code ms} alone (the sequence then defaults), and
 * {@code -} / {@code +} for the smallest and greatest IDs where allowed.
 */
final class StreamIds {
    private StreamIds() {}

    static final String INVALID = "ERR Invalid stream ID specified as stream command argument";

    /** An ID whose sequence was given as {@code *} (XADD's {@code ms-*}): seq is 0, {@code partial} set. */
    record Parsed(Id id, boolean sequenceGiven) {}

    /**
     * Parses an ID. {@code strict} refuses {@code -} and {@code +}; {@code allowPartial}
     * accepts {@code ms-*}. Throws the invalid-ID error.
     */
    static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean allowPartial) {
        if (arg.length > 127) throw new CommandError(INVALID);
        if (arg.length == 1 && (arg[0] == '-' || arg[0] == '+')) {
            if (strict) throw new CommandError(INVALID);
            return new Parsed(arg[0] == '-' ? Id.MIN : Id.MAX, true);
        }
        int dash = -1;
        for (int i = 0; i < arg.length; i++) {
            if (arg[i] == '-') {
                dash = i;
                break;
            }
            // Redis copies into a C string: a NUL ends it.
            if (arg[i] == 0) break;
        }
        String s = new String(arg, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        if (nul >= 0) s = s.substring(0, nul);
        if (dash >= s.length()) dash = -1;
        Long ms = unsigned(dash < 0 ? s : s.substring(0, dash));
        if (ms == null) throw new CommandError(INVALID);
        if (dash < 0) return new Parsed(new Id(ms, missingSeq), true);
        String rest = s.substring(dash + 1);
        if (allowPartial && rest.equals("*")) return new Parsed(new Id(ms, 0), false);
        Long seq = unsigned(rest);
        if (seq == null) throw new CommandError(INVALID);
        return new Parsed(new Id(ms, seq), true);
    }

    static Id strict(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, true, false).id();
    }

    static Id lenient(byte[] arg, long missingSeq) {
        return parse(arg, missingSeq, false, false).id();
    }

    /** Strict, without replying: null when it is not an ID (XCLAIM's scan for options). */
    static Id tryStrict(byte[] arg) {
        try {
            return strict(arg, 0);
        } catch (CommandError e) {
            return null;
        }
    }

    /**
     * An interval bound of XRANGE, XPENDING, XAUTOCLAIM: {@code (} makes it exclusive (then
     * strict); the exclusive bound is moved inwards, with Redis's errors at the ends.
     */
    static Id intervalStart(byte[] arg) {
        if (arg.length > 1 && arg[0] == '(') {
            Id id = strict(java.util.Arrays.copyOfRange(arg, 1, arg.length), 0).next();
            if (id == null) throw new CommandError("ERR invalid start ID for the interval");
            return id;
        }
        return lenient(arg, 0);
    }

    static Id intervalEnd(byte[] arg) {
        if (arg.length > 1 && arg[0] == '(') {
            Id id = strict(java.util.Arrays.copyOfRange(arg, 1, arg.length), -1L).previous();
            if (id == null) throw new CommandError("ERR invalid end ID for the interval");
            return id;
        }
        return lenient(arg, -1L);
    }

    /**
     * Redis's string2ull: a strict signed integer that is not negative, else what C's
     * strtoull accepts (leading spaces, a sign; a minus wraps around), without overflow.
     */
    private static Long unsigned(String s) {
        Long strict = Numbers.parseStrictLong(s.getBytes(StandardCharsets.ISO_8859_1));
        if (strict != null) return strict < 0 ? null : strict;
        int i = 0;
        while (i < s.length() && isSpace(s.charAt(i))) i++;
        boolean negative = false;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            negative = s.charAt(i) == '-';
            i++;
        }
        if (i == s.length()) return null;
        long v = 0;
        for (; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') return null;
            long digit = ch - '0';
            if (Long.compareUnsigned(v, Long.divideUnsigned(-1L - digit, 10)) > 0) return null;
            v = v * 10 + digit;
        }
        return negative ? -v : v;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || (c >= '\t' && c <= '\r');
    }

    static byte[] bytes(Id id) {
        return id.toString().getBytes(StandardCharsets.US_ASCII);
    }

    static void reply(Reply r, Id id) {
        r.bulk(bytes(id));
    }

    /** One entry: its ID and its fields and values. */
    static void replyEntry(Reply r, StreamValue.Node node, int i) {
        r.array(2);
        reply(r, node.id(i));
        int n = node.elements(i);
        r.array(n);
        for (int j = 0; j < n; j++) r.bulk(node.element(i, j));
    }
}
