package io.hookway.dispatcher.delivery;

import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.outbound.WebhookSettings;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * An endpoint's health, written only when it changes (a failure, a 410, or a success
 * after failures), so that a busy, healthy endpoint's row is not updated on every
 * delivery. A 410 disables the endpoint; so does failing without a single success for
 * {@code disable-after}. The statement that disables an endpoint also publishes
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
	 * As {@link #UPDATE}; when it disables the endpoint, also its
	 * {@code endpoint.disabled} message and that message's deliveries. The row is locked
	 * first, so that what it was before is its latest committed state: of two dispatchers
	 * recording failures at once, only the one that disables it publishes.
	 */
	private static final String UPDATE_AND_PUBLISH = """
			with before as (
			    select id, enabled from webhook_endpoints where id = :endpointId for update
			), updated as (
			    update webhook_endpoints e %s
			    from before where e.id = before.id
			    returning e.url, e.disabled_reason, before.enabled and not e.enabled as disabled,
			              to_char(now() at time zone 'UTC', %s) as at
			), announced as (
			    insert into webhook_messages (id, application_id, event_type, payload)
			    select :messageId, :operations, 'endpoint.disabled',
			           '{"type":"endpoint.disabled","timestamp":' || to_json(at)
			           || ',"data":{"applicationId":' || to_json(cast(:applicationId as text))
			           || ',"endpointId":' || to_json(cast(:endpointPublicId as text)) || ',"url":' || to_json(url)
			           || ',"reason":' || to_json(disabled_reason) || ',"disabledAt":' || to_json(at) || '}}'
			    from updated where disabled
			    returning id, application_id, event_type
			)
			%s""".formatted(SET, OperationalEvents.SQL_TIMESTAMP, OperationalEvents.FAN_OUT);

	private final DatabaseClient database;

	private final WebhookSettings webhooks;

	private final OperationalEvents events;

	EndpointHealth(DatabaseClient database, WebhookSettings webhooks, OperationalEvents events) {
		this.database = database;
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
		return bind(this.database.sql(UPDATE_AND_PUBLISH), delivery, attempt).bind("messageId", IdKind.newUuid())
			.bind("operations", this.events.application())
			.bind("applicationId", IdKind.APPLICATION.format(delivery.applicationId()))
			.bind("endpointPublicId", IdKind.ENDPOINT.format(delivery.endpointId()))
			.fetch()
			.rowsUpdated()
			.doOnNext((published) -> {
				if (published > 0) {
					this.events.published();
				}
			})
			.then();
	}

	private DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec statement,
			ClaimedDelivery delivery, Attempt attempt) {
		return statement.bind("succeeded", attempt.succeeded())
			.bind("gone", attempt.gone())
			.bind("disableAfter", (double) this.webhooks.disableAfter().toSeconds())
			.bind("endpointId", delivery.endpointId());
	}

}
