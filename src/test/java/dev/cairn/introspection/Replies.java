package dev.cairn.introspection;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns a raw Jedis reply (byte arrays, longs, lists) into comparable text and lists. */
final class Replies {
    private Replies() {}

    static Object text(Object reply) {
        if (reply instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (reply instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (Object o : list) out.add(text(o));
            return out;
        }
        return reply;
    }
}
