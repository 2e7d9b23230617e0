package io.hookway.standalone.database;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts the embedded PostgreSQL when no database is configured
 * ({@code hookway.database.url}) and none answers at the default address, so that the
 * standalone process needs nothing but a JDK. A configured URL always wins; a server at
 * the default address is used as before. The server is stopped after the application
 * context has closed.
 */
public class EmbeddedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	private static final Log logger = LogFactory.getLog(EmbeddedDatabaseInitializer.class);

	/** Where {@code hookway.database.url} points when it is not set. */
	static final InetSocketAddress DEFAULT_ADDRESS = new InetSocketAddress("127.0.0.1", 5432);

	private final InetSocketAddress defaultAddress;

	public EmbeddedDatabaseInitializer() {
		this(DEFAULT_ADDRESS);
	}

	EmbeddedDatabaseInitializer(InetSocketAddress defaultAddress) {
		this.defaultAddress = defaultAddress;
	}

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		if (environment.containsProperty("hookway.database.url")) {
			return;
		}
		EmbeddedDatabaseSettings settings = Binder.get(environment)
			.bindOrCreate("hookway.embedded-database", EmbeddedDatabaseSettings.class);
		if (!settings.enabled() || answers(this.defaultAddress)) {
			return;
		}
		if (runsAsRoot()) {
			throw new EmbeddedDatabaseException(
					"No database is configured and none answers at " + address(this.defaultAddress)
							+ ", so Hookway would start its embedded PostgreSQL, "
							+ "but this process runs as root and PostgreSQL refuses to run as root.",
					"Start Hookway as a normal user, or give it a database: "
							+ "--hookway.database.url=postgresql://user:password@host:5432/hookway");
		}
		EmbeddedDataDirectory directory = EmbeddedDataDirectory.take(settings.directory());
		EmbeddedDatabase database;
		try {
			database = EmbeddedDatabase.start(directory);
		}
		catch (RuntimeException ex) {
			directory.release();
			throw ex;
		}
		SpringApplication.getShutdownHandlers().add(database::stop);
		logger.info("No database configured and none at " + address(this.defaultAddress)
				+ ": starting an embedded PostgreSQL at " + database.url() + " (user " + EmbeddedDatabase.USER
				+ ", password in " + directory.passwordFile() + ") with its data in " + directory.root());
		environment.getPropertySources()
			.addFirst(new MapPropertySource("embeddedDatabase",
					Map.of("hookway.database.url", database.url(), "hookway.database.username", EmbeddedDatabase.USER,
							"hookway.database.password", directory.password())));
		context.getBeanFactory().registerSingleton("embeddedDatabase", database);
	}

	/** A refused connection on the loopback interface answers at once. */
	private static boolean answers(InetSocketAddress address) {
		try (Socket socket = new Socket()) {
			socket.connect(address, 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean runsAsRoot() {
		try {
			return new UnixSystem().getUid() == 0;
		}
		catch (LinkageError ex) {
			// not a Unix system
			return false;
		}
	}

	private static String address(InetSocketAddress address) {
		return address.getHostString() + ":" + address.getPort();
	}

}
