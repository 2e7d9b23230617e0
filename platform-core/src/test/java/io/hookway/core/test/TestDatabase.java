package io.hookway.core.test;

import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The PostgreSQL the tests run against: the one named by
 * {@code HOOKWAY_TEST_DATABASE_URL} (libpq form,
 * {@code postgresql://user@host:port/database}) when it is set, otherwise an embedded
 * PostgreSQL from the binaries on the test class path, one per JVM, and where those
 * cannot run a Testcontainers container, which needs a Docker engine. A named database
 * that does not exist yet is created.
 * <p>
 * PostgreSQL refuses to run as root. Run by root, the embedded server's processes are
 * started in a user namespace of their own ({@code unshare -U}), where they run as the
 * overflow user ({@code nobody}): the library does that itself when it finds root.
 */
public final class TestDatabase {

	private static final Set<String> DROPPED_AT_EXIT = new LinkedHashSet<>();

	public static final String ENVIRONMENT_VARIABLE = "HOOKWAY_TEST_DATABASE_URL";

	private static String url;

	private TestDatabase() {
	}

	/**
	 * For a test's {@code @DynamicPropertySource}. Tests store only throwaway secrets, so
	 * they may also use the published development encryption key.
	 */
	public static void register(DynamicPropertyRegistry registry) {
		registry.add("hookway.database.url", TestDatabase::url);
		registry.add("hookway.secrets.allow-development-key", () -> "true");
	}

	/**
	 * As {@link #register(DynamicPropertyRegistry)}, for another database on the server.
	 */
	public static void register(DynamicPropertyRegistry registry, String databaseUrl) {
		registry.add("hookway.database.url", () -> databaseUrl);
		registry.add("hookway.secrets.allow-development-key", () -> "true");
	}

	/**
	 * For a test class whose application context stays cached while other classes run
	 * against the same server: few connections, the idle ones given back.
	 */
	public static void keepConnectionsFew(DynamicPropertyRegistry registry) {
		registry.add("spring.r2dbc.pool.initial-size", () -> "1");
		registry.add("spring.r2dbc.pool.max-size", () -> "5");
	}

	public static synchronized String url() {
		if (url == null) {
			String configured = System.getenv(ENVIRONMENT_VARIABLE);
			url = (configured != null && !configured.isBlank()) ? configured : startEmbedded();
			createIfMissing();
		}
		return url;
	}

	/**
	 * A fresh machine has the server but not the test database: create it on first use.
	 */
	private static void createIfMissing() {
		String jdbc = jdbcUrl();
		try (Connection connection = DriverManager.getConnection(jdbc)) {
			connection.isValid(1);
		}
		catch (SQLException ex) {
			if (!"3D000".equals(ex.getSQLState())) {
				throw new IllegalStateException("Cannot reach the test database " + url + ": " + ex.getMessage(), ex);
			}
			URI uri = uri();
			String name = uri.getPath().substring(1);
			String maintenance = jdbc.replaceFirst("/" + Pattern.quote(name) + "\\?", "/postgres?");
			try (Connection connection = DriverManager.getConnection(maintenance);
					Statement statement = connection.createStatement()) {
				statement.execute("create database \"" + name.replace("\"", "\"\"") + "\"");
			}
			catch (SQLException createFailed) {
				if (!"42P04".equals(createFailed.getSQLState())) {
					throw new IllegalStateException("Cannot create the test database " + name, createFailed);
				}
			}
		}
	}

	/**
	 * A new, empty database on the same server, for a test whose processes must not share
	 * rows with anything else running in this JVM.
	 */
	public static String fresh(String prefix) {
		String name = prefix + "_" + Long.toHexString(System.nanoTime());
		String jdbc = jdbcUrl();
		String maintenance = jdbc.replaceFirst("/" + Pattern.quote(uri().getPath().substring(1)) + "\\?", "/postgres?");
		try (Connection connection = DriverManager.getConnection(maintenance);
				Statement statement = connection.createStatement()) {
			statement.execute("create database \"" + name + "\"");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot create database " + name, ex);
		}
		return url().replaceFirst("/[^/?]+(\\?|$)", "/" + name + "$1");
	}

	/**
	 * Drops a database made by {@link #fresh(String)} when the test JVM ends, whoever is
	 * still connected to it: not at once, because a test that failed is run again in the
	 * same JVM after its class's {@code @AfterAll} (surefire's
	 * {@code rerunFailingTestsCount}), with the same static URL and the same cached
	 * application context.
	 */
	public static void drop(String freshUrl) {
		synchronized (DROPPED_AT_EXIT) {
			if (DROPPED_AT_EXIT.isEmpty()) {
				Runtime.getRuntime().addShutdownHook(new Thread(TestDatabase::dropAll, "test-database-drop"));
			}
			DROPPED_AT_EXIT.add(freshUrl);
		}
	}

	private static void dropAll() {
		synchronized (DROPPED_AT_EXIT) {
			for (String url : DROPPED_AT_EXIT) {
				try {
					dropNow(url);
				}
				catch (IllegalStateException ex) {
					// an embedded server or a container may have stopped first, taking it
					// along
				}
			}
		}
	}

	private static void dropNow(String freshUrl) {
		String name = URI.create(freshUrl.replaceFirst("^postgres(ql)?://", "postgresql://")).getPath().substring(1);
		String maintenance = jdbcUrl().replaceFirst("/" + Pattern.quote(uri().getPath().substring(1)) + "\\?",
				"/postgres?");
		try (Connection connection = DriverManager.getConnection(maintenance);
				Statement statement = connection.createStatement()) {
			statement.execute("drop database if exists \"" + name + "\" with (force)");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot drop database " + name, ex);
		}
	}

	/** The JDBC form of a libpq URL, for tests that inspect the database directly. */
	public static String jdbcUrl(String libpqUrl) {
		URI uri = URI.create(libpqUrl.replaceFirst("^postgres(ql)?://", "postgresql://"));
		String userInfo = uri.getUserInfo();
		String user = (userInfo != null) ? userInfo.split(":", 2)[0] : "postgres";
		String password = (userInfo != null && userInfo.contains(":")) ? userInfo.split(":", 2)[1] : "";
		String port = (uri.getPort() != -1) ? ":" + uri.getPort() : "";
		return "jdbc:postgresql://" + uri.getHost() + port + uri.getPath() + "?user=" + user
				+ (password.isEmpty() ? "" : "&password=" + password);
	}

	/** The JDBC form of {@link #url()}, for tests that inspect the database directly. */
	public static String jdbcUrl() {
		return jdbcUrl(url());
	}

	private static URI uri() {
		return URI.create(url().replaceFirst("^postgres(ql)?://", "postgresql://"));
	}

	/** Falls back to a container where the embedded server cannot run. */
	private static String startEmbedded() {
		try {
			return embedded();
		}
		catch (IOException | RuntimeException ex) {
			System.err.println("Embedded PostgreSQL did not start (" + ex + "); trying Testcontainers");
			return startContainer();
		}
	}

	/**
	 * A throwaway embedded server, stopped and deleted when the JVM exits; its URL names
	 * the database {@code hookway_test}, which does not exist yet.
	 */
	static String embedded() throws IOException {
		EmbeddedPostgres postgres = EmbeddedPostgres.builder().setPGStartupWait(Duration.ofMinutes(2)).start();
		return "postgresql://postgres@127.0.0.1:" + postgres.getPort() + "/hookway_test";
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
