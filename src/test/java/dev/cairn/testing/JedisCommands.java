package dev.cairn.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.util.SafeEncoder;

/** Any command through Jedis, for tests of commands Jedis has no method for (or not in this form). */
public final class JedisCommands {
    private JedisCommands() {}

    /** Sends the command; the reply as Jedis decodes it, with byte strings turned into text. */
    public static Object call(Jedis jedis, String... args) {
        return decode(jedis.sendCommand(() -> SafeEncoder.encode(args[0]), Arrays.copyOfRange(args, 1, args.length)));
    }

    /** Sends a command that must fail; its error message. */
    public static String error(Jedis jedis, String... args) {
        return assertThrows(JedisDataException.class, () -> call(jedis, args)).getMessage();
    }

    private static Object decode(Object reply) {
        if (reply instanceof byte[] b) return new String(b, StandardCharsets.ISO_8859_1);
        if (reply instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(decode(o));
            return out;
        }
        return reply;
    }
}
