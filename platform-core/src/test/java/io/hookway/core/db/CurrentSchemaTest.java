package io.hookway.core.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.TestDatabase;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway is skipped at start-up only when every migration on the class path is applied
 * and none failed.
 */
class CurrentSchemaTest {

	private final String url = TestDatabase.fresh("current_schema");

	private final Flyway flyway = Flyway.configure()
		.dataSource(TestDatabase.jdbcUrl(this.url), null, null)
		.locations("classpath:db/migration")
		.load();

	@AfterEach
	void drop() {
		TestDatabase.drop(this.url);
	}

	@Test
	void everyReleasedMigrationIsFoundOnTheClassPath() {
		assertThat(CurrentSchema.availableVersions(this.flyway)).contains("1", "2", "3", "4", "5", "6");
	}

	@Test
	void emptyDatabaseIsMigrated() throws SQLException {
		assertThat(CurrentSchema.isCurrent(this.flyway)).isFalse();
		CurrentSchema.migrate(this.flyway);
		assertThat(count("select count(*) from flyway_schema_history where success"))
			.isEqualTo(CurrentSchema.availableVersions(this.flyway).size());
	}

	@Test
	void fullyMigratedSchemaIsCurrent() {
		this.flyway.migrate();
		assertThat(CurrentSchema.isCurrent(this.flyway)).isTrue();
	}

	@Test
	void schemaLackingTheLatestMigrationIsNotCurrent() throws SQLException {
		this.flyway.migrate();
		execute("delete from flyway_schema_history where installed_rank = "
				+ "(select max(installed_rank) from flyway_schema_history)");
		assertThat(CurrentSchema.isCurrent(this.flyway)).isFalse();
	}

	@Test
	void failedMigrationIsLeftToFlyway() throws SQLException {
		this.flyway.migrate();
		execute("update flyway_schema_history set success = false where installed_rank = "
				+ "(select max(installed_rank) from flyway_schema_history)");
		assertThat(CurrentSchema.isCurrent(this.flyway)).isFalse();
	}

	private void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(this.url));
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private long count(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestDatabase.jdbcUrl(this.url));
				Statement statement = connection.createStatement();
				var result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
	}

}
