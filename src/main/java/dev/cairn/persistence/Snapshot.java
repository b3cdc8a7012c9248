package dev.cairn.persistence;

import dev.cairn.keyspace.Entry;
import dev.cairn.keyspace.SnapshotWalk;
import dev.cairn.server.Server;
import io.netty.channel.EventLoop;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A point-in-time snapshot written to a file without fork: what BGSAVE, SAVE and an AOF
 * rewrite's base file are made of (ARCHITECTURE.md, "point-in-time snapshots").
 *
 * <p>At {@link #start} (instant T, on the command thread) the keyspace begins a
 * {@link SnapshotWalk}. The walk advances in short slices on the command thread between
 * clients' commands; keys that clients change before the walk reaches them are saved
 * just before the change. Either way the {@link Format} turns each key into bytes on the
 * command thread (values are not thread-safe), and the bytes go to a writer thread that
 * writes them to a temp file, appends the checksum if the format wants one, fsyncs and
 * renames the file over the target. So clients wait at most one slice, and the extra
 * memory is the bytes not yet written, not a copy of the dataset.
 *
 * <p>Threads: everything but the file writing happens on the command thread, including
 * the {@code whenDone} callback. The writer thread only sees byte arrays.
 */
public final class Snapshot {
    /** How each key of the snapshot becomes bytes; called on the command thread. */
    public interface Format {
        /** The file's beginning (e.g. the RDB header and aux fields). */
        void begin();

        /** One key present at T, with its value and TTL as of T; called exactly once per key. */
        void entry(int db, Entry e);

        /** The file's end (e.g. the RDB EOF opcode); the checksum is the snapshot's job. */
        void end();

        /** Bytes produced and not yet drained. */
        int buffered();

        /** Hands the produced bytes over and forgets them. */
        void drainTo(OutputStream out) throws IOException;

        /** Whether the file ends with the CRC64 of everything before it (an RDB with rdbchecksum). */
        boolean checksummed();
    }

    /** How a snapshot ended; {@code error} is null on success. */
    public record Outcome(Path file, Exception error, long bytes, long keys, long startedMillis, long endedMillis,
            long peakPendingBytes) {
        public boolean ok() {
            return error == null;
        }
    }

    /** A slice of the walk on the command thread lasts about this long. */
    private static final long SLICE_NANOS = TimeUnit.MICROSECONDS.toNanos(1000);
    /** Past this many bytes waiting for the disk, the walk pauses (changed keys are still saved). */
    private static final long MAX_QUEUED_BYTES = 64L << 20;
    private static final byte[] END = new byte[0];

    private final Server server;
    private final Format format;
    private final Path target;
    private final Path temp;
    private final Consumer<Outcome> whenDone;
    private final long startedMillis = System.currentTimeMillis();
    private final LinkedBlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** The most bytes held at once waiting for the disk, sampled at each hand-over. */
    private long peakPending;
    private final ChunkSink chunks = new ChunkSink();
    private final SnapshotWalk walk;
    private final Thread writer;
    private volatile Exception writeError;
    private long written;
    private boolean finished;

    private Snapshot(Server server, Format format, Path target, Consumer<Outcome> whenDone) {
        this.server = server;
        this.format = format;
        this.target = target;
        this.temp = target.resolveSibling("temp-" + ProcessHandle.current().pid() + "-" + target.getFileName());
        this.whenDone = whenDone;
        format.begin();
        this.walk = server.keyspace().startSnapshot(format::entry);
        this.writer = Thread.ofPlatform().name("cairn-snapshot-writer").daemon().unstarted(this::writeFile);
    }

    /**
     * Starts a snapshot of this instant. The file is written to a temp file next to
     * {@code target}, fsynced and renamed to it; {@code whenDone} then runs on the command
     * thread. Only one snapshot runs at a time ({@link dev.cairn.keyspace.Keyspace#snapshot()}).
     */
    public static Snapshot start(Server server, Format format, Path target, Consumer<Outcome> whenDone) {
        Snapshot s = new Snapshot(server, format, target, whenDone);
        s.writer.start();
        s.nextSlice();
        return s;
    }

    /**
     * Writes a snapshot of this instant before returning (SAVE, and saving at shutdown):
     * the command thread walks without pause while the writer writes.
     */
    public static Outcome runNow(Server server, Format format, Path target) {
        Outcome[] result = new Outcome[1];
        Snapshot s = new Snapshot(server, format, target, o -> result[0] = o);
        s.writer.start();
        try {
            while (!s.walk.step(1024)) s.handOver();
            s.finishWalk();
            s.awaitWriter();
            s.complete();
        } catch (RuntimeException e) {
            // A value the format cannot write: the file is not replaced, the server goes on.
            s.writeError = new IOException(e);
            s.cancel();
        }
        return result[0];
    }

    /** The RDB stream of the whole dataset, as BGSAVE writes it. */
    public static Format rdbFormat(Server server) {
        return new RdbSnapshotFormat(server, false);
    }

    public long startedMillis() {
        return startedMillis;
    }

    /** Bytes produced but not yet on disk (the snapshot's extra memory, with the changed keys' copies). */
    public long pendingBytes() {
        return queuedBytes.get() + format.buffered();
    }

    /** Keys saved so far. */
    public long keysSaved() {
        return walk.saved();
    }

    /**
     * Stops the snapshot: the temp file is removed and {@code whenDone} is told of the
     * cancellation (Redis's killRDBChild). Only from the command thread.
     */
    public void cancel() {
        if (finished) return;
        if (writeError == null) writeError = new IOException("snapshot cancelled");
        walk.abandon();
        writer.interrupt();
        awaitWriter();
        complete();
    }

    private void slice() {
        if (finished) return;
        if (writeError != null) {
            walk.abandon();
            awaitWriter();
            complete();
            return;
        }
        EventLoop loop = server.listeners().commandLoop();
        if (queuedBytes.get() > MAX_QUEUED_BYTES) {
            handOver();
            loop.schedule(this::slice, 1, TimeUnit.MILLISECONDS);
            return;
        }
        long deadline = System.nanoTime() + SLICE_NANOS;
        do {
            boolean walked;
            try {
                walked = walk.step(64);
            } catch (RuntimeException e) {
                writeError = new IOException(e);
                cancel();
                return;
            }
            if (walked) {
                finishWalk();
                // The last bytes, the checksum and the fsync happen on the writer; wait off-thread.
                Thread.ofVirtual().start(() -> {
                    awaitWriter();
                    loop.execute(this::complete);
                });
                return;
            }
        } while (System.nanoTime() < deadline);
        handOver();
        nextSlice();
    }

    /**
     * Runs the next slice after the event loop's next round of I/O. A task submitted with
     * execute() would run in the same round of tasks as this one, for as long as Netty's
     * task quantum lasts, and starve the clients; a scheduled task waits for the next round.
     */
    private void nextSlice() {
        server.listeners().commandLoop().schedule(this::slice, 0, TimeUnit.NANOSECONDS);
    }

    private void finishWalk() {
        format.end();
        handOver();
        queue.add(END);
    }

    /** Moves the bytes the format produced (by the walk and by changed keys) to the writer. */
    private void handOver() {
        peakPending = Math.max(peakPending, pendingBytes());
        if (format.buffered() == 0) return;
        try {
            format.drainTo(chunks);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Collects drained bytes as one queued chunk per write call. */
    private final class ChunkSink extends OutputStream {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len == 0) return;
            byte[] chunk = java.util.Arrays.copyOfRange(b, off, off + len);
            queuedBytes.addAndGet(len);
            queue.add(chunk);
        }
    }

    // ---- the writer thread ---------------------------------------------------------------

    private void writeFile() {
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long crc = 0;
            boolean checksummed = format.checksummed();
            while (true) {
                byte[] chunk = queue.take();
                if (chunk == END) break;
                if (checksummed) crc = Crc64.update(crc, chunk, 0, chunk.length);
                writeFully(out, ByteBuffer.wrap(chunk));
                queuedBytes.addAndGet(-chunk.length);
                written += chunk.length;
            }
            if (checksummed) {
                ByteBuffer tail = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(crc).flip();
                writeFully(out, tail);
                written += 8;
            }
            out.force(true);
        } catch (InterruptedException e) {
            if (writeError == null) writeError = new IOException("interrupted");
        } catch (IOException | RuntimeException e) {
            writeError = e instanceof IOException io ? io : new IOException(e);
        }
        try {
            if (writeError == null) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            if (writeError == null) writeError = e;
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) out.write(b);
    }

    private void awaitWriter() {
        boolean interrupted = false;
        while (true) {
            try {
                writer.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void complete() {
        if (finished) return;
        finished = true;
        queue.clear();
        queuedBytes.set(0);
        whenDone.accept(new Outcome(target, writeError, written, walk.saved(), startedMillis,
                System.currentTimeMillis(), peakPending));
    }
}
