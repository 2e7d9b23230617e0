package io.hookway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.hookway.bench.StartupPhase.Start;
import io.hookway.bench.StartupPhase.Startup;

/**
 * The targets of issue 13 for a 2-core machine, each as a ratio within one run (the
 * machines this runs on differ two to four times in speed), judged on the medians; and
 * issue 14's start-up time, which is absolute (a quiet box's).
 */
final class Targets {

	static final double SPREAD_OF_BASELINE = 1.0;

	static final double SINGLE_OF_BASELINE = 0.8;

	static final double TWO_DISPATCHERS_OF_ONE = 0.95;

	static final double E2E_P50_MS = 15;

	static final double E2E_P99_MS = 50;

	static final double FAIRNESS_P99_MS = 250;

	static final double INGEST_SHARE_OF_BARE = 0.20;

	static final long RSS_MB = 512;

	/** Issue 14: every process ready within 5 s of its start, from its class cache. */
	static final long READY_MS = 5_000;

	private Targets() {
	}

	/**
	 * @param name what is required
	 * @param measured the median it is judged on
	 * @param met whether it was met; null when it could not be judged (no baseline)
	 */
	record Target(String name, String measured, @Nullable Boolean met) {
	}

	static List<Target> judge(Report report) {
		Map<String, Double> medians = report.medians();
		BenchSettings settings = report.settings();
		List<Target> targets = new ArrayList<>();
		String spread = "%,d endpoints".formatted(settings.endpoints());
		atLeast(targets, "delivery over " + spread + ", one dispatcher ≥ 1.0× graphile-worker",
				medians.get("spreadOneOfGraphileWorker"), SPREAD_OF_BASELINE, "%.2f×");
		atLeast(targets, "delivery to one endpoint, one dispatcher ≥ 0.8× graphile-worker",
				medians.get("singleOneOfGraphileWorker"), SINGLE_OF_BASELINE, "%.2f×");
		atLeast(targets, "two dispatchers ≥ 0.95× one, one endpoint", medians.get("singleTwoOfOne"),
				TWO_DISPATCHERS_OF_ONE, "%.2f×");
		atLeast(targets, "two dispatchers ≥ 0.95× one, " + spread, medians.get("spreadTwoOfOne"),
				TWO_DISPATCHERS_OF_ONE, "%.2f×");
		atMost(targets, "end-to-end p50 ≤ 15 ms at 1% of bare WebFlux", medians.get("endToEndP50Ms"), E2E_P50_MS,
				"%.1f ms");
		atMost(targets, "end-to-end p99 ≤ 50 ms at 1% of bare WebFlux", medians.get("endToEndP99Ms"), E2E_P99_MS,
				"%.1f ms");
		long lost = report.runs()
			.stream()
			.mapToLong((run) -> run.endToEnd().latencies().missing() + run.fairness().latencies().missing())
			.sum();
		targets.add(new Target("every accepted call's webhook arrived", lost + " missing", lost == 0));
		atMost(targets, "B's p99 ≤ 250 ms during A's flood", medians.get("fairnessP99Ms"), FAIRNESS_P99_MS, "%.1f ms");
		atLeast(targets, "ingest ≥ 20% of bare WebFlux", medians.get("gatewayShareOfBare"), INGEST_SHARE_OF_BARE,
				"%.2f× bare");
		report.peakRssMb()
			.forEach(
					(service, mb) -> targets.add(new Target(service + " peak RSS ≤ 512 MB", mb + " MB", mb <= RSS_MB)));
		for (Startup startup : report.startup()) {
			Start median = startup.cds().median();
			String name = startup.process() + " ready ≤ 5 s (extracted jar + "
					+ StartupPhase.ClassCache.ofThisJvm().name() + ")";
			targets.add((median != null)
					? new Target(name, "%,d ms".formatted(median.readyMs()), median.readyMs() <= READY_MS)
					: new Target(name, "not measured", null));
		}
		return targets;
	}

	private static void atLeast(List<Target> targets, String name, double median, double target, String format) {
		targets.add(new Target(name, measured(median, format), Double.isNaN(median) ? null : median >= target));
	}

	private static void atMost(List<Target> targets, String name, double median, double target, String format) {
		targets.add(new Target(name, measured(median, format), Double.isNaN(median) ? null : median <= target));
	}

	private static String measured(double median, String format) {
		return Double.isNaN(median) ? "no baseline" : format.formatted(median);
	}

}
