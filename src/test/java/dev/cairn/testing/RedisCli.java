package dev.cairn.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real redis-cli against a port, feeding it input, and returns what it printed. */
public final class RedisCli {
    private RedisCli() {}

    /** {@code redis-cli -p port args...} with {@code stdin} as input; returns stdout+stderr. */
    public static String run(int port, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(RealRedis.binary("redis-cli"), "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("redis-cli did not finish");
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts an interactive {@code redis-cli -p port args...} (one connection kept open),
     * for sessions where several clients take turns. Close it when done.
     */
    public static Session open(int port, String... args) {
        List<String> cmd = new ArrayList<>(List.of(RealRedis.binary("redis-cli"), "-p", Integer.toString(port)));
        cmd.addAll(List.of(args));
        try {
            return new Session(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A running redis-cli fed one line at a time. Its output is collected as it comes
     * (redis-cli writes each reply out at once), so a command's output is what appears
     * after it was sent.
     */
    public static final class Session implements AutoCloseable {
        private final Process process;
        private final OutputStream stdin;
        private final StringBuffer output = new StringBuffer();
        private int consumed;

        private Session(Process process) {
            this.process = process;
            this.stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (InputStream in = process.getInputStream()) {
                    int n;
                    while ((n = in.read(buf)) >= 0) output.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // The process ended: nothing more to read.
                }
            }, "redis-cli output");
            reader.setDaemon(true);
            reader.start();
        }

        /**
         * Sends one command line and returns the output it produced, waiting (10 s at
         * most) until there is as much of it as {@code expected} is long: compare the two.
         */
        public String send(String line, String expected) {
            try {
                stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int want = consumed + expected.length();
            long deadline = System.currentTimeMillis() + 10_000;
            while (output.length() < want && System.currentTimeMillis() < deadline) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            String got = output.substring(consumed, Math.min(want, output.length()));
            consumed += got.length();
            return got;
        }

        /** Ends the session: closes redis-cli's input and waits for it to exit. */
        @Override
        public void close() {
            try {
                stdin.close();
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
        }

        /** Output not yet returned by {@link #send} (once closed: everything after the last command). */
        public String rest() {
            return output.substring(consumed);
        }
    }
}
