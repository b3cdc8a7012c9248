package dev.cairn.scripting;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The thread scripts run on, and the handoff with the command thread.
 *
 * <p>{@link #run} hands a task over and waits for it, so in the normal case the command
 * thread is parked while the script runs: only one thread works at a time and the
 * handoff orders their memory effects (both directions go through {@link #state}).
 * If the task is still running when the wait ends (busy-reply-threshold), {@code run}
 * returns false and the task is <em>detached</em>: when it finishes it calls its own
 * completion (which the owner uses to hand the result back to the command thread).
 *
 * <p>Both sides spin briefly before parking: most scripts take microseconds, and a park
 * and an unpark cost tens of microseconds of wake-up latency each.
 */
final class ScriptThread {
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int FINISHED = 2;
    private static final int DETACHED = 3;
    /** How long the command thread spins before parking, and the script thread before sleeping. */
    private static final long WAITER_SPIN_NANOS = 50_000;
    private static final long WORKER_SPIN_NANOS = 200_000;

    private final Thread thread;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    private volatile Runnable task;
    private volatile Runnable onDetachedFinish;
    private volatile Thread waiter;
    private volatile boolean stopped;

    ScriptThread(String name) {
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code work} on the script thread and waits up to {@code timeoutNanos} (0: no
     * limit). Returns true when it finished; false when it is still running, in which case
     * {@code onDetachedFinish} runs on the script thread once it does.
     */
    boolean run(Runnable work, long timeoutNanos, Runnable onDetachedFinish) {
        this.onDetachedFinish = onDetachedFinish;
        waiter = Thread.currentThread();
        state.set(RUNNING);
        task = work;
        LockSupport.unpark(thread);
        long start = System.nanoTime();
        long spinUntil = start + WAITER_SPIN_NANOS;
        while (state.get() == RUNNING) {
            long now = System.nanoTime();
            if (now < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            if (timeoutNanos == 0) {
                LockSupport.park(this);
            } else {
                long left = start + timeoutNanos - now;
                if (left <= 0) {
                    if (state.compareAndSet(RUNNING, DETACHED)) return false;
                    break; // finished just now
                }
                LockSupport.parkNanos(this, left);
            }
        }
        state.set(IDLE);
        return true;
    }

    private void loop() {
        while (!stopped) {
            Runnable work = task;
            if (work == null) {
                idle();
                continue;
            }
            task = null;
            try {
                work.run();
            } finally {
                if (!state.compareAndSet(RUNNING, FINISHED)) {
                    state.set(IDLE);
                    onDetachedFinish.run();
                } else {
                    LockSupport.unpark(waiter);
                }
            }
        }
    }

    /** Spins a while for the next task (scripts often come in streams), then sleeps. */
    private void idle() {
        long spinUntil = System.nanoTime() + WORKER_SPIN_NANOS;
        while (task == null && !stopped) {
            if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** True when the caller is the script thread. */
    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Ends the thread once its current task (if any) returns. */
    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }
}
