package dev.cairn.server;

import dev.cairn.command.CommandError;
import dev.cairn.command.CommandSpec;
import dev.cairn.keyspace.Database;
import dev.cairn.protocol.Numbers;
import dev.cairn.protocol.Reply;
import dev.cairn.transaction.Transaction;
import dev.cairn.pubsub.Subscriber;
import dev.cairn.pubsub.Subscriptions;
import dev.cairn.tracking.ClientTracking;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One connection's state, and the context every command handler receives (Redis's
 * {@code client}): the current request, the selected database, the reply being built,
 * authentication, name and protocol version, plus the bookkeeping CLIENT LIST shows.
 *
 * <p>Buffer ownership: {@link #reply()} appends to a pending output buffer owned by this
 * client. {@link #flush()} hands it to Netty (which releases it after writing) and starts
 * a new one; {@link #release()} frees it when the connection goes away.
 *
 * <p>Used only from the command thread.
 */
public final class Client implements Subscriber {
    /** How CLIENT REPLY has set this connection. */
    public enum ReplyMode { ON, OFF, SKIP }

    private final long id;
    private final Server server;
    private final Channel channel;
    private final String addr;
    private final String laddr;
    private final long createdMillis;
    private final ByteBufAllocator alloc;
    private ByteBuf out;
    private final Reply reply;

    private byte[][] argv;
    /** The arguments as logged (slow log, MONITOR): argv with secrets redacted, or null. */
    private byte[][] redactedArgv;
    private static final byte[] REDACTED = "(redacted)".getBytes(StandardCharsets.US_ASCII);
    private CommandSpec command;
    /**
     * The request read from the connection, while {@link #argv}/{@link #command} may be a
     * command EXEC runs from the queue: CLIENT LIST keeps showing the EXEC.
     */
    private byte[][] requestArgv;
    private CommandSpec requestCommand;
    private CommandSpec lastCommand;
    private Database db;
    private boolean authenticated;
    private String name = "";
    private long lastInteractionMillis;
    private ReplyMode replyMode = ReplyMode.ON;
    /** Where the running command's reply starts: dropped from here when it is silenced. */
    private int commandReplyStart;
    private final Subscriptions subscriptions = new Subscriptions(this);
    /** CLIENT TRACKING settings (client-side caching). */
    private final ClientTracking tracking = new ClientTracking();
    private boolean skipThisReply;
    private boolean skippingReply;
    private boolean closeAfterReply;
    private boolean closed;
    private boolean monitor;
    private boolean noEvict;
    private boolean blocked;
    /** What the client waits for while blocked on keys (BLPOP...); null otherwise. */
    private BlockedClients.State blockState;
    /** Set while blocking commands must answer at once (inside EXEC or a script). */
    private boolean denyBlocking;
    /** MULTI/EXEC and WATCH state. */
    private final Transaction transaction;
    private int flushPendingMark;
    /** The largest reply batch written so far (CLIENT LIST rbp). */
    private int replyPeak;
    /** When (unix seconds) the output went over the soft output-buffer limit; 0 when under it. */
    long outputSoftLimitSince;
    /** This client's memory when last measured for client eviction ({@link ClientEviction}). */
    long trackedMemory;

    Client(long id, Server server, Channel channel, String addr, String laddr) {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.addr = addr;
        this.laddr = laddr;
        this.alloc = channel != null ? channel.alloc() : ByteBufAllocator.DEFAULT;
        this.out = alloc.buffer(256);
        this.reply = new Reply(out);
        this.createdMillis = System.currentTimeMillis();
        this.lastInteractionMillis = createdMillis;
        this.db = server.keyspace().db(0);
        this.authenticated = !server.authRequired();
        this.transaction = new Transaction(server.watchedKeys());
    }

    /**
     * A client with no connection: the client scripts run their commands through (Redis's
     * Lua client). Blocking commands answer at once on it.
     */
    public static Client internal(Server server) {
        Client c = new Client(0, server, null, "", "");
        c.denyBlocking = true;
        return c;
    }

    // ---- the request -----------------------------------------------------------------

    public Server server() {
        return server;
    }

    public Reply reply() {
        return reply;
    }

    public byte[][] argv() {
        return argv;
    }

    public int argc() {
        return argv.length;
    }

    public byte[] arg(int i) {
        return argv[i];
    }

    /** Argument i as text (Latin-1: one char per byte, so no byte is lost). */
    public String argString(int i) {
        return new String(argv[i], StandardCharsets.ISO_8859_1);
    }

    /** True when argument i equals {@code word} ignoring ASCII case (option parsing). */
    public boolean argIs(int i, String word) {
        byte[] a = argv[i];
        if (a.length != word.length()) return false;
        for (int k = 0; k < a.length; k++) {
            int c = a[k];
            if (c >= 'A' && c <= 'Z') c += 32;
            int w = word.charAt(k);
            if (w >= 'A' && w <= 'Z') w += 32;
            if (c != w) return false;
        }
        return true;
    }

    /** Argument i as a 64-bit integer, or the "not an integer" error. */
    public long argLong(int i) {
        Long v = Numbers.parseStrictLong(argv[i]);
        if (v == null) throw new CommandError(CommandError.NOT_INTEGER);
        return v;
    }

    /** Argument i as a C int, with Redis's getIntFromObjectOrReply errors. */
    public int argInt(int i) {
        long v = argLong(i);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new CommandError("ERR value is out of range, value must between -2147483648 and 2147483647");
        }
        return (int) v;
    }

    /** Argument i as a double, or the "not a valid float" error. */
    public double argDouble(int i) {
        Double v = Numbers.parseDouble(argv[i]);
        if (v == null) throw new CommandError(CommandError.NOT_FLOAT);
        return v;
    }

    /**
     * Hides argument i (a password) from the slow log and MONITOR, as Redis's
     * redactClientCommandArgument; the command itself still sees it.
     */
    public void redactArgument(int i) {
        if (redactedArgv == null) redactedArgv = argv.clone();
        redactedArgv[i] = REDACTED;
    }

    /** The current command's arguments as the slow log and MONITOR show them. */
    public byte[][] argvForLog() {
        return redactedArgv != null ? redactedArgv : argv;

    }

    /** Bytes held by the arguments of the command being executed (CLIENT LIST argv-mem). */
    public long argvBytes() {
        if (requestCommand == null || requestArgv == null) return 0;
        long n = 0;
        for (byte[] a : requestArgv) n += a.length;
        return n;
    }

    /** The command being executed (its full name for subcommands). */
    public CommandSpec command() {
        return command;
    }

    public CommandSpec lastCommand() {
        return lastCommand;
    }

    void beginCommand(byte[][] request, CommandSpec spec) {
        this.argv = request;
        this.redactedArgv = null;
        this.command = spec;
        this.requestArgv = request;
        this.requestCommand = spec;
        this.commandReplyStart = out.writerIndex();
        // The script client's commands take the script's time snapshot: no clock read each.
        this.lastInteractionMillis = server.keyspace().clock().expiryNowMillis();
    }

    /** Makes a command EXEC runs from the queue the current one, for its handler. */
    void beginQueued(byte[][] queuedArgv, CommandSpec spec) {
        this.argv = queuedArgv;
        this.redactedArgv = null;
        this.command = spec;
    }

    /** Back to the EXEC after a queued command. */
    void endQueued() {
        this.argv = requestArgv;
        this.redactedArgv = null;
        this.command = requestCommand;
    }

    /** Records activity on the connection (Redis updates lastinteraction on every read). */
    void touch() {
        this.lastInteractionMillis = System.currentTimeMillis();
    }

    void endCommand() {
        if (command != null) lastCommand = command;
        command = null;
        requestCommand = null;
    }

    // ---- database ----------------------------------------------------------------------

    public Database db() {
        return db;
    }

    public int dbIndex() {
        return db.id();
    }

    public void select(int index) {
        this.db = server.keyspace().db(index);
    }

    // ---- connection state --------------------------------------------------------------

    public long id() {
        return id;
    }

    public String addr() {
        return addr;
    }

    public String laddr() {
        return laddr;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public long lastInteractionMillis() {
        return lastInteractionMillis;
    }

    public boolean authenticated() {
        return authenticated;
    }

    public void authenticated(boolean yes) {
        this.authenticated = yes;
    }

    public String name() {
        return name;
    }

    public void name(String newName) {
        this.name = newName;
    }

    public ReplyMode replyMode() {
        return replyMode;
    }

    /** CLIENT REPLY: OFF and SKIP silence replies; SKIP only for the next command. */
    public void replyMode(ReplyMode mode) {
        this.replyMode = mode == ReplyMode.SKIP ? ReplyMode.ON : mode;
        this.skipThisReply = mode == ReplyMode.SKIP;
    }

    /** Whether the reply of the running command is discarded (CLIENT REPLY OFF or SKIP). */
    boolean repliesSilenced() {
        return replyMode == ReplyMode.OFF || skippingReply;
    }

    /** Consumes a pending CLIENT REPLY SKIP; true if the command about to run answers nothing. */
    boolean takeSkip() {
        skippingReply = skipThisReply;
        skipThisReply = false;
        return skippingReply;
    }

    /**
     * CLIENT REPLY ON answers even when a SKIP was about to drop its reply: Redis clears
     * the skip before replying. (RESET does not: a skipped RESET stays silent.)
     */
    public void stopSkippingReply() {
        skippingReply = false;
    }

    public boolean monitor() {
        return monitor;
    }

    /** MONITOR mode: registers with (or leaves) the server's monitor feed. */
    public void monitor(boolean on) {
        if (on == monitor) return;
        this.monitor = on;
        if (on) server.monitors().add(this);
        else server.monitors().remove(this);
    }

    /** True while the client waits, e.g. postponed by CLIENT PAUSE (flag b). */
    public boolean blocked() {
        return blocked;
    }

    void blocked(boolean on) {
        this.blocked = on;
    }

    public boolean noEvict() {
        return noEvict;
    }

    public void noEvict(boolean on) {
        this.noEvict = on;
    }

    // ---- blocking on keys ----------------------------------------------------------------

    /**
     * Makes the current command wait for data at one of the keys (a list or sorted set of
     * {@code type} created there), until {@code deadlineMillis} (unix ms, 0 for ever).
     * The handler replies nothing more; the command runs again when a key is ready (see
     * {@link BlockedClients}). Where blocking is not allowed (inside MULTI/EXEC, scripts)
     * the command gets its timeout reply at once, as in Redis.
     */
    public void blockOnKeys(java.util.List<byte[]> keys, dev.cairn.types.ValueType type, long deadlineMillis,
            BlockedClients.TimeoutReply onTimeout) {
        blockOnKeys(keys, type, deadlineMillis, onTimeout, argv);
    }

    /**
     * {@link #blockOnKeys} where the command runs again with other arguments than it came
     * with: XREAD's {@code $} must keep meaning the last ID at the time it blocked.
     */
    public void blockOnKeys(java.util.List<byte[]> keys, dev.cairn.types.ValueType type, long deadlineMillis,
            BlockedClients.TimeoutReply onTimeout, byte[][] retryArgv) {
        if (blockingDenied()) {
            BlockedClients.replyTimeout(this, onTimeout);
            return;
        }
        server.blockedClients().block(this, keys, type, deadlineMillis, onTimeout, retryArgv);
    }

    /**
     * True where a blocking command must answer at once (inside EXEC, scripts, internal
     * clients); for commands whose immediate answer differs from their timeout reply
     * (BLMOVE: a null bulk at once, a null array on timeout).
     */
    public boolean blockingDenied() {
        return denyBlocking || isFake();
    }

    public boolean blockedOnKeys() {
        return blockState != null;
    }

    /**
     * While a blocked command runs again: the key that became ready. XREAD serves only
     * that stream then, as Redis serves a woken reader from the key that woke it.
     */
    public byte[] servingKey() {
        return blockState == null ? null : blockState.servingKey;
    }

    BlockedClients.State blockState() {
        return blockState;
    }

    void blockState(BlockedClients.State s) {
        this.blockState = s;
    }

    /** While set, blocking commands reply at once as if their timeout had passed. */
    public void denyBlocking(boolean on) {
        this.denyBlocking = on;
    }

    /** The MULTI/EXEC and WATCH state of this connection. */
    public Transaction transaction() {
        return transaction;
    }

    /** Reads the requests that queued up while this client waited. */
    void resumeInput() {
        if (channel == null || closed) return;
        ConnectionHandler handler = channel.pipeline().get(ConnectionHandler.class);
        if (handler != null) handler.resumeInput();
    }

    public boolean isFake() {
        return channel == null;
    }

    /** True for a connection through the unix socket. */
    public boolean unixSocket() {
        return channel != null && !(channel.localAddress() instanceof InetSocketAddress);
    }

    /** The socket's file descriptor, or -1 when there is none (internal clients, NIO). */
    public int fd() {
        return channel instanceof UnixChannel u ? u.fd().intValue() : -1;
    }

    /** The transport, or null for internal clients. */
    public Channel channel() {
        return channel;
    }

    /** Closes the connection once the replies produced so far are written (QUIT). */
    public void closeAfterReply() {
        this.closeAfterReply = true;
    }

    boolean closingAfterReply() {
        return closeAfterReply;
    }

    public boolean closed() {
        return closed;
    }

    // ---- output ------------------------------------------------------------------------

    /** Bytes of reply built and not yet handed to the socket. */
    public int pendingReplyBytes() {
        return out.readableBytes();
    }

    /** Bytes handed to the socket and not yet written by the kernel. */
    public long socketPendingBytes() {
        if (channel == null) return 0;
        var buf = channel.unsafe().outboundBuffer();
        return buf == null ? 0 : buf.totalPendingWriteBytes();
    }

    /** Capacity of the buffer replies are built in (CLIENT LIST rbs). */
    public int replyBufferSize() {
        return out.capacity();
    }

    /** The largest batch of replies written at once (CLIENT LIST rbp). */
    public int replyBufferPeak() {
        return replyPeak;
    }

    /** Reply batches handed to the socket and not yet written (CLIENT LIST oll). */
    public int socketPendingWrites() {
        if (channel == null) return 0;
        var buf = channel.unsafe().outboundBuffer();
        return buf == null ? 0 : buf.size();
    }

    /** Bytes received and not yet parsed into a request (CLIENT LIST qbuf). */
    public long queryBufferLength() {
        ConnectionHandler h = handler();
        return h == null ? 0 : h.queryBufferLength();
    }

    /** Room left in the query buffer before it must grow (CLIENT LIST qbuf-free). */
    public int queryBufferFree() {
        ConnectionHandler h = handler();
        return h == null ? 0 : h.queryBufferFree();
    }

    private ConnectionHandler handler() {
        return channel == null ? null : channel.pipeline().get(ConnectionHandler.class);
    }

    /** Drops reply bytes written after {@code mark}. */
    void truncateReply(int mark) {
        out.writerIndex(mark);
    }

    /** Drops what the running command replied (CLIENT REPLY OFF/SKIP), keeping pushes. */
    void dropCommandReply() {
        out.writerIndex(commandReplyStart);
    }

    /** This connection's client-side caching settings (CLIENT TRACKING). */
    public ClientTracking tracking() {
        return tracking;
    }

    // ---- pub/sub -------------------------------------------------------------------------

    /** This connection's channels, patterns and shard channels. */
    public Subscriptions subscriptions() {
        return subscriptions;
    }

    /**
     * Pushes go out even while CLIENT REPLY OFF or SKIP silences this client, as in Redis:
     * if its own silenced command is running, what it replied so far is dropped now
     * instead of at its end, so the push written next stays.
     */
    @Override
    public Reply beginPush() {
        if (command != null && repliesSilenced()) dropCommandReply();
        return reply;
    }

    @Override
    public void endPush() {
        if (command != null && repliesSilenced()) commandReplyStart = out.writerIndex();
        // Usually written while another connection's command runs: flushed at the end of that event.
        flushSoon();
    }

    int replyMark() {
        return out.writerIndex();
    }

    /** Writes the pending reply to the socket, closing afterwards if asked to. */
    public void flush() {
        // A connection closed by the server (limits, timeout) drops its pending output.
        if (closed || channel == null || !channel.isActive()) return;
        if (out.isReadable()) {
            if (server.repliesWaitForDisk()) {
                // Sent after the AOF's one write (and fsync) of this event loop turn.
                flushSoon();
                server.clients().flushPendingAfterReads();
                return;
            }
            server.beforeReplies();
            ByteBuf full = out;
            replyPeak = Math.max(replyPeak, full.readableBytes());
            server.stats().netOutputBytes += full.readableBytes();
            server.stats().totalWritesProcessed++;
            // Sized for as much as this batch held (up to the static buffer), so a
            // subscriber taking many messages per event does not regrow it each time.
            out = alloc.buffer(Math.clamp(full.readableBytes(), 256, OutputBufferLimit.STATIC_BUFFER));
            reply.target(out);
            if (closeAfterReply) {
                channel.writeAndFlush(full).addListener(f -> channel.close());
                return;
            }
            channel.writeAndFlush(full, channel.voidPromise());
        } else if (closeAfterReply) {
            channel.close();
        }
    }

    /** Marks that this client has output to flush at the end of the current event. */
    public void flushSoon() {
        server.clients().flushLater(this);
    }

    int flushPendingMark() {
        return flushPendingMark;
    }

    void flushPendingMark(int mark) {
        this.flushPendingMark = mark;
    }

    /** Closes the connection now, dropping pending output. */
    public void close() {
        if (channel != null) channel.close();
    }

    /** Frees this client's buffers; called once when the connection is gone. */
    void release() {
        if (closed) return;
        closed = true;
        out.release();
    }

    /** The name shown for this client's current or last command in CLIENT LIST. */
    public String commandNameForList() {
        CommandSpec c = requestCommand != null ? requestCommand : lastCommand;
        return c == null ? "NULL" : c.name().toLowerCase(Locale.ROOT);
    }
}
