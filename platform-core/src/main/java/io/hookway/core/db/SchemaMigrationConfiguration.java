package io.hookway.core.db;

import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;

/**
 * Flyway runs at start-up only when the schema lacks a migration (see
 * {@link CurrentSchema}).
 */
@AutoConfiguration(before = FlywayAutoConfiguration.class)
@ConditionalOnClass(Flyway.class)
public class SchemaMigrationConfiguration {

	@Bean
	@ConditionalOnMissingBean
	FlywayMigrationStrategy currentSchemaMigration() {
		return CurrentSchema::migrate;
	}

}
