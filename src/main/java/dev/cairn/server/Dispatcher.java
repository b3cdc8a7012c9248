package dev.cairn.server;

import dev.cairn.command.CommandError;
import dev.cairn.command.CommandFlag;
import dev.cairn.command.CommandSpec;
import dev.cairn.command.CommandTable;
import dev.cairn.eviction.Eviction;
import dev.cairn.tracking.Tracking;
import dev.cairn.transaction.QueuedCommand;
import dev.cairn.transaction.Transaction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Runs one request: Redis's {@code processCommand} (look the command up, check arity and
 * authentication, ...) followed by {@code call} (run the handler, count it, time it,
 * feed the slow log and monitors). Every command of every client passes through
 * {@link #execute}, on the command thread.
 *
 * <p>Between MULTI and EXEC a command that passes the checks is queued and answered
 * QUEUED instead of run; one refused by a check makes the transaction fail at EXEC. EXEC
 * runs the queue through {@link #runQueued}: each queued command is a call of its own
 * (counted, timed, logged, shown to monitors) but not a request, so clients blocked on
 * keys are served only after the whole EXEC.
 */
public final class Dispatcher {
    /** What a RESP2 client may run while subscribed to anything. */
    private static final Set<String> ALLOWED_WHILE_SUBSCRIBED = Set.of(
            "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "ping", "quit",
            "reset");

    private final Server server;
    private final CommandTable table;

    Dispatcher(Server server, CommandTable table) {
        this.server = server;
        this.table = table;
    }

    /**
     * Runs one request. Returns false, without running it, when CLIENT PAUSE postpones
     * it: the caller keeps the request and calls again once the pause is over.
     */
    public boolean execute(Client c, byte[][] argv) {
        CommandSpec spec = table.lookup(argv);
        c.beginCommand(argv, spec);
        boolean skip = c.takeSkip();
        boolean postponed = false;
        Tracking tracking = server.tracking();
        Client interrupted = tracking.beginRequest(c);
        try {
            if (spec == null) {
                reject(c, null, unknownCommand(argv));
                return true;
            }
            if (!spec.arityAccepts(argv.length)) {
                reject(c, spec, "ERR wrong number of arguments for '" + spec.name() + "' command");
                return true;
            }
            if (spec.has(CommandFlag.PROTECTED) && !protectedAllowed(c, spec)) {
                reject(c, spec, "ERR " + spec.name().toUpperCase(Locale.ROOT) + " command not allowed. If the "
                        + protectingSetting(spec) + " option is set to \"local\", you can run it from a local "
                        + "connection, otherwise you need to set this option in the configuration file, and then "
                        + "restart the server.");
                return true;
            }
            // Authentication is needed while a password is set: a client that connected
            // with one and never authenticated may run commands once it is removed.
            if (!c.authenticated() && server.authRequired() && !spec.has(CommandFlag.NO_AUTH)) {
                reject(c, spec, "NOAUTH Authentication required.");
                return true;
            }
            Transaction tx = c.transaction();
            if (tx.inMulti() && spec.has(CommandFlag.NO_MULTI)) {
                reject(c, spec, "ERR Command not allowed inside a transaction");
                return true;
            }
            if (server.config().maxmemory.value() > 0 && !withinMemory(c, spec, argv)) {
                reject(c, spec, Eviction.OOM_ERROR);
                return true;
            }
            // Client-side caching metadata kept within tracking-table-max-keys (as Redis, after the OOM check).
            tracking.limitKeys();
            // A RESP2 connection in subscribed mode reads pushes and replies on one stream:
            // only commands whose replies fit that stream may run (RESP3 tells them apart).
            if (c.subscriptions().active() && !c.reply().resp3() && !ALLOWED_WHILE_SUBSCRIBED.contains(spec.name())) {
                reject(c, spec, "ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / "
                        + "PING / QUIT / RESET are allowed in this context");
                return true;
            }
            // A MONITOR connection is a replica to Redis: it may not touch the keyspace.
            if (c.monitor() && (spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.READONLY)
                    || spec.has(CommandFlag.MAY_REPLICATE))) {
                reject(c, spec, "ERR Replica can't interact with the keyspace");
                return true;
            }
            // The last background save or AOF write failed: writes (and PING, as in Redis) are
            // refused until persisting works again, so that nobody believes their writes are safe.
            String diskError = diskError();
            if (diskError != null && (writes(c, spec) || spec.name().equals("ping"))) {
                reject(c, spec, diskError);
                return true;
            }
            // A script running past busy-reply-threshold: only what Redis flags allow_busy runs.
            String busy = server.scripting().busyError();
            if (busy != null && !spec.has(CommandFlag.ALLOW_BUSY)) {
                reject(c, spec, busy);
                return true;
            }
            ClientPause pause = server.clientPause();
            if (pause.paused() && pause.postpones(c, mayReplicate(c, spec))) {
                postponed = true;
                // The pending CLIENT REPLY SKIP applies when the command finally runs.
                if (skip) c.replyMode(Client.ReplyMode.SKIP);
                return false;
            }
            if (tx.inMulti() && !runsInsideMulti(spec)) {
                tx.queue(argv, spec);
                c.reply().queued();
                return true;
            }
            tracking.executing(true);
            try {
                call(c, spec);
            } finally {
                tracking.executing(false);
            }
            // The invalidations the command caused to its own client follow its reply.
            tracking.afterCommand();
            BlockedClients blocked = server.blockedClients();
            if (blocked.hasReadyKeys()) blocked.serveReadyKeys(this);
            return true;
        } finally {
            if (!postponed && c.repliesSilenced()) c.dropCommandReply();
            // CLIENT CACHING applies to the next command, or to the transaction it precedes:
            // used up after any other command than CLIENT's own outside MULTI (Redis's resetClient).
            if (c.tracking().caching() && !postponed && !c.blockedOnKeys() && !c.transaction().inMulti()
                    && (spec == null || !spec.name().startsWith("client|"))) {
                c.tracking().commandDone();
            }
            tracking.endRequest(interrupted);
            c.endCommand();
        }
    }

    /**
     * Redis's maxmemory step of processCommand: evict what is due, then refuse a command
     * that may grow memory when memory is still over the limit. Between MULTI and EXEC
     * every command but EXEC, DISCARD, QUIT and RESET counts as such (queuing takes
     * memory). Scripts and EXEC remember the outcome: their first write is refused then.
     */
    private boolean withinMemory(Client c, CommandSpec spec, byte[][] argv) {
        // A busy script holds the data: no eviction in the middle of it.
        if (server.scripting().busyError() != null) return true;
        Eviction eviction = server.eviction();
        boolean outOfMemory = eviction.performEvictions() == Eviction.Result.FAIL;
        String name = spec.name();
        boolean refused = spec.has(CommandFlag.DENYOOM)
                || (name.equals("exec") && c.transaction().queuedDenyoom())
                || server.scripting().deniedWhenOutOfMemory(name, argv)
                || (c.transaction().inMulti() && !name.equals("exec") && !name.equals("discard")
                        && !name.equals("quit") && !name.equals("reset"));
        if (outOfMemory && refused) return false;
        switch (name) {
            case "eval", "evalsha", "eval_ro", "evalsha_ro", "fcall", "fcall_ro", "exec" ->
                    eviction.preCommandOutOfMemory(outOfMemory);
            default -> { }
        }
        return true;
    }

    /**
     * Whether a protected command (DEBUG, MODULE) may run for this client: its enabling
     * directive is "yes", or "local" and the client is on loopback or the unix socket.
     */
    private boolean protectedAllowed(Client c, CommandSpec spec) {
        var setting = server.config().find(protectingSetting(spec));
        String mode = setting == null ? "no" : setting.get();
        if (mode.equals("yes")) return true;
        if (!mode.equals("local") || c.channel() == null) return false;
        java.net.SocketAddress remote = c.channel().remoteAddress();
        return !(remote instanceof java.net.InetSocketAddress inet)
                || (inet.getAddress() != null && inet.getAddress().isLoopbackAddress());
    }

    /** The directive that enables a protected command, named in the refusal. */
    private static String protectingSetting(CommandSpec spec) {
        return "enable-" + spec.name() + "-command";
    }

    /**
     * Runs one command read from an AOF while loading it (Redis's call from the loading
     * client): no checks, no reply kept, nothing counted or propagated; MULTI queues the
     * commands that follow until EXEC. Returns false for an unknown command.
     */
    public boolean loadCommand(Client c, byte[][] argv) {
        CommandSpec spec = table.lookup(argv);
        if (spec == null) return false;
        c.beginCommand(argv, spec);
        int mark = c.replyMark();
        boolean wasLoading = loading;
        loading = true;
        try {
            Transaction tx = c.transaction();
            if (tx.inMulti() && !runsInsideMulti(spec)) tx.queue(argv, spec);
            else call(c, spec);
        } finally {
            loading = wasLoading;
            c.truncateReply(mark);
            c.reply().takeLastError();
            c.endCommand();
        }
        return true;
    }

    /** While a file is loaded, calls are not counted, timed, logged or shown to monitors (as Redis). */
    private boolean loading;

    /** Whether the running command comes from an AOF being loaded (Redis's CLIENT_ID_AOF client). */
    public boolean loadingFile() {
        return loading;
    }

    /** Runs the handler and records what Redis's call() records. */
    private void call(Client c, CommandSpec spec) {
        if (loading) {
            runHandler(c, spec);
            return;
        }
        ServerStats stats = server.stats();
        long start = System.nanoTime();
        Propagation propagation = server.propagation();
        long dirty = server.dirty();
        propagation.enter();
        try {
            runHandler(c, spec);
            // EXEC is never propagated itself: its commands were, wrapped in MULTI/EXEC.
            if (spec.name().equals("exec")) propagation.prevent();
        } finally {
            propagation.exit(c, server.dirty() != dirty);
        }
        rememberTrackedKeys(c, spec);
        long micros = (System.nanoTime() - start) / 1000;
        CommandStats cs = stats.command(spec.name());
        // Redis 7.0 counts a command that blocks when it blocks, not again when it is served.
        cs.calls++;
        cs.microseconds += micros;
        if (server.latencyTracking()) cs.recordLatency(micros);
        stats.commandsProcessed++;
        boolean counted = c.reply().lastErrorAlreadyCounted();
        String error = c.reply().takeLastError();
        if (error != null) {
            cs.failedCalls++;
            if (!counted) stats.error(error);
        }
        server.commandExecuted(c, spec, micros);
    }

    /**
     * Client-side caching: a read-only command's keys are remembered for its client, or,
     * run by a script, for the client running the script (Redis's call()). The read-only
     * scripts themselves are not: only what they run counts.
     */
    private void rememberTrackedKeys(Client c, CommandSpec spec) {
        if (!spec.has(CommandFlag.READONLY)) return;
        Client caller = c.isFake() ? server.tracking().current() : c;
        if (caller == null || !caller.tracking().on()) return;
        switch (spec.name()) {
            case "eval_ro", "evalsha_ro", "fcall_ro" -> {
                return;
            }
            default -> { }
        }
        server.tracking().rememberKeys(caller);
    }

    /** Runs the handler; a CommandError becomes its error reply. */
    private void runHandler(Client c, CommandSpec spec) {
        int mark = c.replyMark();
        try {
            spec.handler().execute(c);
        } catch (CommandError e) {
            c.reply().error(e.getMessage());
        } catch (RuntimeException e) {
            // A bug in a handler must not take the server or the connection down: drop
            // whatever part of the reply was written, answer an error, and log it loudly.
            c.truncateReply(mark);
            server.log().warning("Internal error in '" + spec.name() + "': " + e);
            for (StackTraceElement frame : e.getStackTrace()) server.log().warning("    at " + frame);
            c.reply().error("ERR internal error while executing '" + spec.name() + "': " + e);
            server.stats().unexpectedErrorReplies++;
        }
    }

    /** The commands that act on the transaction itself, so run at once between MULTI and EXEC. */
    private static boolean runsInsideMulti(CommandSpec spec) {
        return switch (spec.name()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> true;
            default -> false;
        };
    }

    private static final String MISCONF = "MISCONF Redis is configured to save RDB snapshots, but it's currently "
            + "unable to persist to disk. Commands that may modify the data set are disabled, because this instance "
            + "is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error "
            + "option). Please check the Redis logs for details about the RDB error.";

    /** Redis's writeCommandsDeniedByDiskError: the MISCONF error while saving fails, else null. */
    private String diskError() {
        if (server.rdb().refusingWrites()) return MISCONF;
        String aofError = server.aof().writeError();
        return aofError == null ? null : "MISCONF Errors writing to the AOF file: " + aofError;
    }

    /** Whether the command writes, or is an EXEC of commands of which one writes. */
    private static boolean writes(Client c, CommandSpec spec) {
        return spec.has(CommandFlag.WRITE) || (spec.name().equals("exec") && c.transaction().queuedWrite());
    }

    /** Whether a WRITE pause holds the command: it writes or may replicate, or is an EXEC of such commands. */
    private static boolean mayReplicate(Client c, CommandSpec spec) {
        return spec.has(CommandFlag.WRITE) || spec.has(CommandFlag.MAY_REPLICATE)
                || (spec.name().equals("exec") && c.transaction().queuedMayReplicate());
    }

    /**
     * Runs one command of a transaction for EXEC: a call of its own, with the queued
     * arguments, while the client still shows the EXEC it is part of.
     */
    public void runQueued(Client c, QueuedCommand queued) {
        c.beginQueued(queued.argv(), queued.spec());
        try {
            call(c, queued.spec());
        } finally {
            c.endQueued();
        }
    }

    /**
     * Runs a command a script called (redis.call), on the script's client: the checks
     * Redis makes for scripts were made by the caller; this is Redis's call() with its
     * statistics, slow log and MONITOR feed.
     */
    public void runFromScript(Client c, byte[][] argv, CommandSpec spec) {
        c.beginCommand(argv, spec);
        try {
            call(c, spec);
        } finally {
            c.endCommand();
        }
    }

    /**
     * Runs a blocked client's command again because a key it waits on became ready (see
     * {@link BlockedClients}). Not counted as a new call.
     */
    void retryBlocked(Client c, byte[][] argv, CommandSpec spec) {
        c.beginCommand(argv, spec);
        Propagation propagation = server.propagation();
        long dirty = server.dirty();
        propagation.enter();
        try {
            runHandler(c, spec);
            String error = c.reply().takeLastError();
            if (error != null) {
                server.stats().error(error);
                server.stats().command(spec.name()).failedCalls++;
            }
        } finally {
            // Served now, it propagates as its non-blocking form (the handler rewrote it).
            propagation.exit(c, server.dirty() != dirty);
            c.endCommand();
        }
    }

    /**
     * A command refused before running: counted as rejected, as Redis does. Between MULTI
     * and EXEC it dooms the transaction; a refused EXEC ends it at once, with the reason
     * (even outside MULTI, where it still drops the watches, as in Redis).
     */
    private void reject(Client c, CommandSpec spec, String error) {
        Transaction tx = c.transaction();
        tx.refuseCommand();
        if (spec != null && spec.name().equals("exec")) {
            tx.discard();
            // Redis formats the check's own texts without their ERR code here.
            String reason = error.startsWith("ERR ") ? error.substring(4) : error;
            error = "EXECABORT Transaction discarded because of: " + reason;
            // Monitors saw the MULTI: they are told the transaction is over.
            server.monitors().feed(c, spec);
        }
        c.reply().error(error);
        c.reply().takeLastError();
        server.stats().error(error);
        if (spec != null) server.stats().command(spec.name()).rejectedCalls++;
    }

    /** Redis's text for an unknown command or an unknown subcommand of a container. */
    private String unknownCommand(byte[][] argv) {
        CommandSpec container = table.get(new String(argv[0], StandardCharsets.ISO_8859_1));
        if (container != null && container.isContainer()) {
            return "ERR unknown subcommand '" + truncate(printed(argv[1]), 128) + "'. Try "
                    + printed(argv[0]).toUpperCase(Locale.ROOT) + " HELP.";
        }
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.length && args.length() < 128; i++) {
            int room = 128 - args.length();
            args.append('\'').append(truncate(printed(argv[i]), room)).append("' ");
        }
        return "ERR unknown command '" + truncate(printed(argv[0]), 128) + "', with args beginning with: " + args;
    }

    /** The argument as Redis's %s prints it: one char per byte, up to the first NUL byte. */
    private static String latin1(byte[] b) {
        int end = 0;
        while (end < b.length && b[end] != 0) end++;
        return new String(b, 0, end, StandardCharsets.ISO_8859_1);
    }

    /** Arguments are printed into these texts as C strings: up to a NUL byte. */
    private static String printed(byte[] b) {
        return CommandError.printed(latin1(b));
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(max, 0));
    }
}
