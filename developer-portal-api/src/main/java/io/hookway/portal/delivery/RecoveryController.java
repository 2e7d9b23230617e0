package io.hookway.portal.delivery;

import java.time.Instant;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.retention.RetentionSettings;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;
import io.hookway.portal.limits.PortalLimits;
import io.hookway.portal.message.Rfc3339;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Recovery (API.md §9): after an outage of its receiver, an endpoint's failed deliveries
 * of a time window are sent again, each with its original {@code webhook-id}. Counts
 * towards {@code hookway.portal.limits.delivery-retries-per-minute}, like a retry by
 * hand.
 */
@RestController
@Tag(name = "deliveries")
public class RecoveryController {

	private final DatabaseClient database;

	private final DeliveryRequeue requeue;

	private final RetentionSettings retention;

	private final PortalLimits limits;

	RecoveryController(DatabaseClient database, DeliveryRequeue requeue, RetentionSettings retention,
			PortalLimits limits) {
		this.database = database;
		this.requeue = requeue;
		this.retention = retention;
		this.limits = limits;
	}

	/**
	 * Makes every {@code FAILED} delivery to the endpoint whose message was created in
	 * {@code [since, until)} due now. Messages older than the retention period may be
	 * purged already, so a window reaching back past it is refused rather than recovered
	 * in part. A disabled endpoint is refused with 409: its deliveries would fail again
	 * unsent.
	 */
	@Operation(operationId = "recoverEndpoint",
			summary = "Deliver again every failed delivery of the endpoint in a time window")
	@Refuses({ ProblemCode.ENDPOINT_DISABLED, ProblemCode.RATE_LIMITED })
	@PostMapping("/v1/webhook-endpoints/{endpointId}/recover")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Mono<Recovered> recover(@AuthenticationPrincipal Jwt jwt, @PathVariable String endpointId,
			@Valid @RequestBody Recover request) {
		UUID endpoint = IdKind.ENDPOINT.parse(endpointId).orElseThrow(() -> notFound(endpointId));
		UUID applicationId = Caller.of(jwt).requireApplication();
		Instant now = Instant.now();
		Instant since = time("since", request.since());
		Instant until = (request.until() != null) ? time("until", request.until()) : now;
		Instant earliest = now.minus(this.retention.retention());
		if (since.isBefore(earliest)) {
			throw ApiProblem.invalid("since", "must not be earlier than " + earliest + ": messages are kept for "
					+ this.retention.retention() + " (hookway.dispatcher.retention), older ones cannot be recovered");
		}
		if (!since.isBefore(until)) {
			throw ApiProblem.invalid("until", "must be later than since");
		}
		this.limits.deliveryRetry(applicationId);
		return this.database
			.sql("select enabled from webhook_endpoints where id = :id and application_id = :applicationId "
					+ "and deleted_at is null")
			.bind("id", endpoint)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> Boolean.TRUE.equals(row.get("enabled", Boolean.class)))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(endpointId)))
			.flatMap((enabled) -> enabled ? this.requeue.failed(endpoint, applicationId, since, until)
					: Mono.error(ApiProblem.conflict(ProblemCode.ENDPOINT_DISABLED, "The webhook endpoint " + endpointId
							+ " is disabled; enable it (PATCH enabled=true) before recovering its deliveries.")))
			.map(Recovered::new);
	}

	private static Instant time(String field, String value) {
		return Rfc3339.parse(value).orElseThrow(() -> ApiProblem.invalid(field, Rfc3339.EXPECTED));
	}

	private static ApiProblem notFound(String endpointId) {
		return ApiProblem.notFound("There is no webhook endpoint " + endpointId + ".");
	}

	/** The window of message creation times, {@code until} excluded; now by default. */
	public record Recover(@NotNull String since, @Nullable String until) {
	}

	/** How many failed deliveries were made due again. */
	public record Recovered(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) long deliveries) {
	}

}
