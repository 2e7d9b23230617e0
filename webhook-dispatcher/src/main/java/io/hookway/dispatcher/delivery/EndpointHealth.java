package io.hookway.dispatcher.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.event.PlatformEventType;
import io.hookway.core.id.IdKind;
import io.hookway.core.outbound.WebhookSettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

/**
 * An endpoint's health, written only when it changes (a failure, a 410, or a success
 * after failures), so that a busy, healthy endpoint's row is not updated on every
 * delivery. A 410 disables the endpoint; so does failing without a single success for
 * {@code disable-after}. The transaction that disables an endpoint also publishes
 * {@code endpoint.disabled}, when {@link OperationalEvents} says so.
 */
final class EndpointHealth {

	private static final String SET = """
			set failing_since = case when :succeeded then null else coalesce(e.failing_since, now()) end,
			    enabled = e.enabled and not (:gone or (not :succeeded
			              and coalesce(e.failing_since < now() - make_interval(secs => :disableAfter), false))),
			    disabled_reason = case
			        when not e.enabled then e.disabled_reason
			        when :gone then 'The endpoint answered 410 Gone.'
			        when not :succeeded and e.failing_since < now() - make_interval(secs => :disableAfter)
			            then 'Every delivery failed since ' || to_char(e.failing_since at time zone 'UTC',
			                 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '.'
			        else e.disabled_reason end,
			    updated_at = now()""";

	private static final String UPDATE = "update webhook_endpoints e " + SET + " where e.id = :endpointId";

	/**
	 * As {@link #UPDATE}, returning whether it disabled the endpoint and what
	 * {@code endpoint.disabled} says of it. The row is locked first, so that what it was
	 * before is its latest committed state: of two dispatchers recording failures at
	 * once, only the one that disables it publishes.
	 */
	private static final String UPDATE_RETURNING = """
			with before as (
			    select id, enabled from webhook_endpoints where id = :endpointId for update
			)
			update webhook_endpoints e %s
			from before where e.id = before.id
			returning e.url, e.disabled_reason, before.enabled and not e.enabled as disabled, now() as disabled_at"""
		.formatted(SET);

	/** The {@code endpoint.disabled} message and that message's deliveries. */
	private static final String ANNOUNCE = """
			with announced as (
			    insert into webhook_messages (id, application_id, event_type, payload)
			    values (:messageId, :operations, :eventType, :payload)
			    returning id, application_id, event_type
			)
			%s""".formatted(OperationalEvents.FAN_OUT);

	private final DatabaseClient database;

	private final TransactionalOperator transaction;

	private final WebhookSettings webhooks;

	private final OperationalEvents events;

	EndpointHealth(DatabaseClient database, TransactionalOperator transaction, WebhookSettings webhooks,
			OperationalEvents events) {
		this.database = database;
		this.transaction = transaction;
		this.webhooks = webhooks;
		this.events = events;
	}

	/** Whether the attempt changes what is stored of its endpoint's health. */
	static boolean changes(ClaimedDelivery delivery, Attempt attempt) {
		return !attempt.succeeded() || delivery.endpointFailing();
	}

	Mono<Void> record(ClaimedDelivery delivery, Attempt attempt) {
		if (attempt.succeeded() || !this.events.about(delivery)) {
			return bind(this.database.sql(UPDATE), delivery, attempt).then();
		}
		return bind(this.database.sql(UPDATE_RETURNING), delivery, attempt)
			.map((row, metadata) -> new Health(Boolean.TRUE.equals(row.get("disabled", Boolean.class)),
					row.get("url", String.class), row.get("disabled_reason", String.class),
					row.get("disabled_at", Instant.class)))
			.one()
			.filter(Health::disabled)
			.flatMap((health) -> announce(delivery, health))
			.as(this.transaction::transactional)
			// emitted once committed: deliverers are woken for deliveries they can see
			.doOnNext((deliveries) -> {
				if (deliveries > 0) {
					this.events.published();
				}
			})
			.then();
	}

	private Mono<Long> announce(ClaimedDelivery delivery, Health health) {
		return this.database.sql(ANNOUNCE)
			.bind("messageId", IdKind.newUuid())
			.bind("operations", this.events.application())
			.bind("eventType", PlatformEventType.ENDPOINT_DISABLED.type())
			.bind("payload", this.events.disabled(delivery, health.url(), health.reason(), health.at()))
			.fetch()
			.rowsUpdated();
	}

	private DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec statement,
			ClaimedDelivery delivery, Attempt attempt) {
		return statement.bind("succeeded", attempt.succeeded())
			.bind("gone", attempt.gone())
			.bind("disableAfter", (double) this.webhooks.disableAfter().toSeconds())
			.bind("endpointId", delivery.endpointId());
	}

	/** The endpoint as an update left it, and whether that update disabled it. */
	private record Health(boolean disabled, String url, @Nullable String reason, Instant at) {
	}

}
