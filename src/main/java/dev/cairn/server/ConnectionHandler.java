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
 */
final class ConnectionHandler extends ByteToMessageDecoder implements RequestParser.Limits {
    private final Server server;
    private Client client;
    private RequestParser parser;
    /** Set after a protocol error or a refused connection: further input is ignored. */
    private boolean discarding;

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
        parser = new RequestParser(this);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof ByteBuf b) server.stats().netInputBytes += b.readableBytes();
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
            if (argv == null) return;
            server.dispatcher().execute(client, argv);
            if (client.closingAfterReply()) {
                discarding = true;
                in.skipBytes(in.readableBytes());
                return;
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (client != null) {
            server.stats().netOutputBytes += client.pendingReplyBytes();
            client.flush();
        }
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
