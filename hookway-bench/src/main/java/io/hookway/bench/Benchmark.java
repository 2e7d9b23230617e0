package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.hookway.bench.BenchDatabase.TableTuples;
import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.Report.Drain;
import io.hookway.bench.Report.EndToEnd;
import io.hookway.bench.Report.Ingest;
import io.hookway.bench.Report.Run;

/**
 * Starts the services from their jars on the local PostgreSQL, measures ingest,
 * end-to-end latency and delivery throughput beside the machine's own limits (a bare
 * WebFlux endpoint and pgbench), and writes the report. Every phase runs {@code runs}
 * times in fresh service processes; the report takes the medians.
 */
public final class Benchmark {

	private static final String OPERATOR_ID = "hookway-operator";

	private static final String OPERATOR_SECRET = "bench-operator-secret-0123456789";

	private static final String ROUTE = "bench";

	private final BenchSettings settings;

	private final BenchDatabase database;

	private final Path work;

	private final Map<String, Long> peakRss = new LinkedHashMap<>();

	Benchmark(BenchSettings settings) throws IOException {
		this.settings = settings;
		this.database = new BenchDatabase(settings.databaseUrl());
		this.work = Files.createTempDirectory("hookway-bench");
	}

	public static void main(String[] args) throws Exception {
		BenchSettings settings = BenchSettings.parse(args);
		Report report = new Benchmark(settings).run();
		Path written = report.write(settings.resultsDirectory());
		System.out.println();
		System.out.println(report.markdown());
		System.out.println("Written to " + written.toAbsolutePath());
	}

	Report run() throws Exception {
		if (!loadToolsInstalled()) {
			throw new IllegalStateException(
					"The benchmark drives wrk and pgbench: install them with bench/install-tools");
		}
		Instant started = Instant.now();
		this.database.recreate();
		List<Run> runs = new ArrayList<>();
		try (Upstream upstream = new Upstream(); WebhookReceiver receiver = new WebhookReceiver()) {
			JavaService portal = service("portal", "developer-portal-api", upstream, List
				.of("--hookway.portal.operator.client-secret=" + OPERATOR_SECRET, "--hookway.portal.token-ttl=12h"));
			try {
				String token = new PortalClient(portal.baseUrl()).tenantWithEndpoint(OPERATOR_ID, OPERATOR_SECRET,
						receiver.url());
				for (int run = 1; run <= this.settings.runs(); run++) {
					runs.add(run(run, token, upstream, receiver));
				}
			}
			finally {
				close(portal);
			}
		}
		finally {
			this.database.drop();
		}
		return new Report(started, Duration.between(started, Instant.now()), this.settings, machine(), runs,
				this.peakRss);
	}

	private Run run(int run, String token, Upstream upstream, WebhookReceiver receiver) throws Exception {
		log("run " + run + ": bare WebFlux baseline");
		Ingest bare;
		try (JavaService service = JavaService.start("bare-webflux", this.settings.serviceJvmOptions(),
				JavaService.ownMainClass(BareWebFlux.class), List.of(), "/ready", this.work)) {
			bare = ingest(service.baseUrl() + "/api/" + ROUTE + "/orders", token);
		}
		log("run " + run + ": pgbench single-row INSERT commits");
		Pgbench.Result insertCommits = Pgbench.insertCommits(this.database.url(), this.settings.connections(),
				this.settings.ingestDuration(), this.work);
		this.database.truncateQueues();

		log("run " + run + ": gateway ingest");
		JavaService gateway = service("gateway", "gateway-app", upstream, List.of());
		try {
			Ingest ingest = ingest(gateway.baseUrl() + "/api/" + ROUTE + "/orders", token);
			long written = this.database.count("select count(*) from tasks");
			this.database.truncateQueues();

			List<JavaService> dispatchers = new ArrayList<>();
			try {
				// the delivery drain comes first: it also warms the dispatcher's JIT for
				// the
				// latency run, which on two cores otherwise spends its first minutes
				// compiling
				dispatchers.add(service("dispatcher-1", "webhook-dispatcher", upstream, List.of()));
				log("run " + run + ": draining " + this.settings.backlog() + " deliveries with one dispatcher");
				Drain one = drain(1, receiver);
				log("run " + run + ": end-to-end latency at " + this.settings.e2eRate() + " calls/s");
				EndToEnd endToEnd = endToEnd(gateway, token, receiver);
				close(gateway);
				dispatchers.add(service("dispatcher-2", "webhook-dispatcher", upstream, List.of()));
				log("run " + run + ": draining " + this.settings.backlog() + " deliveries with two dispatchers");
				Drain two = drain(2, receiver);
				List<TableTuples> tuples = this.database.tuples();
				this.database.truncateQueues();
				return new Run(run, bare, insertCommits, ingest, written, endToEnd, one, two, tuples);
			}
			finally {
				for (JavaService dispatcher : dispatchers) {
					close(dispatcher);
				}
			}
		}
		finally {
			close(gateway);
		}
	}

	/**
	 * Closed-loop load at the configured concurrency, after a warm-up whose tasks are
	 * then removed.
	 */
	private Ingest ingest(String url, String token) throws Exception {
		Wrk.post(url, token, this.settings.connections(), this.settings.ingestWarmup(), this.work);
		this.database.truncateQueues();
		CpuMeter cpu = CpuMeter.start();
		Wrk.Result result = Wrk.post(url, token, this.settings.connections(), this.settings.ingestDuration(),
				this.work);
		return new Ingest(result, cpu.stop());
	}

	private EndToEnd endToEnd(JavaService gateway, String token, WebhookReceiver receiver) throws Exception {
		String url = gateway.baseUrl() + "/api/" + ROUTE + "/orders";
		FixedRateCaller caller = new FixedRateCaller();
		try {
			// the drain before left its rows and dead row versions behind
			this.database.truncateQueues();
			caller.run(url, token, this.settings.e2eRate(), this.settings.e2eWarmup());
			awaitQuiet(Duration.ofSeconds(60));
			receiver.reset();
			CpuMeter cpu = CpuMeter.start();
			FixedRateCaller.Calls calls = caller.run(url, token, this.settings.e2eRate(), this.settings.e2eDuration());
			CpuUse used = cpu.stop();
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (System.nanoTime() < deadline
					&& calls.intendedByTask.keySet().stream().anyMatch((task) -> receiver.arrival(task) == null)) {
				Thread.sleep(50);
			}
			long[] latencies = calls.intendedByTask.entrySet()
				.stream()
				.filter((call) -> receiver.arrival(call.getKey()) != null)
				.mapToLong((call) -> receiver.arrival(call.getKey()) - call.getValue())
				.sorted()
				.toArray();
			long[] accepts = calls.acceptLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
			long accepted = calls.intendedByTask.size();
			return new EndToEnd(this.settings.e2eRate(), this.settings.e2eDuration().toSeconds(), calls.sent.get(),
					accepted, latencies.length, accepted - latencies.length, percentile(latencies, 50),
					percentile(latencies, 99), percentile(latencies, 100), percentile(accepts, 50),
					percentile(accepts, 99), used);
		}
		finally {
			caller.close();
		}
	}

	/**
	 * Drains a warm-up backlog, then times the drain of the measured one: from the commit
	 * of the seeded deliveries until every one is recorded as delivered.
	 */
	private Drain drain(int dispatchers, WebhookReceiver receiver) throws Exception {
		this.database.truncateQueues();
		receiver.reset();
		this.database.seedDeliveries(receiver.url(), this.settings.deliveryWarmup());
		awaitDelivered(receiver, this.settings.deliveryWarmup());
		this.database.truncateQueues();
		receiver.reset();
		CpuMeter cpu = CpuMeter.start();
		long start = System.nanoTime();
		this.database.seedDeliveries(receiver.url(), this.settings.backlog());
		awaitDelivered(receiver, this.settings.backlog());
		double seconds = (System.nanoTime() - start) / 1e9;
		return new Drain(dispatchers, this.settings.backlog(), Math.round(seconds * 100) / 100.0,
				Math.round(this.settings.backlog() / seconds), receiver.received(), receiver.distinctMessages(),
				cpu.stop());
	}

	private void awaitDelivered(WebhookReceiver receiver, int count) throws Exception {
		long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
		while (receiver.distinctMessages() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException(
						"Only " + receiver.distinctMessages() + " of " + count + " webhooks arrived in 10 minutes");
			}
			Thread.sleep(20);
		}
		while (this.database.count("select count(*) from webhook_deliveries where status <> 'SUCCEEDED'") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Deliveries were not all recorded as delivered in 10 minutes");
			}
			Thread.sleep(20);
		}
	}

	/** Waits until no task is unfinished and no delivery is pending. */
	private void awaitQuiet(Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.database.count("select (select count(*) from tasks where status in ('ACCEPTED', 'RUNNING')) "
				+ "+ (select count(*) from webhook_deliveries where status = 'PENDING')") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Work was still pending after " + timeout);
			}
			Thread.sleep(50);
		}
	}

	/** Starts one of Hookway's services from its executable jar. */
	private JavaService service(String name, String module, Upstream upstream, List<String> extra)
			throws IOException, InterruptedException {
		List<String> arguments = new ArrayList<>(List.of("--hookway.database.url=" + this.database.url(),
				"--hookway.routes." + ROUTE + ".upstream=" + upstream.url(),
				"--hookway.rate-limit.requests-per-second=1000000", "--hookway.webhooks.allow-http=true",
				"--hookway.webhooks.allow-private-targets=true", "--hookway.dispatcher.worker-id=" + name,
				"--hookway.secrets.allow-development-key=true", "--logging.level.root=warn"));
		arguments.addAll(extra);
		log("starting " + name);
		return JavaService.start(name, this.settings.serviceJvmOptions(), JavaService.jar(executableJar(module)),
				arguments, "/actuator/health/readiness", this.work);
	}

	private Path executableJar(String module) throws IOException {
		Path target = this.settings.projectDirectory().resolve(module).resolve("target");
		try (Stream<Path> files = Files.list(target)) {
			return files.filter((file) -> file.getFileName().toString().endsWith("-exec.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"No executable jar in " + target + "; build first with ./mvnw -DskipTests package"));
		}
		catch (java.nio.file.NoSuchFileException ex) {
			throw new IllegalStateException("No " + target + "; build first with ./mvnw -DskipTests package", ex);
		}
	}

	private void close(JavaService service) throws InterruptedException {
		service.close();
		this.peakRss.merge(service.name().replaceAll("-\\d+$", ""), service.peakRssBytes() / (1024 * 1024), Math::max);
	}

	private Map<String, String> machine() throws Exception {
		Map<String, String> machine = new LinkedHashMap<>();
		machine.put("cpu", ProcFs.cpuModel());
		machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
		machine.put("memory", (ProcFs.memoryBytes() / (1024L * 1024 * 1024)) + " GiB");
		machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		machine.put("postgresql", this.database.serverVersion());
		// without autovacuum the queue tables keep every dead row version and claims slow
		// down
		machine.put("postgresql autovacuum", this.database.setting("autovacuum"));
		machine.put("service JVM options", String.join(" ", this.settings.serviceJvmOptions()));
		return machine;
	}

	/** Whether wrk and pgbench can be started; that they start is enough. */
	static boolean loadToolsInstalled() {
		for (String tool : List.of("wrk", "pgbench")) {
			try {
				// wrk answers --version with exit status 1 for want of a URL
				new ProcessBuilder(tool, "--version").start().waitFor();
			}
			catch (IOException ex) {
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	static double percentile(long[] sortedNanos, int percentile) {
		if (sortedNanos.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
		return Math.round(sortedNanos[Math.max(0, index)] / 10_000.0) / 100.0;
	}

	private static void log(String message) {
		System.out.println(Instant.now() + "  " + message);
	}

}
