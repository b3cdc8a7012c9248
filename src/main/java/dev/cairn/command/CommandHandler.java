package dev.cairn.command;

import dev.cairn.server.Client;

/**
 * The code of one command. It reads its arguments from the client, looks keys up for
 * reading or writing, checks their type, changes them, replies through
 * {@code c.reply()}, and signals what it modified (Redis's handler template). It may
 * throw {@link CommandError} before replying.
 */
@FunctionalInterface
public interface CommandHandler {
    void execute(Client c);
}
