package io.hookway.bench;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One service under measurement in its own JVM, started the way it is deployed (its jar,
 * its own heap), with its output in a log file.
 */
final class JavaService implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** Services not stopped yet, which an interrupted benchmark must not leave behind. */
	private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

	static {
		Runtime.getRuntime()
			.addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy), "stop-services-on-exit"));
	}

	private final String name;

	private final Process process;

	private final int port;

	/** Actuator's port, which Hookway's services keep off the public one. */
	private final int managementPort;

	private final Path log;

	private long peakRssBytes;

	private JavaService(String name, Process process, int port, int managementPort, Path log) {
		this.name = name;
		this.process = process;
		this.port = port;
		this.managementPort = managementPort;
		this.log = log;
	}

	/**
	 * Starts {@code java <jvmOptions> <launch...> <arguments...> --server.port=<free>
	 * --management.server.port=<free>} and waits until {@code readinessPath} answers 200,
	 * on the management port for {@code /actuator/…}, else on the server port.
	 */
	static JavaService start(String name, List<String> jvmOptions, List<String> launch, List<String> arguments,
			String readinessPath, Path logDirectory) throws IOException, InterruptedException {
		int port = freePort();
		int managementPort = freePort();
		List<String> command = new ArrayList<>();
		command.add(javaCommand());
		command.addAll(jvmOptions);
		command.addAll(launch);
		command.addAll(arguments);
		command.add("--server.port=" + port);
		command.add("--management.server.port=" + managementPort);
		Files.createDirectories(logDirectory);
		Path log = logDirectory.resolve(name + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		RUNNING.add(process);
		JavaService service = new JavaService(name, process, port, managementPort, log);
		try {
			service.awaitReady(readinessPath, Duration.ofSeconds(120));
		}
		catch (RuntimeException | InterruptedException ex) {
			service.close();
			throw ex;
		}
		return service;
	}

	/** The java launcher this JVM runs on, which every service runs on too. */
	static String javaCommand() {
		return ProcessHandle.current().info().command().orElse("java");
	}

	/** Launch arguments for a Spring Boot executable jar. */
	static List<String> jar(Path jar) {
		return List.of("-jar", jar.toString());
	}

	/**
	 * Launch arguments for a main class of this benchmark: from its own executable jar
	 * when it runs from one, else from the class path it runs with (tests).
	 */
	static List<String> ownMainClass(Class<?> main) {
		String classPath = System.getProperty("java.class.path");
		if (!classPath.contains(File.pathSeparator) && classPath.endsWith(".jar")) {
			return List.of("-cp", classPath, "-Dloader.main=" + main.getName(),
					"org.springframework.boot.loader.launch.PropertiesLauncher");
		}
		return List.of("-cp", classPath, main.getName());
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	/** The largest resident set the process had so far (VmHWM). */
	long peakRssBytes() {
		if (this.process.isAlive()) {
			this.peakRssBytes = Math.max(this.peakRssBytes, ProcFs.peakRssBytes(this.process.pid()));
		}
		return this.peakRssBytes;
	}

	private void awaitReady(String path, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		String base = path.startsWith("/actuator/") ? "http://127.0.0.1:" + this.managementPort : baseUrl();
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(2)).build();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + "; see " + this.log.toAbsolutePath());
			}
			try {
				if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			// short: the start-up phase times the wait
			Thread.sleep(20);
		}
		throw new IllegalStateException(
				this.name + " was not ready within " + timeout + "; see " + this.log.toAbsolutePath());
	}

	/** Stops the process (SIGTERM, then SIGKILL after 30 s), keeping its peak RSS. */
	@Override
	public void close() {
		peakRssBytes();
		this.process.destroy();
		try {
			if (!this.process.waitFor(30, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			// an interrupted close must not leave the service running: killed, interrupt
			// kept
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		RUNNING.remove(this.process);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
