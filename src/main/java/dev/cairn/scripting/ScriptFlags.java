package dev.cairn.scripting;

import dev.cairn.protocol.RequestParser;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Script flags (Redis's SCRIPT_FLAG_*): those a {@code #!lua flags=...} shebang or a
 * function's registration declares, plus compatibility mode for EVAL scripts without a
 * shebang, which keep the pre-7.0 behaviour (writes allowed, no checks at start).
 */
final class ScriptFlags {
    static final int NO_WRITES = 1;
    static final int ALLOW_OOM = 1 << 1;
    static final int ALLOW_STALE = 1 << 2;
    static final int NO_CLUSTER = 1 << 3;
    /** An EVAL script without shebang. */
    static final int EVAL_COMPAT_MODE = 1 << 4;
    static final int ALLOW_CROSS_SLOT_KEYS = 1 << 5;

    /** Flag names, in the order FUNCTION LIST prints them. */
    static final List<String> NAMES = List.of("no-writes", "allow-oom", "allow-stale", "no-cluster",
            "allow-cross-slot-keys");
    private static final int[] BITS = {NO_WRITES, ALLOW_OOM, ALLOW_STALE, NO_CLUSTER, ALLOW_CROSS_SLOT_KEYS};

    private ScriptFlags() {}

    /** The bit for a flag name, or 0 when unknown. */
    static int bit(String name) {
        int at = NAMES.indexOf(name);
        return at < 0 ? 0 : BITS[at];
    }

    static List<String> names(int flags) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < BITS.length; i++) if ((flags & BITS[i]) != 0) out.add(NAMES.get(i));
        return out;
    }

    /** The result of reading an EVAL script's first line. */
    record Shebang(int flags, int length, String error) {}

    /**
     * Redis's evalExtractShebangFlags: no {@code #!} gives compatibility mode; otherwise the
     * line must be {@code #!lua} followed by optional {@code flags=a,b} words. The length
     * is that of the line without its line feed (the script keeps the line feed so that line
     * numbers stay right).
     */
    static Shebang shebang(byte[] body) {
        if (body.length < 2 || body[0] != '#' || body[1] != '!') return new Shebang(EVAL_COMPAT_MODE, 0, null);
        int end = -1;
        for (int i = 0; i < body.length; i++) {
            if (body[i] == '\n') {
                end = i;
                break;
            }
            if (body[i] == 0) break; // strchr stops at the end of the C string
        }
        if (end < 0) return new Shebang(0, 0, "Invalid script shebang");
        byte[] line = java.util.Arrays.copyOf(body, end);
        List<byte[]> parts = RequestParser.splitArgs(line);
        if (parts == null || parts.isEmpty()) return new Shebang(0, 0, "Invalid engine in script shebang");
        String engine = latin1(parts.get(0));
        if (!engine.equals("#!lua")) return new Shebang(0, 0, "Unexpected engine in script shebang: " + engine);
        int flags = 0;
        for (int j = 1; j < parts.size(); j++) {
            String part = latin1(parts.get(j));
            if (!part.startsWith("flags=")) return new Shebang(0, 0, "Unknown lua shebang option: " + part);
            String list = part.substring(6);
            if (list.isEmpty()) continue;
            for (String name : list.split(",", -1)) {
                int bit = bit(name);
                if (bit == 0) return new Shebang(0, 0, "Unexpected flag in script shebang: " + name);
                flags |= bit;
            }
        }
        return new Shebang(flags, end, null);
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
