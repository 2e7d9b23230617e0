package io.hookway.standalone.database;

import java.nio.file.Path;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The PostgreSQL the standalone process starts itself when no database is configured and
 * none answers at the default address.
 *
 * @param enabled whether it may start one; {@code false} makes such a start fail as
 * before, on the missing database
 * @param directory where its data, password, log and unpacked binaries live; survives
 * restarts
 */
@ConfigurationProperties("hookway.embedded-database")
public record EmbeddedDatabaseSettings(@DefaultValue("true") boolean enabled, Path directory) {

	/** Unset, the directory is {@code ~/.hookway/postgres}. */
	public EmbeddedDatabaseSettings {
		@Nullable Path given = directory;
		directory = ((given != null) ? given : Path.of(System.getProperty("user.home"), ".hookway", "postgres"))
			.toAbsolutePath()
			.normalize();
	}

}
