package io.hookway.dispatcher.delivery;

import java.util.UUID;

import reactor.core.publisher.Mono;

import io.hookway.core.outbound.WebhookSettings;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * An endpoint's health, written only when it changes (a failure, a 410, or a success
 * after failures), so that a busy, healthy endpoint's row is not updated on every
 * delivery. A 410 disables the endpoint; so does failing without a single success for
 * {@code disable-after}.
 */
final class EndpointHealth {

	private static final String UPDATE = """
			update webhook_endpoints e
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
			    updated_at = now()
			where e.id = :endpointId""";

	private final DatabaseClient database;

	private final WebhookSettings webhooks;

	EndpointHealth(DatabaseClient database, WebhookSettings webhooks) {
		this.database = database;
		this.webhooks = webhooks;
	}

	/** Whether the attempt changes what is stored of its endpoint's health. */
	static boolean changes(ClaimedDelivery delivery, Attempt attempt) {
		return !attempt.succeeded() || delivery.endpointFailing();
	}

	Mono<Void> record(UUID endpointId, Attempt attempt) {
		return this.database.sql(UPDATE)
			.bind("succeeded", attempt.succeeded())
			.bind("gone", attempt.gone())
			.bind("disableAfter", (double) this.webhooks.disableAfter().toSeconds())
			.bind("endpointId", endpointId)
			.then();
	}

}
