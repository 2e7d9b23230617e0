package io.hookway.gateway.event;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestRows;

/**
 * The rows the portal would have written (applications, endpoints, the event catalog),
 * straight through JDBC, and queries of what publishing wrote: the gateway is tested on
 * its own.
 */
final class EventFixtures {

	private static final TestRows ROWS = TestRows.testDatabase();

	private EventFixtures() {
	}

	/** A publish request's body. */
	static String publication(UUID application, String type, String data) {
		return "{\"applicationId\":\"" + IdKind.APPLICATION.format(application) + "\",\"type\":\"" + type
				+ "\",\"data\":" + data + "}";
	}

	/** A catalog-unique prefix for the types of one test, such as {@code t1a2b3c}. */
	static String family() {
		return "t" + Long.toHexString(System.nanoTime());
	}

	static UUID application(String status) {
		UUID id = IdKind.newUuid();
		ROWS.execute("insert into applications (id, name, client_id, client_secret_hash, scopes, status) "
				+ "values (?, 'shop', ?, 'x', '{webhooks:manage}', ?)", id, "cli_" + id, status);
		return id;
	}

	static UUID endpoint(UUID application, boolean enabled, String... eventTypes) {
		UUID id = IdKind.newUuid();
		ROWS.execute(
				"insert into webhook_endpoints (id, application_id, url, event_types, enabled, secret_encrypted) "
						+ "values (?, ?, 'https://receiver.example/hooks', ?, ?, '\\x00')",
				id, application, List.of(eventTypes), enabled);
		return id;
	}

	static void eventType(String name, @Nullable String schema, boolean deprecated) {
		ROWS.execute("insert into event_types (name, schema, deprecated) values (?, cast(? as jsonb), ?)", name, schema,
				deprecated);
	}

	/** What a PATCH of the type's schema writes. */
	static void changeSchema(String name, String schema) {
		ROWS.execute("update event_types set schema = cast(? as jsonb), updated_at = clock_timestamp() where name = ?",
				schema, name);
	}

}
