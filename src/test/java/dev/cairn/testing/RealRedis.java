package dev.cairn.testing;

import java.io.File;
import java.io.IOException;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A real redis-server 7.0 (Debian's package, installed by .ci/run) started on a free
 * port for differential and interoperability tests. Fails loudly if it is missing: the
 * interoperability tests must never pass by not running.
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    private RealRedis(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static RealRedis start(String... options) {
        try {
            int port = TestServer.freePort();
            List<String> cmd = new ArrayList<>(List.of(binary("redis-server"), "--port", Integer.toString(port),
                    "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning"));
            cmd.addAll(List.of(options));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < deadline) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return new RealRedis(p, port);
                } catch (IOException e) {
                    Thread.sleep(20);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("redis-server did not start");
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
    }

    /** The path of a Redis tool (redis-server, redis-cli, redis-benchmark). */
    public static String binary(String name) {
        for (String dir : new String[] {"/usr/bin", "/usr/local/bin"}) {
            File f = new File(dir, name);
            if (f.canExecute()) return f.getPath();
        }
        throw new IllegalStateException(name + " is not installed: run .ci/run, or apt-get install redis-server redis-tools");
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
