package io.hookway.core.test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Plain JDBC on one database, for setting rows up and reading them back around the
 * service under test, on the test's own thread: a new connection for each statement, so
 * what is read was committed. A failure of the statement is an
 * {@link IllegalStateException}. A parameter that is a {@link List} of strings is bound
 * as a {@code text[]}.
 */
public final class TestRows {

	private final @Nullable String databaseUrl;

	private TestRows(@Nullable String databaseUrl) {
		this.databaseUrl = databaseUrl;
	}

	/** The rows of {@link TestDatabase#url()}, found on first use. */
	public static TestRows testDatabase() {
		return new TestRows(null);
	}

	/** The rows of another database, such as one made by {@link TestDatabase#fresh}. */
	public static TestRows of(String databaseUrl) {
		return new TestRows(databaseUrl);
	}

	/** Runs an insert, update or delete (or any other statement) with its parameters. */
	public void execute(String sql, @Nullable Object... parameters) {
		try (Connection connection = connect(); PreparedStatement statement = prepare(connection, sql, parameters)) {
			statement.execute();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The first column of the first row as text; null when there is no row. */
	public @Nullable String single(String sql, @Nullable Object... parameters) {
		try (Connection connection = connect();
				PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet result = statement.executeQuery()) {
			return result.next() ? result.getString(1) : null;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The first column of every row, as text. */
	public List<@Nullable String> column(String sql, @Nullable Object... parameters) {
		try (Connection connection = connect();
				PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet result = statement.executeQuery()) {
			List<@Nullable String> column = new ArrayList<>();
			while (result.next()) {
				column.add(result.getString(1));
			}
			return column;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The number the query answers, such as a {@code count(*)}. */
	public long count(String sql, @Nullable Object... parameters) {
		String count = single(sql, parameters);
		if (count == null) {
			throw new IllegalStateException("No row from " + sql);
		}
		return Long.parseLong(count);
	}

	/** Every row, each a map from column label to value, in the order of the columns. */
	public List<Map<String, @Nullable Object>> rows(String sql, @Nullable Object... parameters) {
		try (Connection connection = connect();
				PreparedStatement statement = prepare(connection, sql, parameters);
				ResultSet result = statement.executeQuery()) {
			List<Map<String, @Nullable Object>> rows = new ArrayList<>();
			while (result.next()) {
				Map<String, @Nullable Object> row = new LinkedHashMap<>();
				for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
					row.put(result.getMetaData().getColumnLabel(i), result.getObject(i));
				}
				rows.add(row);
			}
			return rows;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A connection of the test's own, for what the methods above cannot do. */
	public Connection connect() throws SQLException {
		return DriverManager.getConnection(
				(this.databaseUrl != null) ? TestDatabase.jdbcUrl(this.databaseUrl) : TestDatabase.jdbcUrl());
	}

	private static PreparedStatement prepare(Connection connection, String sql, @Nullable Object... parameters)
			throws SQLException {
		PreparedStatement statement = connection.prepareStatement(sql);
		for (int i = 0; i < parameters.length; i++) {
			if (parameters[i] instanceof List<?> list) {
				Array array = connection.createArrayOf("text", list.toArray());
				statement.setArray(i + 1, array);
			}
			else {
				statement.setObject(i + 1, parameters[i]);
			}
		}
		return statement;
	}

}
