package dev.cairn.command;

import java.util.Map;

/** Placeholder group, filled by its owner. */
final class InfoCommand {
    private InfoCommand() {}

    static void register(Map<String, CommandHandler> h) {}
}
