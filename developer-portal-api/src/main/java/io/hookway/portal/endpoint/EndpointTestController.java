package io.hookway.portal.endpoint;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.event.EventEnvelope;
import io.hookway.core.event.PlatformEventType;
import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ProblemCode;
import io.hookway.portal.limits.PortalLimits;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Test events (API.md §5), at most
 * {@code hookway.portal.limits.endpoint-tests-per-minute} per application: each one is a
 * real delivery the dispatcher sends.
 */
@RestController
@Tag(name = "webhook-endpoints")
public class EndpointTestController {

	private final DatabaseClient database;

	private final QueueNotifier notifier;

	private final JsonMapper json;

	private final PortalLimits limits;

	EndpointTestController(DatabaseClient database, QueueNotifier notifier, JsonMapper json, PortalLimits limits) {
		this.database = database;
		this.notifier = notifier;
		this.json = json;
		this.limits = limits;
	}

	/** Sends a {@code webhook.test} event to this endpoint, whatever it subscribes to. */
	@Operation(operationId = "testEndpoint", summary = "Send a webhook.test event to the endpoint")
	@Refuses({ ProblemCode.RATE_LIMITED })
	@PostMapping("/v1/webhook-endpoints/{id}/test")
	@ResponseStatus(HttpStatus.ACCEPTED)
	public Mono<TestSent> test(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		UUID endpointId = WebhookEndpointController.parse(id);
		UUID applicationId = Caller.of(jwt).requireApplication();
		this.limits.endpointTest(applicationId);
		UUID messageId = IdKind.newUuid();
		String event = EventEnvelope.of(PlatformEventType.WEBHOOK_TEST.type(), Instant.now(),
				this.json.writeValueAsString(Map.of("endpointId", id)));
		return this.database.sql("""
				with message as (
				    insert into webhook_messages (id, application_id, event_type, payload)
				    select :messageId, application_id, 'webhook.test', :payload from webhook_endpoints
				    where id = :id and application_id = :applicationId and deleted_at is null
				    returning id, application_id
				)
				insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
				select id, :id, application_id, 'webhook.test', now() from message
				returning message_id""")
			.bind("messageId", messageId)
			.bind("payload", event)
			.bind("id", endpointId)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> row.get("message_id", UUID.class))
			.one()
			.doOnNext((created) -> this.notifier.committed(QueueNotifier.DELIVERIES))
			.map((created) -> new TestSent(IdKind.MESSAGE.format(created)))
			.switchIfEmpty(Mono.error(() -> WebhookEndpointController.notFound(id)));
	}

	/** The test message, to find among the endpoint's deliveries. */
	public record TestSent(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String messageId) {
	}

}
