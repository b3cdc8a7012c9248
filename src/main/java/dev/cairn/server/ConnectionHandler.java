package dev.cairn.server;

import dev.cairn.protocol.Reply;
import dev.cairn.protocol.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one pipeline handler of a client connection. It accumulates the bytes read (the
 * query buffer), asks the {@link RequestParser} for complete requests and hands each to
 * the {@link Dispatcher} in order; replies accumulate in the {@link Client} and are
 * flushed once per read batch, which is what makes pipelining cheap.
 *
 * <p>Buffer ownership: Netty's decoder base owns the cumulation buffer and releases it;
 * the parser copies arguments out of it.
 *
 * <p>CLIENT PAUSE: when the dispatcher postpones a request, the handler keeps it and
 * stops decoding; the bytes behind it stay in the cumulation buffer. {@link ClientPause}
 * calls {@link #resumePostponed} when the pause ends, which runs the request and decodes
 * the rest, so a paused client's commands run later and in order.
 */
final class ConnectionHandler extends ByteToMessageDecoder implements RequestParser.Limits {
    private final Server server;
    private Client client;
    private RequestParser parser;
    /** Set after a protocol error or a refused connection: further input is ignored. */
    private boolean discarding;
    private ChannelHandlerContext context;
    /** A request the dispatcher postponed (CLIENT PAUSE), run by {@link #resumePostponed}. */
    private byte[][] postponed;

    ConnectionHandler(Server server) {
        this.server = server;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
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
        super.channelRead(ctx, msg);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (discarding || client == null || client.closed()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() + parser.pendingArgumentBytes() > server.config().clientQueryBufferLimit.value()) {
            server.log().warning("Closing client that reached max query buffer length: id=" + client.id()
                    + " addr=" + client.addr() + " (qbuf initial bytes: ...)");
            server.stats().clientQueryBufferLimitDisconnections++;
            discarding = true;
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        // A postponed request runs first; what arrives meanwhile waits in the buffer.
        if (postponed != null) return;
        while (true) {
            byte[][] argv;
            try {
                argv = parser.next(in);
            } catch (RequestParser.ProtocolException e) {
                server.log().verbose("Protocol error (" + e.getMessage() + ") from client: id=" + client.id()
                        + " addr=" + client.addr());
                Reply r = client.reply();
                r.error(e.getMessage());
                server.stats().error(r.takeLastError());
                client.closeAfterReply();
                discarding = true;
                in.skipBytes(in.readableBytes());
                return;
            }
            if (parser.takeSkippedEmptyRequest()) client.takeSkip();
            if (argv == null) return;
            if (!run(argv)) return;
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
        if (run(argv) && !discarding && internalBuffer().isReadable()) {
            try {
                // An empty read makes the decoder base call decode() on what it holds.
                super.channelRead(context, Unpooled.EMPTY_BUFFER);
            } catch (Exception e) {
                exceptionCaught(context, e);
            }
        }
        client.flush();
    }

    /** Bytes received and not yet parsed, including a partly read argument. */
    long queryBufferLength() {
        return internalBuffer().readableBytes() + (parser == null ? 0 : parser.pendingArgumentBytes());
    }

    int queryBufferFree() {
        return internalBuffer().writableBytes();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (client != null) client.flush();
        server.clients().flushPending();
        super.channelReadComplete(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (client != null) server.clients().remove(client);
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        server.log().verbose("Client connection error: " + cause);
        ctx.close();
    }

    // ---- RequestParser.Limits -----------------------------------------------------------

    @Override
    public long maxBulkLength() {
        return server.config().protoMaxBulkLen.value();
    }

    @Override
    public boolean authRequired() {
        return !client.authenticated();
    }
}
