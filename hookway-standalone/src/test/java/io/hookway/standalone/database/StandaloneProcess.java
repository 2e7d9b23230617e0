package io.hookway.standalone.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged standalone jar in a JVM of its own, started the way the test needs it: as
 * the current user, or, when the tests run as root, as {@code nobody} in a network
 * namespace of its own where nothing answers at 127.0.0.1:5432 (PostgreSQL refuses root,
 * and the machine's server must not be found). HTTP calls go through
 * {@link #curl(String...)}, inside that namespace.
 */
final class StandaloneProcess implements AutoCloseable {

	/** The unprivileged user of Debian and most distributions. */
	static final String NOBODY_ID = "65534";

	private final Process process;

	private final Path log;

	private final int port;

	private final int managementPort;

	private final List<String> namespace;

	private StandaloneProcess(Process process, Path log, int port, int managementPort, List<String> namespace) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
		this.namespace = namespace;
	}

	/**
	 * Starts the jar; {@code privileges} says as whom and in which network namespace.
	 */
	static StandaloneProcess start(Path jar, Path log, Privileges privileges, List<String> arguments)
			throws IOException {
		int port = freePort();
		int managementPort = freePort();
		List<String> java = new ArrayList<>(List.of(javaExecutable(), "-jar", jar.toString(), "--server.port=" + port,
				"--management.server.port=" + managementPort, "--spring.profiles.active=demo"));
		java.addAll(arguments);
		Files.createDirectories(log.getParent());
		Process process = new ProcessBuilder(privileges.command(java)).redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.directory(jar.getParent().toFile())
			.start();
		return new StandaloneProcess(process, log, port, managementPort, privileges.namespaceOf(process));
	}

	int port() {
		return this.port;
	}

	long pid() {
		return this.process.pid();
	}

	String log() {
		try {
			return Files.readString(this.log, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until the readiness probe answers 200; fails at once if the process ends. */
	StandaloneProcess awaitReady() {
		await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			assertThat(this.process.isAlive()).as("still running; its log:%n%s", log()).isTrue();
			assertThat(curl("-o", "/dev/null", "-w", "%{http_code}",
					"http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
				.isEqualTo("200");
		});
		return this;
	}

	/** Runs curl in the process's network namespace and returns what it printed. */
	String curl(String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(this.namespace);
		command.addAll(List.of("curl", "-s", "--max-time", "30"));
		command.addAll(List.of(arguments));
		Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		curl.waitFor(1, TimeUnit.MINUTES);
		return output;
	}

	/** Waits for the process to end by itself and returns its exit code. */
	int awaitExit() throws InterruptedException {
		assertThat(this.process.waitFor(5, TimeUnit.MINUTES)).as("ended; its log:%n%s", log()).isTrue();
		return this.process.exitValue();
	}

	/** SIGTERM, as a service manager stops it: a graceful shutdown. */
	void stop() throws InterruptedException {
		this.process.destroy();
		assertThat(this.process.waitFor(2, TimeUnit.MINUTES)).as("stopped; its log:%n%s", log()).isTrue();
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroy();
			try {
				if (!this.process.waitFor(2, TimeUnit.MINUTES)) {
					this.process.destroyForcibly().waitFor();
				}
			}
			catch (InterruptedException ex) {
				// an interrupted close must not leave the process running: killed,
				// interrupt kept
				this.process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
	}

	private static String javaExecutable() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** As whom, and in which network namespace, a process runs. */
	interface Privileges {

		List<String> command(List<String> java);

		/** The prefix that runs a command in the namespace of the process. */
		List<String> namespaceOf(Process process);

		/** The current user, in the machine's network namespace. */
		static Privileges currentUser() {
			return new Privileges() {

				@Override
				public List<String> command(List<String> java) {
					return java;
				}

				@Override
				public List<String> namespaceOf(Process process) {
					return List.of();
				}

			};
		}

		/**
		 * Root only: a new network namespace with just a loopback interface, the process
		 * in it as {@code user} ("0" keeps root).
		 */
		static Privileges isolated(String user) {
			return new Privileges() {

				@Override
				public List<String> command(List<String> java) {
					List<String> command = new ArrayList<>(
							List.of("unshare", "--net", "--", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh"));
					command.addAll(asUser(user, java));
					return command;
				}

				@Override
				public List<String> namespaceOf(Process process) {
					return joining(process.pid());
				}

			};
		}

		/** Root only: the network namespace of another process, as {@code user}. */
		static Privileges beside(StandaloneProcess other, String user) {
			return new Privileges() {

				@Override
				public List<String> command(List<String> java) {
					List<String> command = new ArrayList<>(joining(other.pid()));
					command.addAll(asUser(user, java));
					return command;
				}

				@Override
				public List<String> namespaceOf(Process process) {
					return joining(other.pid());
				}

			};
		}

		private static List<String> joining(long pid) {
			return List.of("nsenter", "--net=/proc/" + pid + "/ns/net", "--");
		}

		private static List<String> asUser(String user, List<String> java) {
			List<String> command = new ArrayList<>();
			if (!"0".equals(user)) {
				command.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--clear-groups", "--"));
			}
			command.addAll(java);
			return command;
		}

	}

}
