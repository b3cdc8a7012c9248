package dev.cairn.persistence;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs cairn-check-aof in the test's JVM, with its output and answers in memory. */
public final class CheckAofAccess {
    private final CheckAof check;

    public CheckAofAccess(PrintStream out, boolean fix, String answers) {
        this.check = new CheckAof(out, fix, new ByteArrayInputStream(answers.getBytes(StandardCharsets.ISO_8859_1)));
    }

    public boolean check(String path) {
        return check.check(path);
    }
}
