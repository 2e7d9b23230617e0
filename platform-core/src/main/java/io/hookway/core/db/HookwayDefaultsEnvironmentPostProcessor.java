package io.hookway.core.db;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Spring Boot defaults every Hookway service shares, added with the lowest precedence so
 * that any property, argument or environment variable overrides them. The database
 * connection is derived from {@link DatabaseSettings} when the {@code spring.r2dbc} and
 * {@code spring.flyway} keys are not given; it is derived at lookup time because test
 * frameworks add their properties after environment post-processing.
 * <p>
 * {@code server.forward-headers-strategy} is {@code none}: left unset, Spring Boot trusts
 * {@code Forwarded} and {@code X-Forwarded-*} from any client as soon as it detects a
 * cloud platform, and on Kubernetes that is every pod (its service variables are always
 * there), whether or not a proxy in front rewrites those headers. The peer address and
 * scheme would then be the client's to choose: in the forwarding headers the gateway sets
 * for upstreams and in anything kept per address. Behind a proxy that does rewrite them,
 * set it to {@code native}.
 */
class HookwayDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new DatabasePropertySource(environment));
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.flyway.locations", "classpath:db/migration");
		defaults.put("spring.r2dbc.pool.max-size", "20");
		defaults.put("spring.r2dbc.pool.max-acquire-time", "5s");
		defaults.put("spring.r2dbc.pool.max-create-connection-time", "5s");
		defaults.put("spring.codec.max-in-memory-size", "1MB");
		// a connection waiting for its next request is closed after this; slow request
		// headers and bodies have their own deadlines (hookway.server.*)
		defaults.put("server.netty.idle-timeout", "60s");
		// see the class comment: a client must not choose its own address
		defaults.put("server.forward-headers-strategy", "none");
		defaults.put("server.compression.enabled", "true");
		defaults.put("server.compression.mime-types",
				"application/json,application/problem+json,application/jwk-set+json,text/plain");
		defaults.put("spring.jackson.default-property-inclusion", "always");
		// the API document: JSON answers, and the same text for the same code (it is
		// committed and compared)
		defaults.put("springdoc.default-produces-media-type", "application/json");
		defaults.put("springdoc.writer-with-order-by-keys", "true");
		defaults.put("management.endpoints.web.exposure.include", "health,info,prometheus");
		defaults.put("management.endpoint.health.probes.enabled", "true");
		// latency histograms for upstream calls and webhook attempts only: for every
		// served URI and status they would multiply the scrape
		defaults.put("management.metrics.distribution.percentiles-histogram.hookway.upstream", "true");
		defaults.put("management.metrics.distribution.percentiles-histogram.hookway.webhook", "true");
		defaults.put("management.endpoint.health.group.readiness.include", "readinessState,r2dbc");
		defaults.put("spring.lifecycle.timeout-per-shutdown-phase", "20s");
		// the JSON Schema validator logs a client's broken schema (a bad pattern) as an
		// error before it throws; the service answers 422 for it, and logs what it cannot
		defaults.put("logging.level.com.networknt.schema", "off");
		environment.getPropertySources().addLast(new MapPropertySource("hookwayDefaults", defaults));
	}

	/**
	 * Answers only the six connection keys, each looked up from
	 * {@code hookway.database.*} when asked. Not enumerable on purpose: it must not be
	 * cached as a snapshot of values.
	 */
	private static final class DatabasePropertySource extends PropertySource<Object> {

		private final ConfigurableEnvironment environment;

		/**
		 * The environment is a field, not the source: Spring Boot walks into property
		 * sources whose source is an environment, which here would be a cycle.
		 */
		DatabasePropertySource(ConfigurableEnvironment environment) {
			super("hookwayDatabase", new Object());
			this.environment = environment;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return switch (name) {
				case "spring.r2dbc.url" -> "r2dbc:postgresql://" + settings().location();
				case "spring.flyway.url" -> "jdbc:postgresql://" + settings().location();
				case "spring.r2dbc.username", "spring.flyway.user" -> settings().effectiveUsername();
				case "spring.r2dbc.password", "spring.flyway.password" -> settings().effectivePassword();
				default -> null;
			};
		}

		private DatabaseSettings settings() {
			ConfigurableEnvironment environment = this.environment;
			return new DatabaseSettings(
					environment.getProperty("hookway.database.url", "postgresql://127.0.0.1:5432/hookway"),
					environment.getProperty("hookway.database.username"),
					environment.getProperty("hookway.database.password"));
		}

	}

}
