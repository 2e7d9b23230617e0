package io.hookway.reliability;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * One packaged Hookway jar running as a child JVM on a fixed port, so that it can be
 * killed and started again where clients expect it. Its output goes to
 * {@code target/reliability/<name>.log}.
 */
final class HookwayProcess implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final String jar;

	private final int port;

	/** Actuator's port: the services keep it off the public one. */
	private final int managementPort;

	private final List<String> arguments;

	private Process process;

	private int starts;

	private HookwayProcess(String name, String jar, List<String> arguments) {
		this.name = name;
		this.jar = jar;
		this.port = freePort();
		this.managementPort = freePort();
		this.arguments = List.copyOf(arguments);
	}

	/** The standalone jar (gateway, dispatcher and portal in one process). */
	static HookwayProcess standalone(String name, List<String> arguments) {
		return new HookwayProcess(name, System.getProperty("hookway.jar.standalone"), arguments);
	}

	/**
	 * One of the services on its own: {@code gateway}, {@code portal} or
	 * {@code dispatcher}.
	 */
	static HookwayProcess service(String service, String name, List<String> arguments) {
		return new HookwayProcess(name, System.getProperty("hookway.jar." + service), arguments);
	}

	int port() {
		return this.port;
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.port;
	}

	HookwayProcess start() {
		if (!new File(this.jar).isFile()) {
			throw new IllegalStateException(this.jar + " is missing: package the services first");
		}
		File log = new File("target/reliability/" + this.name + ".log");
		log.getParentFile().mkdirs();
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m", "-XX:+UseSerialGC",
				"-XX:TieredStopAtLevel=1", "-jar", this.jar, "--server.port=" + this.port,
				"--management.server.port=" + this.managementPort, "--hookway.secrets.allow-development-key=true"));
		command.addAll(this.arguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(
						(this.starts++ == 0) ? ProcessBuilder.Redirect.to(log) : ProcessBuilder.Redirect.appendTo(log))
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return this;
	}

	/** Waits until the process reports itself ready, database included. */
	HookwayProcess awaitReady() {
		Process current = this.process;
		await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
			if (!current.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + current.exitValue() + ", see "
						+ "target/reliability/" + this.name + ".log");
			}
			return ready();
		});
		return this;
	}

	boolean ready() {
		try {
			return http
				.send(HttpRequest
					.newBuilder(URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** SIGKILL: no shutdown hook, no graceful stop, work in flight simply vanishes. */
	void kill() {
		try {
			this.process.destroyForcibly().waitFor();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		if (this.process != null) {
			kill();
		}
	}

	private static String javaExecutable() {
		return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
