package io.hookway.standalone.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A PostgreSQL server of the standalone process's own, run from the binaries on the class
 * path with its data in an {@link EmbeddedDataDirectory}. It listens on the loopback
 * interface only, on a port found free at each start, and asks for the password of its
 * directory. It starts in the background while the application context is built:
 * {@link #awaitStarted()} waits for it.
 */
public final class EmbeddedDatabase {

	private static final Log logger = LogFactory.getLog(EmbeddedDatabase.class);

	static final String USER = "postgres";

	private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

	private final EmbeddedDataDirectory directory;

	private final int port;

	private final CompletableFuture<EmbeddedPostgres> server = new CompletableFuture<>();

	private EmbeddedDatabase(EmbeddedDataDirectory directory, int port) {
		this.directory = directory;
		this.port = port;
	}

	/** Takes the directory and starts the server on a thread of its own. */
	static EmbeddedDatabase start(EmbeddedDataDirectory directory) {
		EmbeddedDatabase database = new EmbeddedDatabase(directory, freePort());
		Thread starter = new Thread(database::run, "embedded-postgres-start");
		starter.setDaemon(true);
		starter.start();
		return database;
	}

	String url() {
		return "postgresql://127.0.0.1:" + this.port + "/hookway";
	}

	EmbeddedDataDirectory directory() {
		return this.directory;
	}

	/** Blocks until the server answers, or throws why it did not start. */
	public void awaitStarted() {
		try {
			this.server.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new EmbeddedDatabaseException(
					"The embedded PostgreSQL in " + this.directory.root() + " did not start: "
							+ ex.getCause().getMessage(),
					"See its log, " + this.directory.log() + ". To use another database, set hookway.database.url.",
					ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new EmbeddedDatabaseException(
					"The embedded PostgreSQL in " + this.directory.root() + " did not start within " + START_TIMEOUT,
					"See its log, " + this.directory.log() + ".");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while the embedded PostgreSQL started", ex);
		}
	}

	/** Stops the server, after a start in progress, and frees the directory. */
	void stop() {
		try {
			this.server.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS).close();
			logger.info("Stopped the embedded PostgreSQL in " + this.directory.root());
		}
		catch (ExecutionException | TimeoutException ex) {
			// it never ran, or a server still running is stopped at the next start
		}
		catch (IOException ex) {
			logger.warn("Stopping the embedded PostgreSQL failed: " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			this.directory.release();
		}
	}

	private void run() {
		Redirect log = Redirect.appendTo(this.directory.log().toFile());
		try {
			this.server.complete(EmbeddedPostgres.builder()
				.setDataDirectory(this.directory.data())
				.setCleanDataDirectory(false)
				.setRegisterShutdownHook(false)
				.setOverrideWorkingDirectory(this.directory.binaries().toFile())
				.setPort(this.port)
				.setPGStartupWait(START_TIMEOUT)
				.setServerConfig("listen_addresses", "localhost")
				.setServerConfig("unix_socket_directories", "''")
				// the builder's defaults suit throwaway test databases; these data must
				// survive a crash like any PostgreSQL's
				.setServerConfig("fsync", "on")
				.setServerConfig("synchronous_commit", "on")
				// options of initdb, which runs at the first start only
				.setLocaleConfig("pwfile", this.directory.passwordFile().toString())
				.setLocaleConfig("auth-host", "scram-sha-256")
				.setLocaleConfig("auth-local", "scram-sha-256")
				.setConnectConfig("password", this.directory.password())
				.setOutputRedirector(log)
				.setErrorRedirector(log)
				.start());
		}
		catch (IOException | RuntimeException | Error ex) {
			// also said here: with migrations off nothing may wait for the server
			logger.error("The embedded PostgreSQL did not start; see " + this.directory.log(), ex);
			this.server.completeExceptionally(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
