package io.hookway.gateway.event;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;

/**
 * The rows the portal would have written (applications, endpoints, the event catalog),
 * straight through JDBC, and queries of what publishing wrote: the gateway is tested on
 * its own.
 */
final class EventFixtures {

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

	static UUID application(String status) throws SQLException {
		UUID id = IdKind.newUuid();
		update("insert into applications (id, name, client_id, client_secret_hash, scopes, status) "
				+ "values (?, 'shop', ?, 'x', '{webhooks:manage}', ?)", id, "cli_" + id, status);
		return id;
	}

	static UUID endpoint(UUID application, boolean enabled, String... eventTypes) throws SQLException {
		UUID id = IdKind.newUuid();
		try (Connection connection = connect();
				PreparedStatement insert = connection.prepareStatement(
						"insert into webhook_endpoints (id, application_id, url, event_types, enabled, secret_encrypted) "
								+ "values (?, ?, 'https://receiver.example/hooks', ?, ?, '\\x00')")) {
			insert.setObject(1, id);
			insert.setObject(2, application);
			insert.setArray(3, connection.createArrayOf("text", eventTypes));
			insert.setBoolean(4, enabled);
			insert.executeUpdate();
		}
		return id;
	}

	static void eventType(String name, @Nullable String schema, boolean deprecated) throws SQLException {
		update("insert into event_types (name, schema, deprecated) values (?, cast(? as jsonb), ?)", name, schema,
				deprecated);
	}

	/** What a PATCH of the type's schema writes. */
	static void changeSchema(String name, String schema) throws SQLException {
		update("update event_types set schema = cast(? as jsonb), updated_at = clock_timestamp() where name = ?",
				schema, name);
	}

	static long count(String sql, Object... parameters) throws SQLException {
		return (Long) rows(sql, parameters).get(0).values().iterator().next();
	}

	static List<Map<String, Object>> rows(String sql, Object... parameters) throws SQLException {
		try (Connection connection = connect();
				PreparedStatement select = prepare(connection, sql, parameters);
				ResultSet result = select.executeQuery()) {
			List<Map<String, Object>> rows = new ArrayList<>();
			while (result.next()) {
				Map<String, Object> row = new java.util.LinkedHashMap<>();
				for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
					row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
				}
				rows.add(row);
			}
			return rows;
		}
	}

	private static void update(String sql, @Nullable Object... parameters) throws SQLException {
		try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
			statement.executeUpdate();
		}
	}

	private static PreparedStatement prepare(Connection connection, String sql, @Nullable Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < parameters.length; i++) {
			statement.setObject(i + 1, parameters[i]);
		}
		return statement;
	}

	static Connection connect() throws SQLException {
		return DriverManager.getConnection(TestDatabase.jdbcUrl());
	}

}
