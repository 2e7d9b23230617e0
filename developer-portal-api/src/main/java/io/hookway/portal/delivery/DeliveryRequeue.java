package io.hookway.portal.delivery;

import java.time.Instant;
import java.util.UUID;

import reactor.core.publisher.Mono;

import io.hookway.core.queue.QueueNotifier;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Makes deliveries due again now, from outside the dispatcher: a retry by hand and a
 * recovery change the same columns the same way, then wake the dispatchers. A delivery
 * keeps its id and message, so it is sent with its original {@code webhook-id}. One being
 * sent right now keeps its lease and is left to finish.
 */
@Component
class DeliveryRequeue {

	private static final String DUE_NOW = """
			update webhook_deliveries d
			set status = 'PENDING',
			    next_attempt_at = case when d.lease_id is null then now() else d.next_attempt_at end,
			    ready = d.ready or d.lease_id is null,
			    updated_at = now()
			""";

	private final DatabaseClient database;

	private final QueueNotifier notifier;

	DeliveryRequeue(DatabaseClient database, QueueNotifier notifier) {
		this.database = database;
		this.notifier = notifier;
	}

	/** One delivery of the application, whatever its status; empty when there is none. */
	Mono<UUID> one(UUID deliveryId, UUID applicationId) {
		return this.database.sql(DUE_NOW + "where d.id = :id and d.application_id = :applicationId returning d.id")
			.bind("id", deliveryId)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> row.get("id", UUID.class))
			.one()
			.doOnNext((requeued) -> this.notifier.committed(QueueNotifier.DELIVERIES));
	}

	/**
	 * The failed deliveries to an endpoint of the application whose message was created
	 * in {@code [since, until)}, while the endpoint is enabled; emits how many.
	 */
	Mono<Long> failed(UUID endpointId, UUID applicationId, Instant since, Instant until) {
		return this.database.sql(DUE_NOW + """
				from webhook_messages m
				where d.endpoint_id = :endpointId and d.application_id = :applicationId and d.status = 'FAILED'
				  and m.id = d.message_id and m.created_at >= :since and m.created_at < :until
				  and exists (select 1 from webhook_endpoints e
				              where e.id = d.endpoint_id and e.enabled and e.deleted_at is null)""")
			.bind("endpointId", endpointId)
			.bind("applicationId", applicationId)
			.bind("since", since)
			.bind("until", until)
			.fetch()
			.rowsUpdated()
			.doOnNext((requeued) -> {
				if (requeued > 0) {
					this.notifier.committed(QueueNotifier.DELIVERIES);
				}
			});
	}

}
