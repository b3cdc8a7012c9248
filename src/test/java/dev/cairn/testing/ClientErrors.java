package dev.cairn.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lettuce.core.RedisCommandExecutionException;
import redis.clients.jedis.exceptions.JedisDataException;

/** The error text Jedis or Lettuce reports for a command the server rejects (failing if it does not). */
public final class ClientErrors {
    private ClientErrors() {}

    public static String jedisError(Runnable call) {
        return assertThrows(JedisDataException.class, call::run).getMessage();
    }

    public static String lettuceError(Runnable call) {
        return assertThrows(RedisCommandExecutionException.class, call::run).getMessage();
    }
}
