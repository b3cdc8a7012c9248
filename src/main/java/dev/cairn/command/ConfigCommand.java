package dev.cairn.command;

import java.util.Map;

/** Placeholder group, filled by its owner. */
final class ConfigCommand {
    private ConfigCommand() {}

    static void register(Map<String, CommandHandler> h) {}
}
