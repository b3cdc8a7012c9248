package dev.cairn.scripting;

import dev.cairn.command.CommandHandler;
import java.util.Map;

/** FUNCTION and FCALL. */
final class FunctionCommands {
    private FunctionCommands() {}

    static void register(Map<String, CommandHandler> h) {
    }
}
