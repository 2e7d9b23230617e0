package io.hookway.core.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * Writes problem+json bodies outside of controllers: from the security entry points and
 * the global exception handler. Every body has type, title, status, detail and instance.
 */
public final class ProblemResponses {

	private final JsonMapper jsonMapper;

	private final MeterRegistry meters;

	public ProblemResponses(JsonMapper jsonMapper, MeterRegistry meters) {
		this.jsonMapper = jsonMapper;
		this.meters = meters;
	}

	public static ProblemDetail problem(ProblemCode code, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
		problem.setProperty("code", code.code());
		return problem;
	}

	/**
	 * Writes the problem and counts it as {@code hookway.refusals} by status and code.
	 */
	public Mono<Void> write(ServerWebExchange exchange, ProblemDetail problem) {
		ServerHttpResponse response = exchange.getResponse();
		complete(problem, exchange);
		Object code = (problem.getProperties() != null) ? problem.getProperties().get("code") : null;
		this.meters
			.counter("hookway.refusals", "status", Integer.toString(problem.getStatus()), "code",
					(code != null) ? code.toString() : "none")
			.increment();
		response.setStatusCode(HttpStatus.valueOf(problem.getStatus()));
		response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		DataBuffer buffer = response.bufferFactory().wrap(this.jsonMapper.writeValueAsBytes(asMap(problem)));
		return response.writeWith(Mono.just(buffer));
	}

	/** Fills in what RFC 9457 lets a server omit but the contract promises. */
	static void complete(ProblemDetail problem, ServerWebExchange exchange) {
		if (problem.getTitle() == null) {
			HttpStatus status = HttpStatus.resolve(problem.getStatus());
			problem.setTitle((status != null) ? status.getReasonPhrase() : "Error");
		}
		if (problem.getDetail() == null) {
			problem.setDetail(problem.getTitle());
		}
		if (problem.getInstance() == null) {
			problem.setInstance(URI.create(exchange.getRequest().getPath().value()));
		}
	}

	private static Map<String, Object> asMap(ProblemDetail problem) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", (problem.getType() != null) ? problem.getType().toString() : "about:blank");
		body.put("title", problem.getTitle());
		body.put("status", problem.getStatus());
		body.put("detail", problem.getDetail());
		body.put("instance", String.valueOf(problem.getInstance()));
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		return body;
	}

}
