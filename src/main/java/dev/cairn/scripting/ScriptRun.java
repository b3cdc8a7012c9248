package dev.cairn.scripting;

import dev.cairn.server.Client;

/**
 * One running script or function (Redis's scriptRunCtx): who called it, under which
 * name, what it may do, and what happened so far. Fields read across threads (SCRIPT
 * KILL from the command thread while the script runs) are volatile.
 */
final class ScriptRun {
    /** Redis's PROPAGATE_AOF | PROPAGATE_REPL. */
    static final int REPL_ALL = 3;

    final Client caller;
    /** The SHA of an EVAL script, or a function's name (as errors and logs name them). */
    final String name;
    final boolean evalMode;
    final boolean readOnly;
    final long startNanos = System.nanoTime();
    /** Set once the script ran a write command: it can no longer be killed. */
    volatile boolean wrote;
    volatile boolean killed;
    /** redis.set_repl: where the writes of the script go (see Scripting's propagation seam). */
    int replication = REPL_ALL;
    /** The script declared allow-oom: maxmemory never refuses its writes. */
    boolean allowOom;

    ScriptRun(Client caller, String name, boolean evalMode, boolean readOnly) {
        this.caller = caller;
        this.name = name;
        this.evalMode = evalMode;
        this.readOnly = readOnly;
    }

    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
