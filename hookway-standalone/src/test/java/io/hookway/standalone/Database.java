package io.hookway.standalone;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import io.hookway.core.test.TestDatabase;

/**
 * Reads the test database directly, over a connection of its own, to check what was
 * committed.
 */
final class Database {

	private Database() {
	}

	static long count(String sql, Object... parameters) {
		return ((Number) single(sql, parameters)).longValue();
	}

	/** The first column of the first row, or null when there is no row. */
	static Object single(String sql, Object... parameters) {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl());
				PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			try (ResultSet result = statement.executeQuery()) {
				return result.next() ? result.getObject(1) : null;
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
