package io.hookway.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one benchmark invocation measures and for how long. The defaults are the full run
 * the targets are judged on; {@code --smoke} shrinks every phase to seconds so that the
 * test suite can check the benchmark works without timing anything.
 *
 * @param runs how many times every phase is repeated; the report gives the medians
 * @param ingestWarmup load before each ingest measurement, for the JIT
 * @param ingestDuration length of each measured ingest window
 * @param connections concurrent connections of the closed-loop ingest load
 * @param e2eRate calls per second of the fixed-rate end-to-end load
 * @param e2eWarmup fixed-rate load before the end-to-end measurement
 * @param e2eDuration length of the measured end-to-end window
 * @param deliveryWarmup deliveries drained before the measured backlog
 * @param backlog deliveries in the measured backlog
 * @param databaseUrl libpq URL of the database the benchmark creates and drops
 * @param projectDirectory where the services' jars are built
 * @param resultsDirectory where reports are written
 * @param serviceJvmOptions options of every service JVM, as in a container
 */
record BenchSettings(boolean smoke, int runs, Duration ingestWarmup, Duration ingestDuration, int connections,
		int e2eRate, Duration e2eWarmup, Duration e2eDuration, int deliveryWarmup, int backlog, String databaseUrl,
		Path projectDirectory, Path resultsDirectory, List<String> serviceJvmOptions) {

	static BenchSettings full() {
		return new BenchSettings(false, 3, Duration.ofSeconds(60), Duration.ofSeconds(20), 64, 500,
				Duration.ofSeconds(30), Duration.ofSeconds(60), 20_000, 100_000,
				"postgresql://postgres@127.0.0.1:5432/hookway_bench", Path.of("."), Path.of("bench/results"),
				List.of("-Xmx256m"));
	}

	static BenchSettings smokeRun() {
		return new BenchSettings(true, 1, Duration.ofSeconds(2), Duration.ofSeconds(2), 8, 50, Duration.ofSeconds(1),
				Duration.ofSeconds(3), 100, 1_000, full().databaseUrl(), Path.of("."), Path.of("bench/results"),
				full().serviceJvmOptions());
	}

	/**
	 * Settings from command-line arguments: {@code --smoke}, {@code --runs=N},
	 * {@code --database=URL}, {@code --project=DIR}, {@code --results=DIR},
	 * {@code --backlog=N}, {@code --rate=N}, {@code --jvm-options="-Xmx256m ..."}.
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
		return new BenchSettings(base.smoke, number(options, "--runs", base.runs), base.ingestWarmup,
				base.ingestDuration, base.connections, number(options, "--rate", base.e2eRate), base.e2eWarmup,
				base.e2eDuration, base.deliveryWarmup, number(options, "--backlog", base.backlog),
				options.getOrDefault("--database", base.databaseUrl),
				Path.of(options.getOrDefault("--project", base.projectDirectory.toString())),
				Path.of(options.getOrDefault("--results", base.resultsDirectory.toString())),
				options.containsKey("--jvm-options") ? List.of(options.get("--jvm-options").trim().split("\\s+"))
						: base.serviceJvmOptions);
	}

	private static final List<String> OPTIONS = List.of("--smoke", "--runs", "--database", "--project", "--results",
			"--backlog", "--rate", "--jvm-options");

	private static int number(Map<String, String> options, String key, int otherwise) {
		return options.containsKey(key) ? Integer.parseInt(options.get(key)) : otherwise;
	}

}
