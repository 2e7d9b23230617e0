package io.hookway.core.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.Location;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Whether every migration on the class path is already applied. A service restarting on a
 * current schema then reads one table instead of letting Flyway read, checksum and
 * validate every migration, which is most of what a start spends on the database. The
 * migrations themselves are never edited once released, so their checksums need no check
 * at each start; a schema that lacks a migration, or holds a failed one, goes through
 * Flyway as before.
 */
public final class CurrentSchema {

	private static final Log logger = LogFactory.getLog(CurrentSchema.class);

	private static final Pattern VERSIONED = Pattern.compile("^V([0-9]+(?:[._][0-9]+)*)__.*\\.sql$");

	private CurrentSchema() {
	}

	/** Migrates unless every migration is applied already. */
	public static void migrate(Flyway flyway) {
		if (isCurrent(flyway)) {
			return;
		}
		flyway.migrate();
	}

	static boolean isCurrent(Flyway flyway) {
		Set<String> available = availableVersions(flyway);
		Set<String> applied = new HashSet<>();
		String schema = flyway.getConfiguration().getDefaultSchema();
		String table = ((schema != null) ? quoted(schema) + "." : "") + quoted(flyway.getConfiguration().getTable());
		try (Connection connection = flyway.getConfiguration().getDataSource().getConnection();
				Statement statement = connection.createStatement();
				ResultSet rows = statement
					.executeQuery("select version, success from " + table + " where version is not null")) {
			while (rows.next()) {
				if (!rows.getBoolean(2)) {
					return false;
				}
				applied.add(rows.getString(1));
			}
		}
		catch (SQLException ex) {
			// no history table yet, or no access to it: Flyway says what is wrong
			return false;
		}
		if (available.isEmpty() || !applied.containsAll(available)) {
			return false;
		}
		logger.info("Schema is current (" + available.size() + " migrations applied): migration skipped");
		return true;
	}

	private static String quoted(String identifier) {
		return "\"" + identifier.replace("\"", "\"\"") + "\"";
	}

	/**
	 * The versions of the SQL migrations in Flyway's class path locations; none when
	 * there are migrations this check does not understand (repeatable ones, or ones
	 * outside the class path), which leaves them to Flyway.
	 */
	static Set<String> availableVersions(Flyway flyway) {
		Set<String> versions = new TreeSet<>();
		PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(
				flyway.getConfiguration().getClassLoader());
		for (Location location : flyway.getConfiguration().getLocations()) {
			if (!"classpath:".equals(location.getPrefix())) {
				return Set.of();
			}
			try {
				for (Resource resource : resolver.getResources("classpath*:" + location.getRootPath() + "/**/*.sql")) {
					Matcher versioned = VERSIONED.matcher(String.valueOf(resource.getFilename()));
					if (!versioned.matches()) {
						return Set.of();
					}
					versions.add(versioned.group(1).replace('_', '.'));
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return versions;
	}

}
