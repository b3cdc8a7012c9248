package dev.cairn.command;

import dev.cairn.server.Client;
import dev.cairn.server.Dispatcher;
import dev.cairn.transaction.QueuedCommand;
import dev.cairn.transaction.Transaction;
import java.util.List;
import java.util.Map;

/**
 * MULTI, EXEC, DISCARD, WATCH and UNWATCH. Queuing itself is the dispatcher's (a command
 * between MULTI and EXEC is checked, then queued instead of run); the state lives in
 * {@link Transaction}.
 */
final class TransactionCommands {
    static final String EXECABORT = "EXECABORT Transaction discarded because of previous errors.";

    private TransactionCommands() {}

    static void register(Map<String, CommandHandler> h) {
        h.put("multi", TransactionCommands::multi);
        h.put("exec", TransactionCommands::exec);
        h.put("discard", TransactionCommands::discard);
        h.put("watch", TransactionCommands::watch);
        h.put("unwatch", TransactionCommands::unwatch);
    }

    static void multi(Client c) {
        Transaction tx = c.transaction();
        if (tx.inMulti()) throw new CommandError("ERR MULTI calls can not be nested");
        tx.begin();
        c.reply().ok();
    }

    /**
     * Runs the queued commands one after the other, nothing of other clients in between,
     * replying an array of their replies (errors included: nothing is rolled back). Fails
     * as a whole with EXECABORT when a command was refused while queuing, and with a null
     * array when a watched key changed or expired since WATCH.
     */
    static void exec(Client c) {
        Transaction tx = c.transaction();
        if (!tx.inMulti()) throw new CommandError("ERR EXEC without MULTI");
        if (tx.refusedCommand()) {
            tx.discard();
            throw new CommandError(EXECABORT);
        }
        if (tx.touched() || tx.watchedKeyExpired()) {
            tx.discard();
            c.reply().nullArray();
            return;
        }
        // What the transaction itself changes is no reason to fail it.
        tx.unwatch();
        Dispatcher dispatcher = c.server().dispatcher();
        List<QueuedCommand> queued = tx.queued();
        c.reply().array(queued.size());
        c.denyBlocking(true);
        try {
            for (QueuedCommand command : queued) dispatcher.runQueued(c, command);
        } finally {
            c.denyBlocking(false);
            tx.discard();
        }
    }

    static void discard(Client c) {
        Transaction tx = c.transaction();
        if (!tx.inMulti()) throw new CommandError("ERR DISCARD without MULTI");
        tx.discard();
        c.reply().ok();
    }

    static void watch(Client c) {
        Transaction tx = c.transaction();
        if (tx.inMulti()) throw new CommandError("ERR WATCH inside MULTI is not allowed");
        for (int i = 1; i < c.argc(); i++) tx.watch(c.db(), c.arg(i));
        c.reply().ok();
    }

    static void unwatch(Client c) {
        c.transaction().unwatch();
        c.reply().ok();
    }
}
