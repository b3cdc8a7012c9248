package dev.cairn.testing;

import java.io.IOException;
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
}
