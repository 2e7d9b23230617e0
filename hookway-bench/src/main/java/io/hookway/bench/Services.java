package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * Starts Hookway's services from their executable jars, each in its own JVM on the
 * benchmark's database, configured only through their public settings, and keeps the
 * largest resident set each kind of service reached.
 */
final class Services {

	static final String ROUTE = "bench";

	static final String STANDALONE_JAR = "hookway-standalone/target/hookway-standalone.jar";

	private static final List<String> PORTAL = List
		.of("--hookway.portal.operator.client-secret=" + Tenants.OPERATOR_SECRET, "--hookway.portal.token-ttl=12h");

	private final BenchSettings settings;

	private final String databaseUrl;

	private final String upstreamUrl;

	private final Path work;

	private final Map<String, Long> peakRssMb = new LinkedHashMap<>();

	private final List<JavaService> running = new CopyOnWriteArrayList<>();

	Services(BenchSettings settings, String databaseUrl, String upstreamUrl, Path work) {
		this.settings = settings;
		this.databaseUrl = databaseUrl;
		this.upstreamUrl = upstreamUrl;
		this.work = work;
	}

	JavaService portal() throws IOException, InterruptedException {
		return start(launch("portal", "developer-portal-api", PORTAL));
	}

	JavaService gateway() throws IOException, InterruptedException {
		return start(launch("gateway", "gateway-app", List.of()));
	}

	/** The n-th dispatcher, with the run's per-endpoint concurrency. */
	JavaService dispatcher(int number) throws IOException, InterruptedException {
		return start(launch("dispatcher-" + number, "webhook-dispatcher", dispatcherSettings()));
	}

	/**
	 * Every process {@link StartupPhase} starts, configured as the runs start them: the
	 * three services, and the standalone process with the settings of all three (null jar
	 * when it is not built).
	 */
	List<Launch> launches() throws IOException {
		List<String> standalone = new ArrayList<>(PORTAL);
		standalone.addAll(dispatcherSettings());
		Path standaloneJar = this.settings.projectDirectory().resolve(STANDALONE_JAR);
		return List.of(launch("gateway", "gateway-app", List.of()),
				launch("dispatcher", "webhook-dispatcher", dispatcherSettings()),
				launch("portal", "developer-portal-api", PORTAL),
				new Launch("standalone", Files.isRegularFile(standaloneJar) ? standaloneJar : null,
						arguments("standalone", standalone)));
	}

	/** The ingest baseline: not Hookway, and not counted among its services. */
	JavaService bareWebFlux() throws IOException, InterruptedException {
		return started(JavaService.start("bare-webflux", this.settings.serviceJvmOptions(),
				JavaService.ownMainClass(BareWebFlux.class), List.of(), "/ready", this.work));
	}

	/**
	 * Stops a service, keeping its peak RSS under its kind (dispatcher-2 → dispatcher).
	 */
	void close(JavaService service) throws InterruptedException {
		service.close();
		this.running.remove(service);
		if (!service.name().equals("bare-webflux")) {
			this.peakRssMb.merge(kind(service), service.peakRssBytes() / (1024 * 1024), Math::max);
		}
	}

	/** The services started and not stopped yet. */
	List<JavaService> running() {
		return List.copyOf(this.running);
	}

	private JavaService started(JavaService service) {
		this.running.add(service);
		return service;
	}

	/** Largest resident set of each kind of service, in MB. */
	Map<String, Long> peakRssMb() {
		return this.peakRssMb;
	}

	/** The processes of a window, grouped by kind of service, for {@link CpuMeter}. */
	static Map<String, List<Long>> pidsByKind(List<JavaService> services) {
		Map<String, List<Long>> pids = new LinkedHashMap<>();
		for (JavaService service : services) {
			pids.computeIfAbsent(kind(service), (kind) -> new ArrayList<>()).add(service.pid());
		}
		return pids;
	}

	private static String kind(JavaService service) {
		return service.name().replaceAll("-\\d+$", "");
	}

	private List<String> dispatcherSettings() {
		return List.of("--hookway.webhooks.max-concurrency-per-endpoint=" + this.settings.perEndpointConcurrency());
	}

	private JavaService start(Launch launch) throws IOException, InterruptedException {
		System.out.println(Instant.now() + "  starting " + launch.name());
		return started(JavaService.start(launch.name(), this.settings.serviceJvmOptions(),
				JavaService.jar(launch.jar()), launch.arguments(), "/actuator/health/readiness", this.work));
	}

	private Launch launch(String name, String module, List<String> extra) throws IOException {
		return new Launch(name, executableJar(module), arguments(name, extra));
	}

	private List<String> arguments(String name, List<String> extra) {
		List<String> arguments = new ArrayList<>(List.of("--hookway.database.url=" + this.databaseUrl,
				"--hookway.routes." + ROUTE + ".upstream=" + this.upstreamUrl,
				"--hookway.rate-limit.requests-per-second=1000000", "--hookway.webhooks.allow-http=true",
				"--hookway.webhooks.allow-private-targets=true", "--hookway.dispatcher.worker-id=" + name,
				"--hookway.secrets.allow-development-key=true", "--logging.level.root=warn"));
		arguments.addAll(extra);
		return arguments;
	}

	private Path executableJar(String module) throws IOException {
		Path target = this.settings.projectDirectory().resolve(module).resolve("target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().endsWith("-exec.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"No executable jar in " + target + "; build first with ./mvnw -DskipTests package"));
		}
		catch (NoSuchFileException ex) {
			throw new IllegalStateException("No " + target + "; build first with ./mvnw -DskipTests package", ex);
		}
	}

	/**
	 * How one process is started.
	 *
	 * @param jar its executable jar; null when it is not built
	 * @param arguments its settings, before the ports
	 */
	record Launch(String name, @Nullable Path jar, List<String> arguments) {
	}

}
