package dev.cairn.persistence;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs cairn-check-aof in the test's JVM, with its output and answers in memory. */
public final class CheckAofAccess {
    private CheckAofAccess() {}

    /** The tool on these command-line arguments; returns its exit status. */
    public static int run(PrintStream out, String answers, String... args) {
        return CheckAof.run(out, new ByteArrayInputStream(answers.getBytes(StandardCharsets.ISO_8859_1)), args);
    }
}
