package io.hookway.gateway.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.event.EventEnvelope;
import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.security.Caller;
import io.hookway.core.tracing.Traces;
import io.hookway.core.web.Bodies;
import io.hookway.core.web.ProblemCode;
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
@Tag(name = "events")
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
			parameters = @Parameter(in = ParameterIn.HEADER, name = "Idempotency-Key",
					description = "Makes a repeat of the same publication return the first message instead of "
							+ "fanning out again.",
					schema = @Schema(minLength = 1, maxLength = 255, pattern = "^[\\x21-\\x7E]{1,255}$")),
			requestBody = @RequestBody(required = true, content = @Content(mediaType = "application/json",
					schema = @Schema(implementation = PublishRequest.class),
					examples = @ExampleObject("{\"applicationId\":\"app_…\",\"type\":\"invoice.paid\",\"data\":{}}"))),
			responses = @ApiResponse(responseCode = "202", description = "The message and its deliveries are committed",
					content = @Content(mediaType = "application/json",
							schema = @Schema(implementation = PublishedEvent.class))))
	@Refuses({ ProblemCode.MALFORMED_JSON, ProblemCode.VALIDATION_FAILED, ProblemCode.PAYLOAD_TOO_LARGE,
			ProblemCode.BODY_TOO_LARGE, ProblemCode.BAD_REQUEST, ProblemCode.IDEMPOTENCY_KEY_IN_USE,
			ProblemCode.IDEMPOTENCY_KEY_REUSED, ProblemCode.OUTCOME_UNKNOWN })
	Mono<ResponseEntity<PublishedEvent>> publish(@AuthenticationPrincipal Jwt jwt, ServerWebExchange exchange) {
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
	private ResponseEntity<PublishedEvent> answer(PublishedMessage message) {
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
		PublishedEvent body = new PublishedEvent(messageId, message.type(), applicationId,
				EventEnvelope.TIMESTAMP.format(message.timestamp()), message.deliveries());
		ResponseEntity.BodyBuilder response = ResponseEntity.accepted();
		if (message.replayed()) {
			response.header("Idempotent-Replayed", "true");
		}
		return response.body(body);
	}

	/** The body of a publication, for the API document. */
	record PublishRequest(
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					example = "app_01jd7x3q9v6v2z7p8m4k5n6r1t") String applicationId,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "invoice.paid") String type,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					description = "Any JSON value, checked against the type's schema") Object data) {
	}

	/** The 202 of a publication. */
	record PublishedEvent(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String messageId,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String type,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String applicationId,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String timestamp,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					description = "How many endpoints the message was fanned out to") long deliveries) {
	}

}
