/**
 * The command table and the command handlers. Specs (arity, flags, key positions, ACL
 * categories, documentation) are data in {@code resources/commands/*.spec}; handlers are code,
 * one class per command group, bound to specs by name in {@link dev.cairn.command.CommandTable},
 * which refuses to start when a spec lacks a handler or a handler a spec.
 *
 * <p>Owns: what each command does and answers. Must not: touch sockets or threads, or write
 * bytes other than through {@link dev.cairn.protocol.Reply}. Errors are thrown as
 * {@link dev.cairn.command.CommandError} before any reply is written.
 */
package dev.cairn.command;
