package io.hookway.core.db;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * {@code --hookway.migrate-and-exit=true}: the process applies the Flyway migrations
 * while it starts, then exits with 0. The Helm chart's migration hook runs a service
 * image this way, so the services themselves can start with migrations off.
 */
@AutoConfiguration(after = FlywayAutoConfiguration.class)
@ConditionalOnBooleanProperty("hookway.migrate-and-exit")
public class MigrateAndExitConfiguration {

	@Bean
	ApplicationRunner migrateAndExit(ConfigurableApplicationContext context) {
		return (arguments) -> System.exit(SpringApplication.exit(context, () -> 0));
	}

}
