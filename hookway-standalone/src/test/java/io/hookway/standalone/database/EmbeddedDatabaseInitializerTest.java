package io.hookway.standalone.database;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.sun.security.auth.module.UnixSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * When the standalone process starts its own PostgreSQL: only without a configured URL
 * and with nothing answering at the default address. The address stands in for
 * 127.0.0.1:5432, which a test cannot free.
 */
class EmbeddedDatabaseInitializerTest {

	@TempDir
	Path temporary;

	@Test
	void configuredUrlWinsEvenWhenNothingAnswersAtTheDefaultAddress() throws IOException {
		GenericApplicationContext context = context(
				Map.of("hookway.database.url", "postgresql://db.example:5432/hookway"));
		new EmbeddedDatabaseInitializer(closedAddress()).initialize(context);
		assertNothingEmbedded(context);
		assertThat(context.getEnvironment().getProperty("hookway.database.url"))
			.isEqualTo("postgresql://db.example:5432/hookway");
	}

	@Test
	void serverAnsweringAtTheDefaultAddressIsUsed() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			GenericApplicationContext context = context(Map.of());
			new EmbeddedDatabaseInitializer(new InetSocketAddress("127.0.0.1", server.getLocalPort()))
				.initialize(context);
			assertNothingEmbedded(context);
		}
	}

	@Test
	void disabledEmbeddingLeavesTheDefaultAddress() throws IOException {
		GenericApplicationContext context = context(Map.of("hookway.embedded-database.enabled", "false"));
		new EmbeddedDatabaseInitializer(closedAddress()).initialize(context);
		assertNothingEmbedded(context);
	}

	@Test
	void rootIsToldWhyItCannotAndWhatToDo() throws IOException {
		assumeTrue(new UnixSystem().getUid() == 0, "runs as root only");
		GenericApplicationContext context = context(Map.of());
		assertThatExceptionOfType(EmbeddedDatabaseException.class)
			.isThrownBy(() -> new EmbeddedDatabaseInitializer(closedAddress()).initialize(context))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("PostgreSQL refuses to run as root");
				assertThat(ex.action()).contains("normal user").contains("--hookway.database.url=");
			});
		assertNothingEmbedded(context);
	}

	private GenericApplicationContext context(Map<String, Object> properties) {
		Map<String, Object> all = new HashMap<>(properties);
		all.put("hookway.embedded-database.directory", directory().toString());
		GenericApplicationContext context = new GenericApplicationContext();
		context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test", all));
		return context;
	}

	private void assertNothingEmbedded(GenericApplicationContext context) {
		assertThat(context.getBeanFactory().containsSingleton("embeddedDatabase")).isFalse();
		assertThat(directory()).doesNotExist();
	}

	private Path directory() {
		return this.temporary.resolve("postgres");
	}

	/** A loopback port nothing listens on: just freed. */
	private static InetSocketAddress closedAddress() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
		}
	}

}
