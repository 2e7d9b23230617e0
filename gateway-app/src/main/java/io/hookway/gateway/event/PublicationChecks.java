package io.hookway.gateway.event;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.event.EventSchemas;
import io.hookway.core.security.ApplicationStatus;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ApiProblem.FieldError;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * What a publication is checked against, read in one round trip: its type in the catalog
 * (known, not deprecated, not one of the platform's own, and its schema), its application
 * (known and active), and the message an earlier request with the same Idempotency-Key
 * published, if any.
 */
@Component
class PublicationChecks {

	private static final Logger logger = LoggerFactory.getLogger(PublicationChecks.class);

	/** The message holding a publisher's key, with the number of its deliveries. */
	private static final String STORED = """
			select w.id as message_id, w.application_id as message_application_id, w.event_type as message_type,
			       w.created_at as message_created_at, w.request_hash as message_request_hash,
			       (select count(*) from webhook_deliveries d where d.message_id = w.id) as message_deliveries
			from webhook_messages w
			where w.publisher = :publisher and w.idempotency_key = :key""";

	private static final String LOOK_UP = """
			select t.name is not null as type_known, t.deprecated, t.platform, t.schema::text as schema,
			       t.updated_at as type_changed_at, a.status as application_status, m.*
			from (values (1)) as one (x)
			left join event_types t on t.name = :type
			left join applications a on a.id = :applicationId
			left join lateral (%s) m on true""".formatted(STORED);

	private final DatabaseClient database;

	private final EventSchemas schemas;

	PublicationChecks(DatabaseClient database, JsonMapper json) {
		this.database = database;
		this.schemas = new EventSchemas(json);
	}

	/** What the publication is checked against; one row, whatever exists. */
	Mono<Found> lookUp(Publication publication, String publisher, @Nullable String key) {
		return bindKey(this.database.sql(LOOK_UP), publisher, key).bind("type", publication.type())
			.bind("applicationId", publication.applicationId())
			.map(Found::of)
			.one();
	}

	/** The message holding the key; empty when there is none. */
	Mono<Stored> stored(String publisher, String key) {
		return bindKey(this.database.sql(STORED), publisher, key).map(Stored::of).one();
	}

	/** A 422 naming every field that breaks a rule; nothing when none does. */
	void check(Found found, Publication publication) {
		List<FieldError> errors = new ArrayList<>();
		if (found.applicationStatus() == null) {
			errors.add(new FieldError("applicationId", "names no application"));
		}
		else if (!found.applicationStatus().equals(ApplicationStatus.ACTIVE.name())) {
			errors.add(new FieldError("applicationId", "names a disabled application"));
		}
		if (!found.typeKnown()) {
			errors.add(new FieldError("type", "is not an event type of the catalog"));
		}
		else if (found.platform()) {
			errors.add(new FieldError("type", "is one of the platform's own event types, which only it publishes"));
		}
		else if (found.deprecated()) {
			errors.add(new FieldError("type", "is deprecated"));
		}
		else if (found.schema() != null && found.typeChangedAt() != null) {
			try {
				errors.addAll(this.schemas.violations(publication.type(), found.typeChangedAt(), found.schema(),
						publication.data(), "data"));
			}
			catch (EventSchemas.UnusableSchemaException ex) {
				logger.warn(ex.getMessage());
				errors.add(new FieldError("type", "has a schema that cannot be applied; the catalog must be fixed"));
			}
		}
		if (!errors.isEmpty()) {
			throw ApiProblem.invalid(errors);
		}
	}

	private static DatabaseClient.GenericExecuteSpec bindKey(DatabaseClient.GenericExecuteSpec spec, String publisher,
			@Nullable String key) {
		spec = spec.bind("publisher", publisher);
		return (key != null) ? spec.bind("key", key) : spec.bindNull("key", String.class);
	}

	record Found(boolean typeKnown, boolean deprecated, boolean platform, @Nullable String schema,
			@Nullable Instant typeChangedAt, @Nullable String applicationStatus, @Nullable Stored stored) {

		static Found of(Readable row) {
			return new Found(Boolean.TRUE.equals(row.get("type_known")), Boolean.TRUE.equals(row.get("deprecated")),
					Boolean.TRUE.equals(row.get("platform")), row.get("schema", String.class),
					row.get("type_changed_at", Instant.class), row.get("application_status", String.class),
					(row.get("message_id") != null) ? Stored.of(row) : null);
		}

	}

	/** A message published with a key, and the request it was published for. */
	record Stored(UUID id, UUID applicationId, String type, Instant createdAt, byte[] requestHash, long deliveries) {

		static Stored of(Readable row) {
			return new Stored(row.get("message_id", UUID.class), row.get("message_application_id", UUID.class),
					row.get("message_type", String.class), row.get("message_created_at", Instant.class),
					row.get("message_request_hash", byte[].class), row.get("message_deliveries", Long.class));
		}

	}

}
