package dev.cairn.command;

import java.util.Map;

/** Placeholder group, filled by its owner. */
final class MemoryCommand {
    private MemoryCommand() {}

    static void register(Map<String, CommandHandler> h) {}
}
