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

import org.jspecify.annotations.Nullable;

import io.hookway.bench.StartupPhase.Startup;

/**
 * Starts the services from their jars on a PostgreSQL server of the benchmark's own,
 * measures ingest, end-to-end latency, fairness and delivery throughput beside the
 * machine's own limits (a bare WebFlux endpoint, pgbench) and a general-purpose job queue
 * (graphile-worker), and writes the report. Every phase runs {@code runs} times in fresh
 * service processes; the report takes the medians. Before them, each process's start-up
 * is measured once per invocation ({@link StartupPhase}).
 */
public final class Benchmark {

	private static final String DATABASE = "hookway_bench";

	private final BenchSettings settings;

	private final Path work;

	Benchmark(BenchSettings settings) throws IOException {
		this.settings = settings;
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
		List<Run> runs = new ArrayList<>();
		List<Startup> startup = List.of();
		Map<String, String> database;
		Services services;
		PrivateCluster cluster = null;
		try {
			String url = this.settings.databaseUrl();
			if (url == null) {
				Rig.log("starting a private PostgreSQL server");
				cluster = PrivateCluster.start();
				url = cluster.url(DATABASE);
			}
			BenchDatabase db = new BenchDatabase(url);
			db.recreate();
			try (Upstream upstream = new Upstream();
					WebhookReceiver receiver = new WebhookReceiver(this.settings.slowAnswer())) {
				services = new Services(this.settings, url, upstream.url(), this.work);
				JavaService portal = services.portal();
				try {
					// after the portal's start migrated the schema, so that no measured
					// start does
					if (this.settings.startupRuns() > 0) {
						startup = StartupPhase.run(this.settings, services, this.work);
					}
					Rig.log("registering " + this.settings.applications() + " applications with "
							+ this.settings.endpoints() + " endpoints through the portal");
					Tenants tenants = Tenants.register(portal.baseUrl(), receiver, this.settings.applications(),
							this.settings.endpoints());
					database = database(db, cluster);
					Rig rig = new Rig(this.settings, db, db.postmasterPid(), this.work, upstream, receiver, services,
							tenants);
					for (int run = 1; run <= this.settings.runs(); run++) {
						runs.add(new BenchRun(rig).run(run));
					}
				}
				finally {
					services.close(portal);
				}
			}
			finally {
				db.drop();
			}
		}
		finally {
			if (cluster != null) {
				cluster.close();
			}
		}
		return new Report(started, Duration.between(started, Instant.now()), this.settings, machine(), database, runs,
				services.peakRssMb(), startup);
	}

	/** The server and the settings it runs with, read back from it. */
	private static Map<String, String> database(BenchDatabase database, @Nullable PrivateCluster cluster)
			throws Exception {
		Map<String, String> server = new LinkedHashMap<>();
		server.put("server", (cluster != null)
				? "private to the benchmark (initdb, pg_ctl), configured as README \"Running in production\" asks"
				: "given with --database (its settings are not the benchmark's choice)");
		server.put("version", database.serverVersion());
		for (String name : PrivateCluster.SETTINGS.keySet()) {
			server.put(name, database.setting(name));
		}
		// set by migration V5: queue tables are vacuumed after 1% of their rows changed
		server.put("webhook_deliveries storage parameters", database.tableOptions("webhook_deliveries"));
		return server;
	}

	private Map<String, String> machine() {
		Map<String, String> machine = new LinkedHashMap<>();
		machine.put("cpu", ProcFs.cpuModel());
		machine.put("cores", Integer.toString(Runtime.getRuntime().availableProcessors()));
		machine.put("memory", (ProcFs.memoryBytes() / (1024L * 1024 * 1024)) + " GiB");
		machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
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

}
