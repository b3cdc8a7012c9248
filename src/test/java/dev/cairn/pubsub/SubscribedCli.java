package dev.cairn.pubsub;

import dev.cairn.testing.Eventually;
import dev.cairn.testing.RealRedis;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real redis-cli left running in subscribe mode, as in a terminal of the seed
 * sessions: it prints confirmations and messages as they arrive, so a test starts it,
 * publishes from elsewhere, waits for the output it expects, stops it and compares all
 * it printed.
 */
final class SubscribedCli implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Thread reader;

    /** {@code redis-cli -p port --no-raw args...} (the format of an interactive session). */
    SubscribedCli(int port, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(RealRedis.binary("redis-cli"), "-p", Integer.toString(port), "--no-raw"));
        cmd.addAll(List.of(args));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        process.getOutputStream().close();
        reader = Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    synchronized (printed) {
                        printed.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process was stopped
            }
        });
    }

    String output() {
        synchronized (printed) {
            return printed.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until it has printed {@code text} (as its whole output so far, or more). */
    SubscribedCli awaitOutput(String text) {
        Eventually.until(() -> "redis-cli printing " + text + "; it printed: " + output(),
                () -> output().length() >= text.length());
        return this;
    }

    /** Stops it, as Ctrl-C in the terminal, and returns everything it printed. */
    String stop() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(10_000);
        return output();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) stop();
    }
}
