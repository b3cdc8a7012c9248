package dev.cairn.testing;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;

/** COMMAND DOCS of one command as a map of text, for comparing a server's docs with Redis's. */
public final class CommandDocs {
    private CommandDocs() {}

    /** The doc fields of the command: bulk strings as text, nested lists as lists of text. */
    public static Map<String, Object> of(Jedis jedis, String name) {
        List<?> reply = (List<?>) jedis.sendCommand(Protocol.Command.COMMAND, "DOCS", name);
        List<?> fields = (List<?>) reply.get(1);
        Map<String, Object> docs = new HashMap<>();
        for (int i = 0; i < fields.size(); i += 2) docs.put((String) text(fields.get(i)), text(fields.get(i + 1)));
        return docs;
    }

    private static Object text(Object o) {
        if (o instanceof byte[] b) return new String(b, StandardCharsets.UTF_8);
        if (o instanceof List<?> l) return l.stream().map(CommandDocs::text).toList();
        return o;
    }
}
