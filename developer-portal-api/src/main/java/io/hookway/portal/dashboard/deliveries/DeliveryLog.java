package io.hookway.portal.dashboard.deliveries;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * The application's recent deliveries across its endpoints, which the API lists only per
 * endpoint: newest first, optionally of one endpoint and one status.
 */
@Component
class DeliveryLog {

	static final int SIZE = 50;

	private final DatabaseClient database;

	DeliveryLog(DatabaseClient database) {
		this.database = database;
	}

	Mono<List<Row>> recent(UUID applicationId, Optional<UUID> endpoint, @Nullable String status) {
		DatabaseClient.GenericExecuteSpec query = this.database.sql("""
				select d.id, d.message_id, d.endpoint_id, e.url, d.event_type, d.status, d.attempt_count, d.created_at
				from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id
				where d.application_id = :applicationId and e.application_id = :applicationId
				  and (cast(:endpointId as uuid) is null or d.endpoint_id = :endpointId)
				  and (cast(:status as text) is null or d.status = :status)
				order by d.created_at desc, d.id desc limit :limit""")
			.bind("applicationId", applicationId)
			.bind("limit", SIZE);
		query = endpoint.isPresent() ? query.bind("endpointId", endpoint.get())
				: query.bindNull("endpointId", UUID.class);
		query = (status != null) ? query.bind("status", status) : query.bindNull("status", String.class);
		return query
			.map((row, metadata) -> new Row(IdKind.DELIVERY.format(row.get("id", UUID.class)),
					IdKind.MESSAGE.format(row.get("message_id", UUID.class)),
					IdKind.ENDPOINT.format(row.get("endpoint_id", UUID.class)), row.get("url", String.class),
					row.get("event_type", String.class), row.get("status", String.class),
					row.get("attempt_count", Integer.class), row.get("created_at", Instant.class)))
			.all()
			.collectList();
	}

	record Row(String id, String messageId, String endpointId, String url, String eventType, String status,
			Integer attempts, Instant createdAt) {
	}

}
