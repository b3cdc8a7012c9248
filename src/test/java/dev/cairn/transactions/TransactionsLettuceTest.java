package dev.cairn.transactions;

import static dev.cairn.testing.ClientErrors.lettuceError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cairn.testing.ServerFixture;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandType;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** MULTI/EXEC and WATCH through Lettuce (RESP3), synchronous and asynchronous. */
class TransactionsLettuceTest {
    @RegisterExtension
    final ServerFixture server = ServerFixture.cairn();

    private final RedisCommands<String, String> redis = server.lettuce();

    @Test
    void multiExec() {
        assertEquals("OK", redis.multi());
        // Queued commands answer nothing through the synchronous API.
        assertNull(redis.set("k", "1"));
        assertNull(redis.incrby("k", 41));
        assertNull(redis.get("k"));
        TransactionResult result = redis.exec();
        assertFalse(result.wasDiscarded());
        assertEquals(3, result.size());
        assertEquals("OK", result.get(0));
        assertEquals(42L, (Long) result.get(1));
        assertEquals("42", result.get(2));
    }

    @Test
    void runtimeErrorsAreRepliesNotRollbacks() {
        redis.multi();
        redis.set("k", "text");
        redis.incr("k");
        redis.append("k", "!");
        TransactionResult result = redis.exec();
        assertEquals(3, result.size());
        RedisCommandExecutionException error = assertInstanceOf(RedisCommandExecutionException.class, result.get(1));
        assertEquals("ERR value is not an integer or out of range", error.getMessage());
        assertEquals(5L, (Long) result.get(2));
        assertEquals("text!", redis.get("k"));
    }

    @Test
    void watchFailsTheTransactionWhenAnotherClientWrites() {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> other = client.connect()) {
            redis.set("counter", "1");
            assertEquals("OK", redis.watch("counter"));
            other.sync().incr("counter");
            redis.multi();
            redis.incr("counter");
            TransactionResult failed = redis.exec();
            assertTrue(failed.wasDiscarded());
            assertEquals(0, failed.size());
            assertEquals("2", redis.get("counter"));
            // UNWATCH before MULTI: the same interference no longer matters.
            redis.watch("counter");
            other.sync().incr("counter");
            assertEquals("OK", redis.unwatch());
            redis.multi();
            redis.incr("counter");
            TransactionResult done = redis.exec();
            assertFalse(done.wasDiscarded());
            assertEquals(4L, (Long) done.get(0));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void discardAndMisplacedCommands() {
        assertEquals("ERR EXEC without MULTI", lettuceError(redis::exec));
        assertEquals("ERR DISCARD without MULTI", lettuceError(redis::discard));
        redis.multi();
        redis.set("k", "v");
        assertEquals("OK", redis.discard());
        assertNull(redis.get("k"));
    }

    @Test
    void asyncTransactionWithAQueuingError() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            async.multi().get(5, TimeUnit.SECONDS);
            var set = async.set("k", "v");
            // Wrong arity: refused while queuing, so EXEC aborts the whole transaction.
            var refused = async.dispatch(CommandType.GET, new StatusOutput<>(StringCodec.UTF8));
            var exec = async.exec();
            Exception execError = assertThrows(Exception.class, () -> exec.get(5, TimeUnit.SECONDS));
            assertEquals("EXECABORT Transaction discarded because of previous errors.", rootMessage(execError));
            assertTrue(refused.isDone() && set.isDone());
            assertNull(connection.sync().get("k"));
        } finally {
            client.shutdown();
        }
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
