package io.hookway.bench;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Mono;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The ingest baseline: a WebFlux endpoint that reads the call and answers 202 with a body
 * like the gateway's, doing no other work (no token check, no database). The gateway's
 * rate is judged against this one, measured minutes apart on the same machine.
 */
@SpringBootApplication
public class BareWebFlux {

	private final AtomicLong sequence = new AtomicLong();

	@Bean
	RouterFunction<ServerResponse> routes() {
		return RouterFunctions.route()
			.GET("/ready", (request) -> ServerResponse.ok().build())
			.POST("/api/{route}/**", (request) -> request.bodyToMono(byte[].class).then(Mono.defer(() -> {
				String taskId = "tsk_%026d".formatted(this.sequence.incrementAndGet());
				return ServerResponse.status(HttpStatus.ACCEPTED)
					.contentType(MediaType.APPLICATION_JSON)
					.header("Location", "/v1/tasks/" + taskId)
					.header("Retry-After", "1")
					.bodyValue("{\"taskId\":\"" + taskId + "\",\"status\":\"ACCEPTED\",\"route\":\""
							+ request.pathVariable("route") + "\",\"statusUrl\":\"/v1/tasks/" + taskId + "\"}");
			})))
			.build();
	}

	public static void main(String[] args) {
		SpringApplication.run(BareWebFlux.class, args);
	}

}
