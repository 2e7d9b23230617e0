package io.hookway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.Figures.Figure;
import io.hookway.bench.StartupPhase.Startup;

/**
 * Every figure of every run, their medians, and the targets they are judged against;
 * written as Markdown ({@link ReportMarkdown}) and JSON.
 *
 * @param machine what the machine and the services ran with
 * @param database the PostgreSQL server and the settings it ran with
 * @param peakRssMb largest resident set of each kind of Hookway service
 * @param startup each process's start-up; empty when not measured
 */
record Report(Instant started, Duration took, BenchSettings settings, Map<String, String> machine,
		Map<String, String> database, List<Run> runs, Map<String, Long> peakRssMb, List<Startup> startup) {

	private static final DateTimeFormatter FOLDER = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	/** Medians over the runs of every figure, the figures the targets are judged on. */
	Map<String, Double> medians() {
		Map<String, Double> medians = new LinkedHashMap<>();
		for (Figure figure : Figures.of(this.settings)) {
			medians.put(figure.key(), median(figure.value()));
		}
		return medians;
	}

	/**
	 * A measured window whose CPU is read per unit of work.
	 *
	 * @param label what the window measured, and its unit
	 * @param cpu the window of a run
	 * @param units units of work the run did in it
	 */
	record CpuWindow(String label, Function<Run, CpuUse> cpu, ToLongFunction<Run> units) {

		Map<String, Double> microsPer(Run run) {
			return this.cpu.apply(run).microsPer(this.units.applyAsLong(run));
		}

	}

	static final List<CpuWindow> CPU_WINDOWS = List.of(
			new CpuWindow("bare WebFlux, per accepted call", (run) -> run.bare().cpu(), (run) -> run.bare().accepted()),
			new CpuWindow("pgbench, per commit", (run) -> run.insertCommits().cpu(),
					(run) -> run.insertCommits().commits()),
			new CpuWindow("gateway ingest, per accepted call", (run) -> run.gateway().cpu(),
					(run) -> run.gateway().accepted()),
			new CpuWindow("end-to-end, per call", (run) -> run.endToEnd().cpu(),
					(run) -> run.endToEnd().latencies().accepted()),
			new CpuWindow("one endpoint, one dispatcher, per delivery", (run) -> run.singleOne().cpu(),
					(run) -> run.singleOne().backlog()),
			new CpuWindow("one endpoint, two dispatchers, per delivery", (run) -> run.singleTwo().cpu(),
					(run) -> run.singleTwo().backlog()),
			new CpuWindow("spread, one dispatcher, per delivery", (run) -> run.spreadOne().cpu(),
					(run) -> run.spreadOne().backlog()),
			new CpuWindow("spread, two dispatchers, per delivery", (run) -> run.spreadTwo().cpu(),
					(run) -> run.spreadTwo().backlog()),
			new CpuWindow("publish, fan-out 1, per event", (run) -> run.publishOne().cpu(),
					(run) -> run.publishOne().accepted()),
			new CpuWindow("publish, fan-out 10, per event", (run) -> run.publishTen().cpu(),
					(run) -> run.publishTen().accepted()),
			new CpuWindow("graphile-worker, per job", (run) -> run.graphileWorker().cpu(),
					(run) -> run.graphileWorker().jobs()));

	/**
	 * Median microseconds of CPU per unit of work, for every window and party (the
	 * parties in the order first seen), with their total.
	 */
	Map<String, Map<String, Double>> cpuPerUnit() {
		Map<String, Map<String, Double>> table = new LinkedHashMap<>();
		for (CpuWindow window : CPU_WINDOWS) {
			Map<String, Double> parties = new LinkedHashMap<>();
			for (Run run : this.runs) {
				window.microsPer(run).keySet().forEach((party) -> parties.put(party, 0.0));
			}
			parties.replaceAll((party, zero) -> median((run) -> window.microsPer(run).getOrDefault(party, Double.NaN)));
			if (!parties.isEmpty()) {
				parties.put("total",
						Math.round(parties.values().stream().mapToDouble(Double::doubleValue).sum() * 10) / 10.0);
				table.put(window.label(), parties);
			}
		}
		return table;
	}

	List<Targets.Target> targets() {
		return Targets.judge(this);
	}

	String markdown() {
		return ReportMarkdown.render(this);
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
		json.put("database", this.database);
		json.put("settings", this.settings);
		Map<String, Double> medians = medians();
		// JSON has no NaN: a figure no run had is null
		medians.replaceAll((key, value) -> value.isNaN() ? null : value);
		json.put("medians", medians);
		json.put("cpuMicrosPerUnit", cpuPerUnit());
		json.put("targets", targets());
		json.put("peakRssMb", this.peakRssMb);
		json.put("startup", this.startup);
		json.put("runs", this.runs);
		JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
		Files.writeString(folder.resolve("report.json"), mapper.writeValueAsString(json));
		return folder;
	}

	/** The median of a figure over the runs that have it; NaN when none has. */
	double median(ToDoubleFunction<Run> figure) {
		double[] values = this.runs.stream()
			.mapToDouble(figure)
			.filter((value) -> !Double.isNaN(value))
			.sorted()
			.toArray();
		if (values.length == 0) {
			return Double.NaN;
		}
		return (values.length % 2 == 1) ? values[values.length / 2]
				: (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
	}

}
