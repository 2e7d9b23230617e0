package io.hookway.standalone.database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;

import io.hookway.core.db.CurrentSchema;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Standalone mode starts on a bare local PostgreSQL or its embedded one: when the
 * configured database does not exist yet it is created (this needs the CREATEDB
 * privilege), then migrated. The services on their own expect the database to exist.
 */
@Component
class DatabaseBootstrap implements FlywayMigrationStrategy {

	private static final Log logger = LogFactory.getLog(DatabaseBootstrap.class);

	/** PostgreSQL's SQLSTATE for "database does not exist". */
	private static final String INVALID_CATALOG_NAME = "3D000";

	private final Environment environment;

	private final ObjectProvider<EmbeddedDatabase> embeddedDatabase;

	DatabaseBootstrap(Environment environment, ObjectProvider<EmbeddedDatabase> embeddedDatabase) {
		this.environment = environment;
		this.embeddedDatabase = embeddedDatabase;
	}

	@Override
	public void migrate(Flyway flyway) {
		// started in the background while the context was built
		this.embeddedDatabase.ifAvailable(EmbeddedDatabase::awaitStarted);
		try (Connection connection = flyway.getConfiguration().getDataSource().getConnection()) {
			logger.debug("Database reachable as " + connection.getMetaData().getURL());
		}
		catch (SQLException ex) {
			if (!INVALID_CATALOG_NAME.equals(ex.getSQLState())) {
				throw new IllegalStateException("Cannot connect to the database: " + ex.getMessage(), ex);
			}
			createDatabase();
		}
		CurrentSchema.migrate(flyway);
	}

	private void createDatabase() {
		String url = this.environment.getRequiredProperty("spring.flyway.url");
		int slash = url.indexOf('/', "jdbc:postgresql://".length());
		int query = url.indexOf('?', slash);
		String name = (query < 0) ? url.substring(slash + 1) : url.substring(slash + 1, query);
		String maintenanceUrl = url.substring(0, slash + 1) + "postgres" + ((query < 0) ? "" : url.substring(query));
		Properties credentials = new Properties();
		credentials.setProperty("user", this.environment.getProperty("spring.flyway.user", "postgres"));
		credentials.setProperty("password", this.environment.getProperty("spring.flyway.password", ""));
		try (Connection connection = DriverManager.getConnection(maintenanceUrl, credentials);
				Statement statement = connection.createStatement()) {
			statement.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
			logger.info("Created database " + name);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(
					"Database " + name + " does not exist and could not be created: " + ex.getMessage(), ex);
		}
	}

}
