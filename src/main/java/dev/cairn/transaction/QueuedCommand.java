package dev.cairn.transaction;

import dev.cairn.command.CommandSpec;

/** A command queued between MULTI and EXEC: its arguments as received and its spec. */
public record QueuedCommand(byte[][] argv, CommandSpec spec) {}
