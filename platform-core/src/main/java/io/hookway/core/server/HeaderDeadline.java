package io.hookway.core.server;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Closes a connection whose request line and headers are not complete within a deadline
 * of its first byte: an idle timeout alone is reset by every byte, so a client sending
 * its headers a byte at a time would hold the connection for ever. One instance per
 * connection: {@link #bytes()} goes before the HTTP decoder, {@link #requests()} after
 * it. All calls come from the connection's event loop.
 */
final class HeaderDeadline {

	private final long timeoutNanos;

	private boolean inRequest;

	private @Nullable ScheduledFuture<?> deadline;

	HeaderDeadline(Duration timeout) {
		this.timeoutNanos = timeout.toNanos();
	}

	/** Sees raw bytes: the first of a request starts the clock. */
	ChannelDuplexHandler bytes() {
		return new ChannelDuplexHandler() {

			@Override
			public void channelActive(ChannelHandlerContext ctx) throws Exception {
				start(ctx);
				super.channelActive(ctx);
			}

			@Override
			public void handlerAdded(ChannelHandlerContext ctx) {
				if (ctx.channel().isActive()) {
					start(ctx);
				}
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (!HeaderDeadline.this.inRequest) {
					start(ctx);
				}
				super.channelRead(ctx, msg);
			}

			@Override
			public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
				cancel();
				super.close(ctx, promise);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) throws Exception {
				cancel();
				super.channelInactive(ctx);
			}

		};
	}

	/** Sees decoded requests: complete headers stop the clock. */
	ChannelInboundHandlerAdapter requests() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
				if (msg instanceof HttpRequest) {
					HeaderDeadline.this.inRequest = true;
					cancel();
				}
				if (msg instanceof LastHttpContent) {
					HeaderDeadline.this.inRequest = false;
				}
				super.channelRead(ctx, msg);
			}

		};
	}

	private void start(ChannelHandlerContext ctx) {
		if (this.deadline == null) {
			this.deadline = ctx.executor().schedule(() -> {
				if (!this.inRequest) {
					ctx.channel().close();
				}
			}, this.timeoutNanos, TimeUnit.NANOSECONDS);
		}
	}

	private void cancel() {
		if (this.deadline != null) {
			this.deadline.cancel(false);
			this.deadline = null;
		}
	}

}
