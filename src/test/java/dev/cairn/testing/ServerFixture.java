package dev.cairn.testing;

import dev.cairn.server.Server;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;

/**
 * A JUnit extension that runs a server for tests, a {@link TestServer} or a
 * {@link RealRedis}, with Jedis and Lettuce connections to it for each test.
 *
 * <p>Registered on a static field ({@code @RegisterExtension static final ServerFixture
 * cairn = ServerFixture.cairn();}) the server serves the whole class; on an instance field
 * each test gets a server of its own. It starts before the first test that needs it, or
 * when first asked for. Connections belong to the current test: made on first use and
 * closed after it, so a test class can keep them in fields ({@code private final Jedis
 * jedis = cairn.jedis();}, as JUnit makes a new instance for each test).
 */
public final class ServerFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final boolean realRedis;
    private final String[] options;
    private boolean flushBeforeEachTest;
    private boolean forTheClass;
    private TestServer cairn;
    private RealRedis redis;
    private RedisClient lettuceClient;
    private Jedis jedis;
    private StatefulRedisConnection<String, String> lettuceConnection;

    private ServerFixture(boolean realRedis, String... options) {
        this.realRedis = realRedis;
        this.options = options;
    }

    /** A Cairn server in this JVM, with redis-server style options. */
    public static ServerFixture cairn(String... options) {
        return new ServerFixture(false, options);
    }

    /** A real redis-server, for differential tests. */
    public static ServerFixture realRedis(String... options) {
        return new ServerFixture(true, options);
    }

    /** FLUSHALL (through the test's Jedis) before each test, for a server shared by the class. */
    public ServerFixture flushingBeforeEachTest() {
        flushBeforeEachTest = true;
        return this;
    }

    public int port() {
        start();
        return realRedis ? redis.port() : cairn.port();
    }

    /** The Cairn server's context (see {@link TestServer#server()}). */
    public Server server() {
        return testServer().server();
    }

    /** Runs an action on Cairn's command thread and waits for it (see {@link TestServer#onCommandThread}). */
    public <T> T onCommandThread(Callable<T> action) {
        return testServer().onCommandThread(action);
    }

    /** The current test's Jedis connection. */
    public Jedis jedis() {
        if (jedis == null) jedis = new Jedis("127.0.0.1", port());
        return jedis;
    }

    /** The current test's Lettuce connection (RESP3), synchronous commands. */
    public RedisCommands<String, String> lettuce() {
        if (lettuceConnection == null) {
            if (lettuceClient == null) lettuceClient = RedisClient.create("redis://127.0.0.1:" + port());
            lettuceConnection = lettuceClient.connect();
        }
        return lettuceConnection.sync();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        forTheClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
        if (flushBeforeEachTest) jedis().flushAll();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (jedis != null) jedis.close();
        if (lettuceConnection != null) lettuceConnection.close();
        jedis = null;
        lettuceConnection = null;
        if (!forTheClass) stop();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private TestServer testServer() {
        if (realRedis) throw new IllegalStateException("a real redis-server has no Cairn internals");
        start();
        return cairn;
    }

    private void start() {
        if (cairn != null || redis != null) return;
        if (realRedis) redis = RealRedis.start(options);
        else cairn = TestServer.start(options);
    }

    private void stop() {
        if (lettuceClient != null) lettuceClient.shutdown();
        if (cairn != null) cairn.close();
        if (redis != null) redis.close();
        lettuceClient = null;
        cairn = null;
        redis = null;
    }
}
