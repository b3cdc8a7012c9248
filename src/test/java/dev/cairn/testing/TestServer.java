package dev.cairn.testing;

import dev.cairn.config.Config;
import dev.cairn.server.Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * A Cairn server running inside the test JVM on a free port, configured with
 * redis-server style options ({@code "--requirepass", "secret"}). Close it when done.
 */
public final class TestServer implements AutoCloseable {
    private final Server server;
    private final int port;

    private TestServer(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    public static TestServer start(String... options) {
        try {
            int port = freePort();
            // No save points and a directory of its own, so that no test writes dump.rdb into
            // the project; tests about persistence give their own --save and --dir.
            Path dir = Files.createTempDirectory("cairn-test");
            List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--loglevel", "warning", "--save", "", "--dir", dir.toString()));
            args.addAll(List.of(options));
            Config config = new Config();
            config.load(Config.optionsToText(args));
            Server server = new Server(config);
            server.start();
            return new TestServer(server, port);
        } catch (Exception e) {
            throw new IllegalStateException("could not start Cairn", e);
        }
    }

    /** A TCP port nobody is listening on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** The server's {@code dir}: where its RDB and AOF files go. */
    public Path dir() {
        return Path.of(server.config().dir.value());
    }

    public int port() {
        return port;
    }

    public Server server() {
        return server;
    }

    /** Runs an action on the command thread and waits for it (to inspect server state safely). */
    public <T> T onCommandThread(java.util.concurrent.Callable<T> action) {
        try {
            return server.listeners().commandLoop().submit(action).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        // A test that ran SHUTDOWN has stopped the server (and its event loop) already.
        if (server.shuttingDown()) return;
        onCommandThread(() -> {
            server.shutdownNow();
            return null;
        });
    }
}
