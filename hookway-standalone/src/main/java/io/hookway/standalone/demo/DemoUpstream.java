package io.hookway.standalone.demo;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.context.annotation.Profile;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The internal service behind the demo route: it answers what it was asked, so the task's
 * result shows exactly what the dispatcher forwarded.
 */
@RestController
@Profile("demo")
class DemoUpstream {

	@RequestMapping("/demo/upstream/**")
	Mono<Map<String, Object>> handle(ServerHttpRequest request, @RequestBody(required = false) byte[] body) {
		Map<String, Object> echo = new LinkedHashMap<>();
		echo.put("method", request.getMethod().name());
		echo.put("path", request.getPath().value().substring("/demo/upstream".length()));
		echo.put("query", request.getURI().getRawQuery());
		echo.put("taskId", request.getHeaders().getFirst("Hookway-Task-Id"));
		echo.put("body", (body != null) ? new String(body, StandardCharsets.UTF_8) : null);
		echo.put("processedAt", Instant.now());
		return Mono.just(echo);
	}

}
