package dev.cairn.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a condition with a deadline (never a timed assertion). */
public final class Eventually {
    private static final long DEADLINE_MILLIS = 30_000;

    private Eventually() {}

    public static void until(String what, BooleanSupplier condition) {
        until(() -> what, condition);
    }

    /** Waits for the condition; {@code what} describes it (and what was seen) if it never holds. */
    public static void until(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) throw new AssertionError("gave up waiting: " + what.get());
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting: " + what.get());
            }
        }
    }

    /** The text of a file, empty while it does not exist. */
    public static String text(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the file contains {@code fragment}, and returns its text. */
    public static String fileContains(Path file, String fragment) {
        until(() -> "'" + fragment + "' in " + file + "; it has:\n" + text(file), () -> text(file).contains(fragment));
        return text(file);
    }
}
