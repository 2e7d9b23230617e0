package io.hookway.dispatcher;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.webhook.WebhookSecret;

/**
 * Applications, endpoints, messages and deliveries written over JDBC as the portal and
 * the gateway write them, and read back, for tests of one database.
 */
final class WebhookRows {

	private final String jdbcUrl;

	private final SecretCipher cipher;

	WebhookRows(String database, SecretCipher cipher) {
		this.jdbcUrl = TestDatabase.jdbcUrl(database);
		this.cipher = cipher;
	}

	UUID application() throws SQLException {
		return application(IdKind.newUuid());
	}

	UUID application(UUID id) throws SQLException {
		execute("insert into applications (id, name, client_id, client_secret_hash, scopes) "
				+ "values (?, 'rows', ?, 'unused', array['webhooks:manage'])", id, "cli_" + id);
		return id;
	}

	/** An enabled endpoint subscribed to the types, signing with the secret. */
	UUID endpoint(UUID application, String url, WebhookSecret secret, String... eventTypes) throws SQLException {
		UUID id = IdKind.newUuid();
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				PreparedStatement statement = connection
					.prepareStatement("insert into webhook_endpoints (id, application_id, url, event_types, "
							+ "secret_encrypted) values (?, ?, ?, ?, ?)")) {
			statement.setObject(1, id);
			statement.setObject(2, application);
			statement.setString(3, url);
			statement.setArray(4, connection.createArrayOf("text", eventTypes));
			statement.setBytes(5, this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, secret.key()));
			statement.executeUpdate();
		}
		return id;
	}

	/** Messages of the type, each with one delivery to the endpoint, due now. */
	void messages(UUID application, UUID endpoint, String eventType, int count) throws SQLException {
		execute("""
				with m as (
				    insert into webhook_messages (id, application_id, event_type, payload)
				    select gen_random_uuid(), ?, ?, '{"n":' || n || '}' from generate_series(1, ?) n
				    returning id, application_id, event_type
				)
				insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
				select m.id, ?, m.application_id, m.event_type, now() from m""", application, eventType, count,
				endpoint);
	}

	/** The first column of the first row, as text; null without a row. */
	String single(String sql, Object... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				PreparedStatement statement = prepared(connection, sql, parameters);
				ResultSet result = statement.executeQuery()) {
			return result.next() ? result.getString(1) : null;
		}
	}

	long count(String sql, Object... parameters) throws SQLException {
		String count = single(sql, parameters);
		return (count != null) ? Long.parseLong(count) : 0;
	}

	/** As {@link #count}, for conditions polled until they hold. */
	long countQuietly(String sql, Object... parameters) {
		try {
			return count(sql, parameters);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	void execute(String sql, Object... parameters) throws SQLException {
		try (Connection connection = DriverManager.getConnection(this.jdbcUrl);
				PreparedStatement statement = prepared(connection, sql, parameters)) {
			statement.execute();
		}
	}

	private static PreparedStatement prepared(Connection connection, String sql, Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < parameters.length; i++) {
			statement.setObject(i + 1, parameters[i]);
		}
		return statement;
	}

}
