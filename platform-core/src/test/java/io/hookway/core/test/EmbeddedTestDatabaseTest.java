package io.hookway.core.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tests' database without {@code HOOKWAY_TEST_DATABASE_URL} and without Docker: an
 * embedded PostgreSQL 17, which starts even when the tests run as root.
 */
class EmbeddedTestDatabaseTest {

	@Test
	void embeddedServerStartsAndTakesStatements() throws Exception {
		String url = TestDatabase.embedded();
		String maintenance = TestDatabase.jdbcUrl(url.replace("/hookway_test", "/postgres"));
		try (Connection connection = DriverManager.getConnection(maintenance);
				Statement statement = connection.createStatement()) {
			statement.execute("create database hookway_test");
		}
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(url));
				Statement statement = connection.createStatement()) {
			statement.execute("create table probe (id int primary key)");
			statement.execute("insert into probe values (1), (2)");
			try (ResultSet result = statement
				.executeQuery("select count(*), current_setting('server_version_num')::int from probe")) {
				assertThat(result.next()).isTrue();
				assertThat(result.getInt(1)).isEqualTo(2);
				assertThat(result.getInt(2)).isGreaterThanOrEqualTo(170000);
			}
		}
	}

}
