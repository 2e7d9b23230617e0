package io.hookway.gateway.event;

import java.util.LinkedHashMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.event.EventEnvelope;
import io.hookway.core.id.IdKind;
import io.hookway.core.security.Caller;
import io.hookway.core.tracing.Traces;
import io.hookway.core.web.Bodies;
import io.hookway.gateway.idempotency.IdempotencyKey;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code POST /internal/v1/events} (scope {@code events:publish}):
 * {@code {"applicationId","type","data"}} becomes a message to every endpoint of the
 * application that subscribes to the type, answered 202 once the message and its
 * deliveries are committed.
 * <p>
 * The body is read up to the data limit plus room for the other fields and never further;
 * the data itself is measured as the compact JSON that is stored and sent.
 */
@RestController
class PublishController {

	/** What a body may hold besides its data: the application id, the type, spacing. */
	private static final int ENVELOPE_ALLOWANCE = 16 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(PublishController.class);

	private final EventPublisher publisher;

	private final JsonMapper json;

	private final ObjectReader reader;

	private final long maxPayloadBytes;

	private final Counter published;

	private final Counter replayed;

	PublishController(EventPublisher publisher, JsonMapper json, EventSettings settings, MeterRegistry meters) {
		this.publisher = publisher;
		this.json = json;
		this.reader = Publication.reader(json);
		this.maxPayloadBytes = settings.maxPayloadSize().toBytes();
		this.published = meters.counter("hookway.events.published", "replayed", "false");
		this.replayed = meters.counter("hookway.events.published", "replayed", "true");
	}

	@PostMapping("/internal/v1/events")
	@Operation(operationId = "publishEvent", summary = "Publish an event to the application's subscribed endpoints",
			parameters = @Parameter(in = ParameterIn.HEADER, name = "Idempotency-Key"),
			requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/json",
					examples = @ExampleObject("{\"applicationId\":\"app_…\",\"type\":\"invoice.paid\",\"data\":{}}"))),
			responses = @ApiResponse(responseCode = "202",
					description = "{messageId, type, applicationId, timestamp, deliveries}, once committed"))
	Mono<ResponseEntity<Map<String, Object>>> publish(@AuthenticationPrincipal Jwt jwt, ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		String traceParent = Traces.traceparentOf(exchange);
		int limit = (int) this.maxPayloadBytes + ENVELOPE_ALLOWANCE;
		if (request.getHeaders().getContentLength() > limit) {
			return Mono.error(Publication.tooLarge(this.maxPayloadBytes));
		}
		// whatever is refused, the body is read first: left unread, it would stall the
		// next request on the connection
		return Bodies.readAtMost(request.getBody(), limit)
			.onErrorMap(DataBufferLimitException.class, (ex) -> Publication.tooLarge(this.maxPayloadBytes))
			.flatMap((body) -> {
				String key = IdempotencyKey.of(request.getHeaders());
				Publication publication = Publication.read(body, this.reader, this.json, this.maxPayloadBytes);
				return this.publisher.publish(publication, Caller.of(jwt).clientId(), key, traceParent);
			})
			.map(this::answer);
	}

	/**
	 * 202 with {@code {"messageId","type","applicationId","timestamp","deliveries"}}, the
	 * same for a replay, which also says {@code Idempotent-Replayed: true}.
	 */
	private ResponseEntity<Map<String, Object>> answer(PublishedMessage message) {
		String messageId = IdKind.MESSAGE.format(message.id());
		String applicationId = IdKind.APPLICATION.format(message.applicationId());
		(message.replayed() ? this.replayed : this.published).increment();
		logger.atDebug()
			.addKeyValue("messageId", messageId)
			.addKeyValue("applicationId", applicationId)
			.addKeyValue("type", message.type())
			.addKeyValue("deliveries", message.deliveries())
			.addKeyValue("replayed", message.replayed())
			.log("Published {} as message {} to {} endpoint(s) of application {}{}", message.type(), messageId,
					message.deliveries(), applicationId, message.replayed() ? " (replayed)" : "");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("messageId", messageId);
		body.put("type", message.type());
		body.put("applicationId", applicationId);
		body.put("timestamp", EventEnvelope.TIMESTAMP.format(message.timestamp()));
		body.put("deliveries", message.deliveries());
		ResponseEntity.BodyBuilder response = ResponseEntity.accepted();
		if (message.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(body);
	}

}
