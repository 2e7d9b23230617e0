package io.hookway.bench;

import java.time.format.DateTimeFormatter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.hookway.bench.BenchDatabase.TableTuples;
import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.Figures.Figure;
import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.StartupPhase.Start;
import io.hookway.bench.StartupPhase.Startup;
import io.hookway.bench.Targets.Target;

/**
 * The report as Markdown: what ran where, the figures, the targets, and where CPU went.
 */
final class ReportMarkdown {

	private ReportMarkdown() {
	}

	static String render(Report report) {
		BenchSettings settings = report.settings();
		StringBuilder out = new StringBuilder();
		out.append("# Hookway benchmark, ").append(DateTimeFormatter.ISO_INSTANT.format(report.started()));
		out.append(settings.smoke() ? " (smoke run: figures mean nothing)" : "").append("\n\n");
		report.machine().forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
		out.append("- runs: ").append(report.runs().size()).append(", took ").append(report.took().toMinutes());
		out.append(" min\n\nPostgreSQL:\n\n");
		report.database().forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
		out.append("\nWorkloads:\n\n");
		out.append(
				"- drains: %,d deliveries (after %,d to warm up) to one endpoint, and to %,d endpoints of %,d applications in turn; %d deliveries in flight per endpoint and dispatcher (hookway.webhooks.max-concurrency-per-endpoint)\n"
					.formatted(settings.backlog(), settings.deliveryWarmup(), settings.endpoints(),
							settings.applications(), settings.perEndpointConcurrency()));
		out.append(
				"- fairness: application A has %,d deliveries due to an endpoint that answers in %d s; application B calls the gateway %d times a second for %d s; one dispatcher\n"
					.formatted(settings.fairnessBacklog(), settings.slowAnswer().toSeconds(), settings.fairnessRate(),
							settings.fairnessDuration().toSeconds()));
		out.append(
				"- graphile-worker: %,d jobs (after %,d to warm up), each a POST of the same webhook payload to the same receiver\n\n"
					.formatted(settings.baselineJobs(), settings.baselineWarmup()));

		out.append("| measure | median | runs |\n|---|---|---|\n");
		for (Figure figure : Figures.of(settings)) {
			out.append("| ").append(figure.label()).append(" | ");
			out.append(format(figure.format(), report.median(figure.value()))).append(" | ");
			out.append(String.join(", ",
					report.runs()
						.stream()
						.map((run) -> format(figure.format(), figure.value().applyAsDouble(run)))
						.toList()));
			out.append(" |\n");
		}

		out.append("\n| target | measured | met |\n|---|---|---|\n");
		for (Target target : report.targets()) {
			String met = (target.met() == null) ? "not judged" : target.met() ? "met" : "**not met**";
			out.append("| ").append(target.name()).append(" | ").append(target.measured()).append(" | ");
			out.append(met).append(" |\n");
		}

		startup(out, report);
		cpuPerUnit(out, report);

		out.append("\n| peak RSS | MB |\n|---|---|\n");
		report.peakRssMb()
			.forEach((service, mb) -> out.append("| ").append(service).append(" | ").append(mb).append(" |\n"));
		report.runs()
			.stream()
			.filter((run) -> run.graphileWorker().skipped() == null)
			.mapToLong((run) -> run.graphileWorker().peakRssMb())
			.max()
			.ifPresent((mb) -> out.append("| graphile-worker | ").append(mb).append(" |\n"));

		if (!report.runs().isEmpty()) {
			Run last = report.runs().get(report.runs().size() - 1);
			out.append("\nBaseline: ")
				.append((last.graphileWorker().skipped() != null) ? "skipped, " + last.graphileWorker().skipped()
						: last.graphileWorker().software())
				.append('\n');
			out.append("\nQueue tables after the last drain (before truncation):\n\n");
			out.append("| table | live | dead | autovacuums |\n|---|---|---|---|\n");
			for (TableTuples table : last.tuples()) {
				out.append("| ").append(table.table()).append(" | ").append(table.live()).append(" | ");
				out.append(table.dead()).append(" | ").append(table.autovacuums()).append(" |\n");
			}
		}
		loads(out, report);
		return out.toString();
	}

	private static void startup(StringBuilder out, Report report) {
		if (report.startup().isEmpty()) {
			return;
		}
		out.append("\nStart-up, medians of ").append(report.settings().startupRuns());
		out.append(" start(s) per process: wall time from fork until /actuator/health/readiness answered 200, ");
		out.append("CPU time (user + system) of the process until then, resident set then; the fat jar ");
		String cache = StartupPhase.ClassCache.ofThisJvm().name();
		out.append("(java -jar x.jar) beside the extracted jar with a ").append(cache);
		out.append(" of its training run, on ").append(Runtime.version()).append(":\n\n");
		out.append("| process | fat jar: ready | CPU | RSS | extracted + ")
			.append(cache)
			.append(": ready | CPU | RSS |\n");
		out.append("|---|---|---|---|---|---|---|\n");
		for (Startup startup : report.startup()) {
			out.append("| ").append(startup.process()).append(" | ");
			if (startup.skipped() != null) {
				out.append("skipped, ").append(startup.skipped()).append(" | | | | | |\n");
				continue;
			}
			out.append(figures(startup.fatJar().median())).append(" | ");
			out.append(figures(startup.cds().median())).append(" |\n");
		}
	}

	private static String figures(@Nullable Start median) {
		return (median != null) ? "%,d ms | %,d ms | %d MB".formatted(median.readyMs(), median.cpuMs(), median.rssMb())
				: "not measured | | ";
	}

	private static void cpuPerUnit(StringBuilder out, Report report) {
		Map<String, Map<String, Double>> table = report.cpuPerUnit();
		Set<String> seen = new LinkedHashSet<>();
		table.values().forEach((row) -> seen.addAll(row.keySet()));
		// the processes under measurement first, then what they lean on
		Set<String> parties = new LinkedHashSet<>(List.of("gateway", "dispatcher", "bare-webflux", GraphileWorker.NAME,
				CpuMeter.POSTGRESQL, CpuMeter.BENCHMARK, CpuMeter.LOAD_TOOLS, "portal"));
		parties.retainAll(seen);
		parties.addAll(seen);
		parties.remove("total");
		parties.add("total");
		out.append("\nCPU time per unit of work, µs (medians; ").append(CpuMeter.BENCHMARK);
		out.append(" = the benchmark's JVM: receiver, upstream and fixed-rate callers; ").append(CpuMeter.LOAD_TOOLS);
		out.append(" = wrk, pgbench; ").append(CpuMeter.POSTGRESQL).append(" = every process of its server):\n\n");
		out.append("| window |");
		parties.forEach((party) -> out.append(' ').append(party).append(" |"));
		out.append("\n|---|").append("---|".repeat(parties.size())).append('\n');
		table.forEach((window, row) -> {
			out.append("| ").append(window).append(" |");
			parties.forEach((party) -> out.append(' ')
				.append(row.containsKey(party) ? "%,.1f".formatted(row.get(party)) : "")
				.append(" |"));
			out.append('\n');
		});
	}

	/** How busy the machine was before each phase and during its window, run by run. */
	private static void loads(StringBuilder out, Report report) {
		out.append("\nThe machine before each measured phase (busy share of all cores, one-minute load average, ");
		out.append("seconds waited for it to be quiet) and during the window (busy share; others = used by no ");
		out.append("party above: other tenants, the kernel's softirq work for loopback traffic):\n\n");
		out.append("| phase | run | before | window |\n|---|---|---|---|\n");
		for (Startup startup : report.startup()) {
			Load load = startup.load();
			if (load != null) {
				out.append("| start-up, ").append(startup.process()).append(" | – | ").append(before(load));
				out.append(" | – |\n");
			}
		}
		for (Run run : report.runs()) {
			phase(out, "bare WebFlux", run.run(), run.bare().load(), run.bare().cpu());
			phase(out, "pgbench", run.run(), run.insertCommits().load(), run.insertCommits().cpu());
			phase(out, "gateway ingest", run.run(), run.gateway().load(), run.gateway().cpu());
			phase(out, "drain, one endpoint, one dispatcher", run.run(), run.singleOne().load(), run.singleOne().cpu());
			phase(out, "drain, spread, one dispatcher", run.run(), run.spreadOne().load(), run.spreadOne().cpu());
			phase(out, "end-to-end", run.run(), run.endToEnd().load(), run.endToEnd().cpu());
			phase(out, "fairness", run.run(), run.fairness().load(), run.fairness().cpu());
			phase(out, "publish, fan-out 1", run.run(), run.publishOne().load(), run.publishOne().cpu());
			phase(out, "publish, fan-out 10", run.run(), run.publishTen().load(), run.publishTen().cpu());
			phase(out, "drain, one endpoint, two dispatchers", run.run(), run.singleTwo().load(),
					run.singleTwo().cpu());
			phase(out, "drain, spread, two dispatchers", run.run(), run.spreadTwo().load(), run.spreadTwo().cpu());
			if (run.graphileWorker().load() != null) {
				phase(out, "graphile-worker", run.run(), run.graphileWorker().load(), run.graphileWorker().cpu());
			}
		}
	}

	private static void phase(StringBuilder out, String phase, int run, Load load, CpuUse cpu) {
		out.append("| ").append(phase).append(" | ").append(run).append(" | ");
		out.append(before(load));
		out.append(" | ").append("%.0f%% busy, others %.1f%%".formatted(cpu.busyPercent(), cpu.otherPercent()));
		out.append(" |\n");
	}

	private static String before(Load load) {
		return "%.0f%%, load %.2f, %d s%s".formatted(load.busyPercent(), load.loadAverage(), load.waitedSeconds(),
				load.quiet() ? "" : ", **not quiet**");
	}

	private static String format(String format, double value) {
		return Double.isNaN(value) ? "–" : format.formatted(value);
	}

}
