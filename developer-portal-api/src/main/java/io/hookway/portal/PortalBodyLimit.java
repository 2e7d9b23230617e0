package io.hookway.portal;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Portal request bodies are limited to 64 KiB (API.md §6): a larger declared length is
 * refused at once, and a body that streams past the limit fails as soon as it does.
 */
@Component
class PortalBodyLimit implements WebFilter, Ordered {

	static final int LIMIT = 64 * 1024;

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!path.startsWith("/v1/applications") && !path.startsWith("/v1/webhook-endpoints")
				&& !path.startsWith("/v1/deliveries") && !path.startsWith("/oauth2/")) {
			return chain.filter(exchange);
		}
		if (exchange.getRequest().getHeaders().getContentLength() > LIMIT) {
			return Mono.error(new ApiProblem(ProblemCode.BODY_TOO_LARGE,
					"Portal request bodies are limited to " + LIMIT + " bytes."));
		}
		ServerHttpRequest limited = new ServerHttpRequestDecorator(exchange.getRequest()) {

			@Override
			public Flux<DataBuffer> getBody() {
				AtomicLong seen = new AtomicLong();
				return super.getBody().handle((buffer, sink) -> {
					if (seen.addAndGet(buffer.readableByteCount()) > LIMIT) {
						DataBufferUtils.release(buffer);
						sink.error(new DataBufferLimitException("Portal request body over " + LIMIT + " bytes"));
					}
					else {
						sink.next(buffer);
					}
				});
			}

		};
		return chain.filter(exchange.mutate().request(limited).build());
	}

}
