package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import io.hookway.bench.BenchDatabase.TableTuples;
import io.hookway.bench.CpuMeter.CpuUse;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every figure of every run, their medians, and the targets they are judged against;
 * written as Markdown and JSON.
 */
record Report(Instant started, Duration took, BenchSettings settings, Map<String, String> machine, List<Run> runs,
		Map<String, Long> peakRssMb) {

	private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	/** Target: the gateway accepts at least this share of the bare WebFlux rate. */
	static final double INGEST_SHARE_TARGET = 0.40;

	static final double INGEST_P99_TARGET_MS = 25;

	static final double E2E_P50_TARGET_MS = 15;

	static final double E2E_P99_TARGET_MS = 100;

	static final long DELIVERY_TARGET_PER_SECOND = 8_000;

	static final long RSS_TARGET_MB = 512;

	/** Medians over the runs, the figures the targets are judged on. */
	Map<String, Double> medians() {
		Map<String, Double> medians = new LinkedHashMap<>();
		medians.put("bareWebFluxPerSecond", median(Run::barePerSecond));
		medians.put("insertCommitsPerSecond", median((run) -> run.insertCommits().commitsPerSecond()));
		medians.put("gatewayAcceptedPerSecond", median((run) -> run.gateway().result().perSecond()));
		medians.put("gatewayShareOfBare", median(Run::gatewayShareOfBare));
		medians.put("gatewayP50Ms", median((run) -> run.gateway().result().p50Ms()));
		medians.put("gatewayP99Ms", median((run) -> run.gateway().result().p99Ms()));
		medians.put("endToEndP50Ms", median((run) -> run.endToEnd().p50Ms()));
		medians.put("endToEndP99Ms", median((run) -> run.endToEnd().p99Ms()));
		medians.put("endToEndMaxMs", median((run) -> run.endToEnd().maxMs()));
		medians.put("deliveriesPerSecondOneDispatcher", median((run) -> run.oneDispatcher().perSecond()));
		medians.put("deliveriesPerSecondTwoDispatchers", median((run) -> run.twoDispatchers().perSecond()));
		return medians;
	}

	/** Each target with the figure it is judged on and whether it was met. */
	List<Target> targets() {
		Map<String, Double> medians = medians();
		List<Target> targets = new ArrayList<>();
		targets.add(new Target("ingest ≥ 40% of bare WebFlux", percent(medians.get("gatewayShareOfBare")),
				medians.get("gatewayShareOfBare") >= INGEST_SHARE_TARGET));
		targets.add(new Target("ingest p99 ≤ 25 ms", ms(medians.get("gatewayP99Ms")),
				medians.get("gatewayP99Ms") <= INGEST_P99_TARGET_MS));
		targets.add(new Target("end-to-end p50 ≤ 15 ms", ms(medians.get("endToEndP50Ms")),
				medians.get("endToEndP50Ms") <= E2E_P50_TARGET_MS));
		targets.add(new Target("end-to-end p99 ≤ 100 ms", ms(medians.get("endToEndP99Ms")),
				medians.get("endToEndP99Ms") <= E2E_P99_TARGET_MS));
		long lost = this.runs.stream().mapToLong((run) -> run.endToEnd().missing()).sum();
		targets.add(new Target("every accepted call's webhook arrived", lost + " missing", lost == 0));
		for (String key : List.of("deliveriesPerSecondOneDispatcher", "deliveriesPerSecondTwoDispatchers")) {
			String label = key.endsWith("OneDispatcher") ? "one dispatcher" : "two dispatchers";
			targets.add(new Target("delivery ≥ 8,000/s, " + label, "%,.0f/s".formatted(medians.get(key)),
					medians.get(key) >= DELIVERY_TARGET_PER_SECOND));
		}
		this.peakRssMb.forEach((service, mb) -> targets
			.add(new Target(service + " peak RSS < 512 MB", mb + " MB", mb < RSS_TARGET_MB)));
		return targets;
	}

	String markdown() {
		Map<String, Double> medians = medians();
		StringBuilder out = new StringBuilder();
		out.append("# Hookway benchmark, ").append(DateTimeFormatter.ISO_INSTANT.format(this.started));
		out.append(this.settings.smoke() ? " (smoke run: figures mean nothing)" : "").append("\n\n");
		this.machine.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
		out.append("- runs: ")
			.append(this.runs.size())
			.append(", took ")
			.append(this.took.toMinutes())
			.append(" min\n\n");

		out.append("| measure | median | runs |\n|---|---|---|\n");
		row(out, "bare WebFlux, 202 with no work (req/s)", medians.get("bareWebFluxPerSecond"), Run::barePerSecond,
				"%,.0f");
		row(out, "pgbench single-row INSERT commits/s, c=" + this.settings.connections(),
				medians.get("insertCommitsPerSecond"), (run) -> run.insertCommits().commitsPerSecond(), "%,.0f");
		row(out, "gateway accepted calls/s (JWT, insert, commit, 202)", medians.get("gatewayAcceptedPerSecond"),
				(run) -> run.gateway().result().perSecond(), "%,.0f");
		row(out, "gateway share of bare WebFlux", medians.get("gatewayShareOfBare") * 100,
				(run) -> run.gatewayShareOfBare() * 100, "%.0f%%");
		row(out, "gateway p50 (ms)", medians.get("gatewayP50Ms"), (run) -> run.gateway().result().p50Ms(), "%.1f");
		row(out, "gateway p99 (ms)", medians.get("gatewayP99Ms"), (run) -> run.gateway().result().p99Ms(), "%.1f");
		row(out, "end-to-end p50 at " + this.settings.e2eRate() + "/s (ms)", medians.get("endToEndP50Ms"),
				(run) -> run.endToEnd().p50Ms(), "%.1f");
		row(out, "end-to-end p99 (ms)", medians.get("endToEndP99Ms"), (run) -> run.endToEnd().p99Ms(), "%.1f");
		row(out, "end-to-end max (ms)", medians.get("endToEndMaxMs"), (run) -> run.endToEnd().maxMs(), "%.1f");
		row(out, "webhooks/s draining " + this.settings.backlog() + ", one dispatcher",
				medians.get("deliveriesPerSecondOneDispatcher"), (run) -> run.oneDispatcher().perSecond(), "%,.0f");
		row(out, "webhooks/s draining " + this.settings.backlog() + ", two dispatchers",
				medians.get("deliveriesPerSecondTwoDispatchers"), (run) -> run.twoDispatchers().perSecond(), "%,.0f");

		out.append("\n| target | measured | met |\n|---|---|---|\n");
		for (Target target : targets()) {
			out.append("| ")
				.append(target.name())
				.append(" | ")
				.append(target.measured())
				.append(" | ")
				.append(target.met() ? "yes" : "**no**")
				.append(" |\n");
		}

		out.append("\n| peak RSS | MB |\n|---|---|\n");
		this.peakRssMb
			.forEach((service, mb) -> out.append("| ").append(service).append(" | ").append(mb).append(" |\n"));

		if (!this.runs.isEmpty()) {
			out.append(
					"\nQueue tables after the last run (before truncation):\n\n| table | live | dead | autovacuums |\n|---|---|---|---|\n");
			for (TableTuples table : this.runs.get(this.runs.size() - 1).tuples()) {
				out.append("| ")
					.append(table.table())
					.append(" | ")
					.append(table.live())
					.append(" | ")
					.append(table.dead())
					.append(" | ")
					.append(table.autovacuums())
					.append(" |\n");
			}
		}

		out.append(
				"\nCPU during each measured window (busy share of all cores; others = not the benchmark, its services or PostgreSQL):\n\n");
		out.append("| run | bare | gateway | end-to-end | drain 1 | drain 2 |\n|---|---|---|---|---|---|\n");
		for (Run run : this.runs) {
			out.append("| ").append(run.run());
			for (CpuUse cpu : List.of(run.bare().cpu(), run.gateway().cpu(), run.endToEnd().cpu(),
					run.oneDispatcher().cpu(), run.twoDispatchers().cpu())) {
				out.append(" | ")
					.append(cpu.busyPercent())
					.append("% (others ")
					.append(cpu.otherPercent())
					.append("%)");
			}
			out.append(" |\n");
		}
		return out.toString();
	}

	/** Writes report.md and report.json into a new folder under the directory. */
	Path write(Path directory) throws IOException {
		Path folder = directory.resolve(FOLDER.format(this.started) + (this.settings.smoke() ? "-smoke" : ""));
		Files.createDirectories(folder);
		Files.writeString(folder.resolve("report.md"), markdown());
		Map<String, Object> json = new LinkedHashMap<>();
		json.put("started", this.started.toString());
		json.put("smoke", this.settings.smoke());
		json.put("machine", this.machine);
		json.put("settings", this.settings);
		json.put("medians", medians());
		json.put("targets", targets());
		json.put("peakRssMb", this.peakRssMb);
		json.put("runs", this.runs);
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(folder.resolve("report.json"), mapper.writeValueAsString(json));
		return folder;
	}

	private void row(StringBuilder out, String label, double median, ToDoubleFunction<Run> figure, String format) {
		out.append("| ").append(label).append(" | ").append(format.formatted(median)).append(" | ");
		out.append(String.join(", ",
				this.runs.stream().map((run) -> format.formatted(figure.applyAsDouble(run))).toList()));
		out.append(" |\n");
	}

	private double median(ToDoubleFunction<Run> figure) {
		double[] values = this.runs.stream().mapToDouble(figure).sorted().toArray();
		if (values.length == 0) {
			return 0;
		}
		return (values.length % 2 == 1) ? values[values.length / 2]
				: (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
	}

	private static String percent(double share) {
		return "%.0f%%".formatted(share * 100);
	}

	private static String ms(double millis) {
		return "%.1f ms".formatted(millis);
	}

	record Ingest(Wrk.Result result, CpuUse cpu) {
	}

	/**
	 * @param rate calls per second sent
	 * @param seconds length of the window
	 * @param sent calls sent
	 * @param accepted calls answered 202
	 * @param delivered accepted calls whose webhook arrived
	 * @param missing accepted calls whose webhook did not arrive within 30 s of the end
	 * @param p50Ms from intended send to the webhook's arrival
	 * @param p99Ms the same, 99th percentile
	 * @param maxMs the same, slowest
	 * @param acceptP50Ms from intended send to the 202
	 * @param acceptP99Ms the same, 99th percentile
	 * @param cpu machine use during the window
	 */
	record EndToEnd(int rate, long seconds, long sent, long accepted, long delivered, long missing, double p50Ms,
			double p99Ms, double maxMs, double acceptP50Ms, double acceptP99Ms, CpuUse cpu) {
	}

	/**
	 * @param dispatchers dispatcher processes draining
	 * @param backlog deliveries seeded at once
	 * @param seconds from the seed's commit until every delivery was recorded as
	 * delivered
	 * @param perSecond backlog / seconds
	 * @param received webhook requests the receiver got, duplicates included
	 * @param distinct distinct webhook-ids among them
	 * @param cpu machine use during the drain
	 */
	record Drain(int dispatchers, int backlog, double seconds, long perSecond, long received, long distinct,
			CpuUse cpu) {
	}

	record Run(int run, Ingest bare, Pgbench.Result insertCommits, Ingest gateway, long tasksWritten, EndToEnd endToEnd,
			Drain oneDispatcher, Drain twoDispatchers, List<TableTuples> tuples) {

		double barePerSecond() {
			return this.bare.result().perSecond();
		}

		double gatewayShareOfBare() {
			return (barePerSecond() == 0) ? 0 : this.gateway.result().perSecond() / barePerSecond();
		}

	}

	record Target(String name, String measured, boolean met) {
	}

}
