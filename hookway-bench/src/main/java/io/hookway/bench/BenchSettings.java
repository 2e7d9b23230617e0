package io.hookway.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one benchmark invocation measures and for how long. The defaults are the full run
 * the targets are judged on; {@code --smoke} shrinks every phase to seconds so that the
 * test suite can check the benchmark works without timing anything.
 *
 * @param runs how many times every phase is repeated; the report gives the medians
 * @param ingestWarmup load before each ingest measurement, for the JIT
 * @param ingestDuration length of each measured ingest window
 * @param connections concurrent connections of the closed-loop ingest load
 * @param e2eRate calls per second of the fixed-rate end-to-end load; 0 for
 * {@link #E2E_SHARE_OF_BARE} of the run's bare WebFlux rate
 * @param e2eWarmup fixed-rate load before the end-to-end measurement
 * @param e2eDuration length of the measured end-to-end window
 * @param deliveryWarmup deliveries drained before each measured drain, of the same shape
 * @param backlog deliveries in each measured drain
 * @param applications applications of the spread drain
 * @param endpoints endpoints of the spread drain, in turn over the applications
 * @param perEndpointConcurrency the dispatchers' deliveries in flight to one endpoint
 * @param fairnessBacklog deliveries of application A to its slow endpoint
 * @param fairnessRate calls per second of application B during A's flood
 * @param fairnessDuration length of B's measured calls
 * @param slowAnswer how long A's endpoint takes to answer
 * @param baselineWarmup graphile-worker jobs run before its measured drain
 * @param baselineJobs graphile-worker jobs in its measured drain
 * @param quietWait longest wait for a quiet machine before each measured phase
 * @param databaseUrl libpq URL of the database the benchmark creates and drops, or null
 * for a private PostgreSQL server of its own
 * @param projectDirectory where the services' jars are built
 * @param resultsDirectory where reports are written
 * @param serviceJvmOptions options of every service JVM, as in a container
 * @param startupRuns starts of each process in the start-up phase, once per invocation; 0
 * skips it
 * @param startupCds whether the start-up phase also trains and starts with a class cache
 * (CDS or AOT) (a training run per process, too long for a smoke run)
 */
record BenchSettings(boolean smoke, int runs, Duration ingestWarmup, Duration ingestDuration, int connections,
		int e2eRate, Duration e2eWarmup, Duration e2eDuration, int deliveryWarmup, int backlog, int applications,
		int endpoints, int perEndpointConcurrency, int fairnessBacklog, int fairnessRate, Duration fairnessDuration,
		Duration slowAnswer, int baselineWarmup, int baselineJobs, Duration quietWait, @Nullable String databaseUrl,
		Path projectDirectory, Path resultsDirectory, List<String> serviceJvmOptions, int startupRuns,
		boolean startupCds) {

	/** The end-to-end rate, as a share of the run's bare WebFlux rate. */
	static final double E2E_SHARE_OF_BARE = 0.01;

	static BenchSettings full() {
		// 24 deliveries in flight to one endpoint: graphile-worker's concurrency, so that
		// both put as many POSTs in flight towards the one receiver
		return new BenchSettings(false, 3, Duration.ofSeconds(60), Duration.ofSeconds(20), 64, 0,
				Duration.ofSeconds(30), Duration.ofSeconds(60), 20_000, 100_000, 100, 1_000, 24, 50_000, 20,
				Duration.ofSeconds(60), Duration.ofSeconds(2), 2_000, 20_000, Duration.ofSeconds(180), null,
				Path.of("."), Path.of("bench/results"), List.of("-Xmx256m"), 3, true);
	}

	static BenchSettings smokeRun() {
		return new BenchSettings(true, 1, Duration.ofSeconds(2), Duration.ofSeconds(2), 8, 0, Duration.ofSeconds(1),
				Duration.ofSeconds(3), 100, 1_000, 4, 20, 24, 100, 20, Duration.ofSeconds(3), Duration.ofSeconds(2), 50,
				500, Duration.ZERO, null, Path.of("."), Path.of("bench/results"), full().serviceJvmOptions(), 1, false);
	}

	/**
	 * Settings from command-line arguments; see {@link #OPTIONS} and the README's
	 * Performance section.
	 */
	static BenchSettings parse(String... args) {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int equals = arg.indexOf('=');
			String key = (equals < 0) ? arg : arg.substring(0, equals);
			if (!OPTIONS.contains(key)) {
				throw new IllegalArgumentException("Unknown argument " + arg + "; expected one of " + OPTIONS);
			}
			options.put(key, (equals < 0) ? "" : arg.substring(equals + 1));
		}
		BenchSettings base = options.containsKey("--smoke") ? smokeRun() : full();
		return new BenchSettings(base.smoke, number(options, "--runs", base.runs),
				seconds(options, "--ingest-warmup", base.ingestWarmup),
				seconds(options, "--ingest-seconds", base.ingestDuration), base.connections,
				number(options, "--rate", base.e2eRate), seconds(options, "--e2e-warmup", base.e2eWarmup),
				seconds(options, "--e2e-seconds", base.e2eDuration),
				number(options, "--delivery-warmup", base.deliveryWarmup), number(options, "--backlog", base.backlog),
				number(options, "--applications", base.applications), number(options, "--endpoints", base.endpoints),
				number(options, "--per-endpoint-concurrency", base.perEndpointConcurrency),
				number(options, "--fairness-backlog", base.fairnessBacklog), base.fairnessRate,
				seconds(options, "--fairness-seconds", base.fairnessDuration), base.slowAnswer, base.baselineWarmup,
				number(options, "--baseline-jobs", base.baselineJobs), seconds(options, "--quiet-wait", base.quietWait),
				options.getOrDefault("--database", base.databaseUrl),
				Path.of(options.getOrDefault("--project", base.projectDirectory.toString())),
				Path.of(options.getOrDefault("--results", base.resultsDirectory.toString())),
				options.containsKey("--jvm-options") ? List.of(options.get("--jvm-options").trim().split("\\s+"))
						: base.serviceJvmOptions,
				number(options, "--startup-runs", base.startupRuns), base.startupCds);
	}

	private static final List<String> OPTIONS = List.of("--smoke", "--runs", "--database", "--project", "--results",
			"--backlog", "--rate", "--jvm-options", "--ingest-warmup", "--ingest-seconds", "--e2e-warmup",
			"--e2e-seconds", "--delivery-warmup", "--applications", "--endpoints", "--per-endpoint-concurrency",
			"--fairness-backlog", "--fairness-seconds", "--baseline-jobs", "--quiet-wait", "--startup-runs");

	/**
	 * The fixed end-to-end rate of a run whose bare WebFlux endpoint did so many a
	 * second.
	 */
	int e2eRate(double bareWebFluxPerSecond) {
		return (this.e2eRate > 0) ? this.e2eRate
				: (int) Math.max(1, Math.round(bareWebFluxPerSecond * E2E_SHARE_OF_BARE));
	}

	private static int number(Map<String, String> options, String key, int otherwise) {
		return options.containsKey(key) ? Integer.parseInt(options.get(key)) : otherwise;
	}

	private static Duration seconds(Map<String, String> options, String key, Duration otherwise) {
		return options.containsKey(key) ? Duration.ofSeconds(Long.parseLong(options.get(key))) : otherwise;
	}

}
