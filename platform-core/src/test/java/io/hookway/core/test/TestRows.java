package io.hookway.core.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/**
 * Plain JDBC on the test database ({@link TestDatabase#jdbcUrl()}), for setting rows up
 * and reading them back around the service under test, on the test's own thread. A
 * failure of the statement is an {@link IllegalStateException}.
 */
public final class TestRows {

	private TestRows() {
	}

	/** Runs an insert, update or delete with its parameters. */
	public static void execute(String sql, Object... parameters) {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
				PreparedStatement statement = prepare(connection, sql, parameters)) {
			statement.executeUpdate();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The first column of the first row as text; null when there is no row. */
	public static @Nullable String single(String sql, Object... parameters) {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
				PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet result = statement.executeQuery()) {
			return result.next() ? result.getString(1) : null;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The number the query answers, such as a {@code count(*)}. */
	public static long count(String sql, Object... parameters) {
		String count = single(sql, parameters);
		if (count == null) {
			throw new IllegalStateException("No row from " + sql);
		}
		return Long.parseLong(count);
	}

	private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < parameters.length; i++) {
			statement.setObject(i + 1, parameters[i]);
		}
		return statement;
	}

}
