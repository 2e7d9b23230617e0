package io.hookway.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The benchmark's own PostgreSQL server, in a temporary directory on a free port, set up
 * as the README's "Running in production" asks (autovacuum on with at least three
 * workers, synchronous commits, durable writes), so that no figure depends on how the
 * machine's shared server happens to be configured. PostgreSQL's tools refuse to run as
 * root, so there they run as the {@code postgres} user, as the reliability suite's
 * private server does.
 */
final class PrivateCluster implements AutoCloseable {

	/**
	 * Settings written into the server's configuration; everything the README says
	 * nothing about stays at PostgreSQL's default.
	 */
	static final Map<String, String> SETTINGS = settings();

	private final Path bin;

	private final Path directory;

	private final int port;

	/** Stops the server when the benchmark is interrupted before {@link #close()}. */
	private final Thread stopOnExit = new Thread(this::stop, "stop-private-postgres-on-exit");

	private PrivateCluster(Path bin, Path directory, int port) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
	}

	private static Map<String, String> settings() {
		Map<String, String> settings = new LinkedHashMap<>();
		// queue tables are updated several times per row and purged: vacuum must keep up
		settings.put("autovacuum", "on");
		settings.put("autovacuum_max_workers", "3");
		// a 202 promises a durable row
		settings.put("synchronous_commit", "on");
		settings.put("fsync", "on");
		settings.put("full_page_writes", "on");
		// pgbench's 64 clients next to every service's pool (20, plus LISTEN in a
		// dispatcher) and graphile-worker's 25
		settings.put("max_connections", "250");
		settings.put("shared_buffers", "128MB");
		settings.put("max_wal_size", "1GB");
		return settings;
	}

	/** Why a private server cannot run here, or nothing when it can. */
	static Optional<String> unavailable() {
		if (binaries().isEmpty()) {
			return Optional.of("no PostgreSQL server binaries under /usr/lib/postgresql/*/bin");
		}
		if (isRoot() && !new File("/usr/sbin/runuser").canExecute()) {
			return Optional.of("running as root without runuser to switch to the postgres user");
		}
		return Optional.empty();
	}

	/** Creates the cluster with {@link #SETTINGS} and starts it. */
	static PrivateCluster start() throws IOException {
		Path bin = binaries().orElseThrow(() -> new IllegalStateException(unavailable().orElse("")));
		Path directory = Files.createTempDirectory("hookway-bench-pg-");
		PrivateCluster cluster = new PrivateCluster(bin, directory, freePort());
		try {
			if (isRoot()) {
				run("chown", "postgres:postgres", directory.toString());
			}
			Path data = directory.resolve("data");
			cluster.asOwner("initdb", "-D", data.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
					"--no-sync");
			StringBuilder conf = new StringBuilder("\n# Hookway benchmark\n");
			conf.append("listen_addresses = '127.0.0.1'\nport = ").append(cluster.port).append('\n');
			conf.append("unix_socket_directories = '").append(directory).append("'\n");
			SETTINGS.forEach((name, value) -> conf.append(name).append(" = '").append(value).append("'\n"));
			Files.writeString(data.resolve("postgresql.conf"), conf, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
			Runtime.getRuntime().addShutdownHook(cluster.stopOnExit);
			cluster.asOwner("pg_ctl", "-D", data.toString(), "-l", directory.resolve("server.log").toString(), "-w",
					"-t", "60", "start");
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/** libpq URL of a database on this server. */
	String url(String database) {
		return "postgresql://postgres@127.0.0.1:" + this.port + "/" + database;
	}

	@Override
	public void close() {
		try {
			Runtime.getRuntime().removeShutdownHook(this.stopOnExit);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: the hook stops the server
		}
		stop();
		try (var paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
		}
	}

	private void stop() {
		try {
			asOwner("pg_ctl", "-D", this.directory.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop");
		}
		catch (IllegalStateException ex) {
			// never started, or already stopped
		}
	}

	private void asOwner(String tool, String... arguments) {
		List<String> command = new ArrayList<>();
		if (isRoot()) {
			command.addAll(List.of("/usr/sbin/runuser", "-u", "postgres", "--"));
		}
		command.add(this.bin.resolve(tool).toString());
		command.addAll(Arrays.asList(arguments));
		run(command.toArray(String[]::new));
	}

	private static void run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException(
						String.join(" ", command) + " failed: " + new String(output, StandardCharsets.UTF_8));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static boolean isRoot() {
		return "root".equals(System.getProperty("user.name"));
	}

	/** The newest installed version's tools. */
	private static Optional<Path> binaries() {
		File[] versions = new File("/usr/lib/postgresql").listFiles();
		if (versions == null) {
			return Optional.empty();
		}
		return Arrays.stream(versions)
			.map((version) -> version.toPath().resolve("bin"))
			.filter((bin) -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
			.max(Comparator.comparingInt(PrivateCluster::majorVersion));
	}

	private static int majorVersion(Path bin) {
		try {
			return Integer.parseInt(bin.getParent().getFileName().toString());
		}
		catch (NumberFormatException ex) {
			return 0;
		}
	}

}
