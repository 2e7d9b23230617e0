package io.hookway.core.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Asks for a connection's next bytes each time a response ends. Reactor Netty reads a
 * keep-alive connection on demand, and its HTTP/1.1 handler (1.3.6, up to the fix of
 * reactor/reactor-netty#4347 and #4361) can finish a request that arrived while the
 * previous response was ending without asking for more: the client's next request then
 * waits for ever on an open connection. A read asked for twice is one read, so this costs
 * nothing when the handler did ask. Sits right after the HTTP codec.
 */
@ChannelHandler.Sharable
final class ReadAfterResponse extends ChannelOutboundHandlerAdapter {

	static final ReadAfterResponse INSTANCE = new ReadAfterResponse();

	private ReadAfterResponse() {
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		boolean ends = msg instanceof LastHttpContent;
		super.write(ctx, msg, promise);
		if (ends) {
			ctx.read();
		}
	}

}
