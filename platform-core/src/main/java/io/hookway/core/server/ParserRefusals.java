package io.hookway.core.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import io.hookway.core.web.ProblemCode;

/**
 * Answers requests the HTTP decoder refused (request line or headers too long, malformed
 * syntax) and requests whose target is not a URI with problem+json, as every other
 * refusal, then closes the connection: after a framing error nothing more on it can be
 * trusted. Left alone, the server would answer them with an empty body. Sits right after
 * the decoder.
 */
@ChannelHandler.Sharable
final class ParserRefusals extends ChannelDuplexHandler {

	/** Whether a response of the connection's current exchange has begun. */
	private static final AttributeKey<Boolean> RESPONDING = AttributeKey.valueOf("hookway.responding");

	private final Consumer<Integer> refused;

	/** {@code refused} is told the status of each refusal, to count it. */
	ParserRefusals(Consumer<Integer> refused) {
		this.refused = refused;
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
		if (msg instanceof HttpRequest request) {
			HttpResponseStatus status = refusal(request);
			if (status != null) {
				ReferenceCountUtil.release(msg);
				refuse(ctx, status);
				return;
			}
		}
		else if (msg instanceof HttpObject object && object.decoderResult().isFailure()) {
			// a broken chunk or trailer: answered unless a response is already under
			// way, which the problem would corrupt; the connection ends either way
			ReferenceCountUtil.release(msg);
			if (Boolean.TRUE.equals(ctx.channel().attr(RESPONDING).get())) {
				ctx.close();
			}
			else {
				refuse(ctx, HttpResponseStatus.BAD_REQUEST);
			}
			return;
		}
		super.channelRead(ctx, msg);
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpResponse) {
			ctx.channel().attr(RESPONDING).set(true);
		}
		if (msg instanceof LastHttpContent) {
			ctx.channel().attr(RESPONDING).set(false);
		}
		super.write(ctx, msg, promise);
	}

	private static HttpResponseStatus refusal(HttpRequest request) {
		DecoderResult result = request.decoderResult();
		if (result.isFailure()) {
			Throwable cause = result.cause();
			if (cause instanceof TooLongHttpLineException) {
				return HttpResponseStatus.REQUEST_URI_TOO_LONG;
			}
			if (cause instanceof TooLongHttpHeaderException) {
				return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
			}
			return HttpResponseStatus.BAD_REQUEST;
		}
		return isValidTarget(request.uri()) ? null : HttpResponseStatus.BAD_REQUEST;
	}

	/**
	 * What the web layer can read as a URI (it would refuse the rest with an empty 400):
	 * a path, {@code *}, or an absolute http(s) URL.
	 */
	private static boolean isValidTarget(String target) {
		if (!target.startsWith("/") && !target.equals("*") && !target.regionMatches(true, 0, "http", 0, 4)) {
			return false;
		}
		try {
			new URI(target);
			return true;
		}
		catch (URISyntaxException ex) {
			return false;
		}
	}

	private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status) {
		this.refused.accept(status.code());
		byte[] body = problem(status).getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
	}

	static String code(int status) {
		ProblemCode code = switch (status) {
			case 414 -> ProblemCode.REQUEST_LINE_TOO_LONG;
			case 431 -> ProblemCode.REQUEST_HEADERS_TOO_LARGE;
			default -> ProblemCode.MALFORMED_REQUEST;
		};
		return code.code();
	}

	/** Fixed text only: nothing of the refused request is echoed back. */
	private static String problem(HttpResponseStatus status) {
		String detail = switch (status.code()) {
			case 414 -> "The request line is longer than this server accepts.";
			case 431 -> "The request headers are larger than this server accepts.";
			default -> "The request is not valid HTTP: a malformed request line, target or header.";
		};
		return "{\"type\":\"about:blank\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":" + status.code()
				+ ",\"detail\":\"" + detail + "\",\"instance\":\"/\",\"code\":\"" + code(status.code()) + "\"}";
	}

}
