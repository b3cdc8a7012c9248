package dev.cairn.server;

import dev.cairn.protocol.Reply;
import dev.cairn.protocol.Repr;
import dev.cairn.protocol.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.unix.Errors;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one pipeline handler of a client connection. It accumulates the bytes read (the
 * query buffer), asks the {@link RequestParser} for complete requests and hands each to
 * the {@link Dispatcher} in order; replies accumulate in the {@link Client} and are
 * written once per read batch, which is what makes pipelining cheap. They are written
 * after every connection ready in this turn of the event loop has been read (see
 * {@link #channelReadComplete}).
 *
 * <p>It also applies Redis's per-connection limits and logs what Redis logs about a
 * connection: accepted (verbose), closed by the peer (verbose), protocol errors
 * (verbose), the query buffer limit and the output buffer limit (warnings).
 *
 * <p>Buffer ownership: Netty's decoder base owns the cumulation buffer and releases it;
 * the parser copies arguments out of it.
 *
 * <p>CLIENT PAUSE: when the dispatcher postpones a request, the handler keeps it and
 * stops decoding; the bytes behind it stay in the cumulation buffer. {@link ClientPause}
 * calls {@link #resumePostponed} when the pause ends, which runs the request and decodes
 * the rest, so a paused client's commands run later and in order. A client blocked on
 * keys (BLPOP...) likewise reads nothing until {@link BlockedClients} serves it and calls
 * {@link #resumeInput}.
 */
final class ConnectionHandler extends ByteToMessageDecoder implements RequestParser.Limits {
    /** Redis's PROTO_DUMP_LEN: how much of the query buffer a protocol error log shows. */
    private static final int PROTO_DUMP_LEN = 128;

    private final Server server;
    private Client client;
    private RequestParser parser;
    /** Set once the connection is being closed by the server: further input is ignored. */
    private boolean discarding;
    private ChannelHandlerContext context;
    /** A request the dispatcher postponed (CLIENT PAUSE), run by {@link #resumePostponed}. */
    private byte[][] postponed;

    ConnectionHandler(Server server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        Log log = server.log();
        if (log.enabled(Log.Level.VERBOSE)) {
            log.verbose(ctx.channel().remoteAddress() instanceof InetSocketAddress inet
                    ? "Accepted " + hostText(inet) + ":" + inet.getPort()
                    : "Accepted connection to " + server.config().unixsocket.value());
        }
        if (server.shuttingDown()) {
            // Accepted in the moment the server stops: nothing would ever free a client.
            discarding = true;
            ctx.close();
            return;
        }
        Object admitted = server.clients().admit(ctx.channel());
        if (admitted instanceof String refusal) {
            discarding = true;
            byte[] text = ("-" + refusal + "\r\n").getBytes(StandardCharsets.US_ASCII);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(text)).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        client = (Client) admitted;
        context = ctx;
        parser = new RequestParser(this);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) server.stats().netInputBytes += b.readableBytes();
        server.stats().totalReadsProcessed++;
        if (client != null) client.touch();
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding || client == null || client.closed()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        // Redis 7.0 measures the query buffer alone: the request being read, not the
        // arguments of it already parsed.
        if (in.readableBytes() > server.config().clientQueryBufferLimit.value()) {
            server.log().warning("Closing client that reached max query buffer length: " + ClientInfo.line(client)
                    + " (qbuf initial bytes: " + quoted(in, 64) + ")");
            server.stats().clientQueryBufferLimitDisconnections++;
            closeNow(ctx, in);
            return;
        }
        // A postponed request runs first, and a client blocked on keys reads nothing
        // until it is served: what arrives meanwhile waits in the buffer.
        if (postponed != null || client.blockedOnKeys()) return;
        while (true) {
            byte[][] argv;
            try {
                argv = parser.next(in);
            } catch (RequestParser.ProtocolException e) {
                protocolError(e.getMessage(), in);
                return;
            }
            if (parser.takeSkippedEmptyRequest()) client.takeSkip();
            ClientEviction eviction = server.clients().eviction();
            if (argv == null) {
                // A request still arriving: its size counts (evicted, if need be, after the reads).
                eviction.measure(client);
                return;
            }
            // Redis evicts clients before each command: this one's last command may have
            // grown its output, and it may be the one to go.
            if (eviction.enabled()) {
                eviction.measure(client);
                if (eviction.evictIfNeeded() && client.closed()) {
                    closeNow(ctx, in);
                    return;
                }
            }
            if (!run(argv) || client.blockedOnKeys()) return;
            if (OutputBufferLimit.enforce(server, client, false)) {
                closeNow(ctx, in);
                return;
            }
            if (discarding) {
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }

    /** Dispatches one request; false when it was postponed and decoding must stop. */
    private boolean run(byte[][] argv) {
        if (!server.dispatcher().execute(client, argv)) {
            postponed = argv;
            return false;
        }
        // After QUIT, CLIENT KILL of itself or SHUTDOWN nothing more is read.
        if (client.closingAfterReply() || client.closed()) discarding = true;
        return true;
    }

    /**
     * Runs the postponed request, then the input that queued up behind it, and flushes
     * the replies. Called on the command thread once the pause is over.
     */
    void resumePostponed() {
        byte[][] argv = postponed;
        if (argv == null || client.closed()) return;
        postponed = null;
        if (run(argv)) decodeBuffered();
        client.flush();
    }

    /** Reads the input that queued up while the client was blocked on keys. */
    void resumeInput() {
        decodeBuffered();
        client.flush();
        server.clients().flushPending();
    }

    private void decodeBuffered() {
        if (discarding || client.closed() || client.blockedOnKeys() || !internalBuffer().isReadable()) return;
        try {
            // An empty read makes the decoder base call decode() on what it holds.
            super.channelRead(context, Unpooled.EMPTY_BUFFER);
        } catch (Exception e) {
            exceptionCaught(context, e);
        }
    }

    /** Bytes received and not yet parsed, including a partly read argument. */
    long queryBufferLength() {
        return internalBuffer().readableBytes() + (parser == null ? 0 : parser.pendingArgumentBytes());
    }

    int queryBufferFree() {
        return internalBuffer().writableBytes();
    }

    /** Replies the error, logs as Redis's setProtocolError, and closes after the reply. */
    private void protocolError(String error, ByteBuf in) {
        Reply r = client.reply();
        r.error(error);
        server.stats().error(r.takeLastError());
        if (server.log().enabled(Log.Level.VERBOSE)) {
            server.log().verbose("Protocol error (" + logReason(error) + ") from client: " + ClientInfo.line(client)
                    + ". " + queryBufferSample(in));
        }
        client.closeAfterReply();
        discarding = true;
        in.skipBytes(in.readableBytes());
    }

    /** The reason Redis logs, which for some errors is worded differently from the reply. */
    private static String logReason(String error) {
        String detail = error.substring(error.indexOf(": ") + 2);
        if (detail.startsWith("expected '$'")) return "expected $ but got something else";
        return switch (detail) {
            case "invalid multibulk length" -> "invalid mbulk count";
            case "unbalanced quotes in request" -> "unbalanced quotes in inline request";
            case "unauthenticated multibulk length" -> "unauth mbulk count";
            case "unauthenticated bulk length" -> "unauth bulk length";
            default -> detail;
        };
    }

    /**
     * What Redis shows of the query buffer from where parsing stopped: all of it when
     * short, else the first and last 64 bytes; as C text (up to a NUL byte), with
     * unprintable bytes as dots.
     */
    private static String queryBufferSample(ByteBuf in) {
        int from = in.readerIndex();
        int length = in.readableBytes();
        String text;
        if (length < PROTO_DUMP_LEN) {
            text = "'" + cText(in, from, length) + "'";
        } else {
            int half = PROTO_DUMP_LEN / 2;
            text = "'" + cText(in, from, half) + "' (... more " + (length - PROTO_DUMP_LEN) + " bytes ...) '"
                    + cText(in, from + length - half, half) + "'";
        }
        String line = "Query buffer during protocol error: " + text;
        StringBuilder sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            sb.append(ch >= 32 && ch < 127 ? ch : '.');
        }
        return sb.toString();
    }

    private static String cText(ByteBuf in, int from, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int b = in.getByte(from + i) & 0xff;
            if (b == 0) break;
            sb.append((char) b);
        }
        return sb.toString();
    }

    /** Redis's sdscatrepr of the first {@code max} bytes of the query buffer. */
    private static String quoted(ByteBuf in, int max) {
        byte[] head = new byte[Math.min(max, in.readableBytes())];
        in.getBytes(in.readerIndex(), head);
        StringBuilder sb = new StringBuilder(head.length + 2);
        Repr.append(sb, head);
        return sb.toString();
    }

    /** Closes the connection at once, dropping unread input and unsent output. */
    private void closeNow(ChannelHandlerContext ctx, ByteBuf in) {
        discarding = true;
        in.skipBytes(in.readableBytes());
        ctx.close();
    }

    /**
     * The replies of this read are written once every connection ready in this turn has
     * been read, as Redis writes in beforeSleep, not now: a burst of writes wakes a
     * sleeping client process once, where a write after each connection's commands wakes
     * it again and again. Waking it (a cross-CPU interrupt) cost the command thread a
     * third of its time under pipelined EVALSHA from 50 connections; deferred, EVALSHA
     * -P16 went from 0.69 to 0.95 of redis-server, GET and SET -P16 past 1.1.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (client != null) client.flushSoon();
        server.clients().flushPendingAfterReads();
        super.channelReadComplete(ctx);
    }

    /** The peer shut its side down (Redis reads 0 bytes): log it and close, as Redis does. */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        super.userEventTriggered(ctx, evt);
        if (evt instanceof ChannelInputShutdownEvent) {
            if (client != null && !discarding && server.log().enabled(Log.Level.VERBOSE)) {
                server.log().verbose("Client closed connection " + ClientInfo.line(client));
            }
            discarding = true;
            // The replies to what it sent before closing its side still go out first.
            if (client != null) client.flush();
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (client != null) server.clients().remove(client);
        super.channelInactive(ctx);
    }

    /** A read or write failed (connection reset...): Redis logs the system's reason and frees the client. */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Writes failing because the server closed the connection are no news.
        if (!discarding && ctx.channel().isActive()) server.log().verbose("Reading from client: " + systemReason(cause));
        discarding = true;
        ctx.close();
    }

    /** strerror's text: Netty's native errors read "call(..) failed with error(-104): text". */
    private static String systemReason(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof Errors.NativeIoException) {
            int colon = message.lastIndexOf("): ");
            if (colon >= 0) return message.substring(colon + 3);
        }
        return message;
    }

    private static String hostText(InetSocketAddress inet) {
        return inet.getAddress() == null ? inet.getHostString() : ClientInfo.ipText(inet.getAddress());
    }

    // ---- RequestParser.Limits -----------------------------------------------------------

    @Override
    public long maxBulkLength() {
        return server.config().protoMaxBulkLen.value();
    }

    @Override
    public boolean authRequired() {
        return server.authRequired() && !client.authenticated();
    }
}
