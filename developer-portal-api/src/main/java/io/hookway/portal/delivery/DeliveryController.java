package io.hookway.portal.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;
import io.hookway.core.web.ProblemCode;
import io.hookway.core.webhook.DeliveryStatus;
import io.hookway.portal.limits.PortalLimits;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The delivery log (API.md §5): an endpoint's deliveries newest first, one delivery with
 * every attempt, and retry by hand. Every query names the caller's application.
 */
@RestController
@Tag(name = "deliveries")
public class DeliveryController {

	private static final TypeReference<List<DeliveryView.Attempt>> ATTEMPTS = new TypeReference<>() {
	};

	private static final String VIEW = """
			select d.id, d.message_id, d.endpoint_id, d.event_type, d.status, d.next_attempt_at, d.created_at,
			       coalesce((select json_agg(json_build_object('attempt', a.attempt, 'at', a.attempted_at,
			                         'statusCode', a.status_code, 'durationMs', a.duration_ms, 'error', a.error)
			                         order by a.attempt)
			                 from delivery_attempts a where a.delivery_id = d.id), '[]') as attempts
			from webhook_deliveries d""";

	private final DatabaseClient database;

	private final JsonMapper json;

	private final DeliveryRequeue requeue;

	private final PortalLimits limits;

	DeliveryController(DatabaseClient database, JsonMapper json, DeliveryRequeue requeue, PortalLimits limits) {
		this.database = database;
		this.json = json;
		this.requeue = requeue;
		this.limits = limits;
	}

	@Operation(operationId = "listDeliveries", summary = "List an endpoint's deliveries, newest first")
	@GetMapping("/v1/webhook-endpoints/{endpointId}/deliveries")
	Mono<Page<DeliveryView>> list(@AuthenticationPrincipal Jwt jwt, @PathVariable String endpointId,
			@Parameter(schema = @Schema(implementation = DeliveryStatus.class)) @RequestParam(
					required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		UUID endpoint = IdKind.ENDPOINT.parse(endpointId)
			.orElseThrow(() -> ApiProblem.notFound("There is no webhook endpoint " + endpointId + "."));
		if (status != null && DeliveryStatus.parse(status).isEmpty()) {
			throw ApiProblem.badRequest("status must be one of PENDING, SUCCEEDED, FAILED.");
		}
		UUID applicationId = Caller.of(jwt).requireApplication();
		int size = Page.limit(limit);
		Page.Position after = Page.after(cursor);
		Mono<Boolean> endpointExists = this.database
			.sql("select 1 from webhook_endpoints where id = :id and application_id = :applicationId")
			.bind("id", endpoint)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> true)
			.one()
			.switchIfEmpty(Mono.error(() -> ApiProblem.notFound("There is no webhook endpoint " + endpointId + ".")));
		DatabaseClient.GenericExecuteSpec query = this.database
			.sql(VIEW + " where d.endpoint_id = :endpointId and d.application_id = :applicationId "
					+ "and (cast(:status as text) is null or d.status = :status) "
					+ "and (d.created_at, d.id) < (:createdAt, :id) order by d.created_at desc, d.id desc limit :limit")
			.bind("endpointId", endpoint)
			.bind("applicationId", applicationId)
			.bind("createdAt", after.createdAt())
			.bind("id", after.id())
			.bind("limit", size + 1);
		query = (status != null) ? query.bind("status", status) : query.bindNull("status", String.class);
		Mono<Page<DeliveryView>> page = query
			.map((row, metadata) -> new Positioned(view(row),
					new Page.Position(row.get("created_at", Instant.class), row.get("id", UUID.class))))
			.all()
			.collectList()
			.map((rows) -> Page.of(rows, size, Positioned::position, Positioned::view));
		return endpointExists.then(page);
	}

	@Operation(operationId = "getDelivery", summary = "Get a delivery with its attempts")
	@GetMapping("/v1/deliveries/{deliveryId}")
	public Mono<DeliveryView> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String deliveryId) {
		return this.database.sql(VIEW + " where d.id = :id and d.application_id = :applicationId")
			.bind("id", parse(deliveryId))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> view(row))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(deliveryId)));
	}

	/**
	 * Due again now, whatever its status; a delivery being sent right now is left to
	 * finish. At most {@code hookway.portal.limits.delivery-retries-per-minute} per
	 * application.
	 */
	@Operation(operationId = "retryDelivery", summary = "Deliver again now, whatever the delivery's status")
	@Refuses({ ProblemCode.RATE_LIMITED })
	@PostMapping("/v1/deliveries/{deliveryId}/retry")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Mono<DeliveryView.Retry> retry(@AuthenticationPrincipal Jwt jwt, @PathVariable String deliveryId) {
		UUID id = parse(deliveryId);
		UUID applicationId = Caller.of(jwt).requireApplication();
		this.limits.deliveryRetry(applicationId);
		return this.requeue.one(id, applicationId)
			.map((requeued) -> new DeliveryView.Retry(deliveryId, DeliveryStatus.PENDING))
			.switchIfEmpty(Mono.error(() -> notFound(deliveryId)));
	}

	private DeliveryView view(Readable row) {
		DeliveryStatus status = DeliveryStatus.valueOf(row.get("status", String.class));
		Json attempts = row.get("attempts", Json.class);
		return new DeliveryView(IdKind.DELIVERY.format(row.get("id", UUID.class)),
				IdKind.MESSAGE.format(row.get("message_id", UUID.class)),
				IdKind.ENDPOINT.format(row.get("endpoint_id", UUID.class)), row.get("event_type", String.class), status,
				(attempts != null) ? this.json.readValue(attempts.asString(), ATTEMPTS) : List.of(),
				(status == DeliveryStatus.PENDING) ? row.get("next_attempt_at", Instant.class) : null,
				row.get("created_at", Instant.class));
	}

	private static UUID parse(String deliveryId) {
		return IdKind.DELIVERY.parse(deliveryId).orElseThrow(() -> notFound(deliveryId));
	}

	private static ApiProblem notFound(String deliveryId) {
		return ApiProblem.notFound("There is no delivery " + deliveryId + ".");
	}

	private record Positioned(DeliveryView view, Page.Position position) {
	}

}
