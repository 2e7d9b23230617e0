package io.hookway.bench;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.Unpooled;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The internal service behind the benchmark's route: reads the call, answers 200 at once.
 */
final class Upstream implements AutoCloseable {

	private static final byte[] ANSWER = "{\"status\":\"created\",\"orderId\":\"ord_7Q2M4K9X1C\"}"
		.getBytes(StandardCharsets.UTF_8);

	private final DisposableServer server;

	Upstream() {
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.then(Mono.defer(() -> Mono.from(response.status(200)
					.header("content-type", "application/json")
					.send(Mono.just(Unpooled.wrappedBuffer(ANSWER)))))))
			.bindNow();
	}

	String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
