package io.hookway.reliability;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own, in a temporary directory on a free port, that
 * can be stopped and started again without touching the machine's shared server. As root,
 * PostgreSQL's tools refuse to run, so they run as the {@code postgres} user.
 */
final class PrivatePostgres implements AutoCloseable {

	private final Path bin;

	private final Path directory;

	private final int port;

	private PrivatePostgres(Path bin, Path directory, int port) {
		this.bin = bin;
		this.directory = directory;
		this.port = port;
	}

	/** Why a private server cannot run here, or nothing when it can. */
	static Optional<String> unavailable() {
		if (binaries().isEmpty()) {
			return Optional.of("no PostgreSQL binaries under /usr/lib/postgresql/*/bin");
		}
		if (isRoot() && !new File("/usr/sbin/runuser").canExecute()) {
			return Optional.of("running as root without runuser to switch to the postgres user");
		}
		return Optional.empty();
	}

	static PrivatePostgres create() {
		Path bin = binaries().orElseThrow();
		try {
			Path directory = Files.createTempDirectory("hookway-pg-");
			PrivatePostgres postgres = new PrivatePostgres(bin, directory, HookwayProcess.freePort());
			if (isRoot()) {
				run("chown", "postgres:postgres", directory.toString());
			}
			postgres.asOwner("initdb", "-D", directory.resolve("data").toString(), "-U", "postgres", "--auth=trust",
					"-E", "UTF8", "--no-sync");
			return postgres;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String url(String database) {
		return "postgresql://postgres@127.0.0.1:" + this.port + "/" + database;
	}

	void start() {
		asOwner("pg_ctl", "-D", this.directory.resolve("data").toString(), "-l",
				this.directory.resolve("server.log").toString(), "-w", "-t", "60", "-o",
				"-p " + this.port + " -k " + this.directory + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
	}

	/** A fast shutdown: sessions are cut, as when the server is restarted for real. */
	void stop() {
		asOwner("pg_ctl", "-D", this.directory.resolve("data").toString(), "-m", "fast", "-w", "-t", "60", "stop");
	}

	@Override
	public void close() {
		try {
			stop();
		}
		catch (IllegalStateException ex) {
			// already stopped
		}
		try (var paths = Files.walk(this.directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			// a temporary directory left behind
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
			.max(Comparator.comparingInt(PrivatePostgres::majorVersion));
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
