package io.hookway.core.test;

import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The PostgreSQL the tests run against: the one named by {@code HOOKWAY_TEST_DATABASE_URL}
 * (libpq form, {@code postgresql://user@host:port/database}) when it is set, otherwise one
 * Testcontainers container per JVM, which needs a Docker engine.
 */
public final class TestDatabase {

	public static final String ENVIRONMENT_VARIABLE = "HOOKWAY_TEST_DATABASE_URL";

	private static String url;

	private TestDatabase() {
	}

	/** For a test's {@code @DynamicPropertySource}. */
	public static void register(DynamicPropertyRegistry registry) {
		registry.add("hookway.database.url", TestDatabase::url);
	}

	public static synchronized String url() {
		if (url == null) {
			String configured = System.getenv(ENVIRONMENT_VARIABLE);
			url = (configured != null && !configured.isBlank()) ? configured : startContainer();
		}
		return url;
	}

	/** The JDBC form of {@link #url()}, for tests that inspect the database directly. */
	public static String jdbcUrl() {
		java.net.URI uri = java.net.URI.create(url().replaceFirst("^postgres(ql)?://", "postgresql://"));
		String userInfo = uri.getUserInfo();
		String user = (userInfo != null) ? userInfo.split(":", 2)[0] : "postgres";
		String password = (userInfo != null && userInfo.contains(":")) ? userInfo.split(":", 2)[1] : "";
		String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
		return "jdbc:postgresql://" + uri.getHost() + port + uri.getPath() + "?user=" + user
				+ (password.isEmpty() ? "" : "&password=" + password);
	}

	@SuppressWarnings("resource")
	private static String startContainer() {
		PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
		container.start();
		Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
		return "postgresql://" + container.getUsername() + ":" + container.getPassword() + "@" + container.getHost()
				+ ":" + container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT) + "/"
				+ container.getDatabaseName();
	}

}
