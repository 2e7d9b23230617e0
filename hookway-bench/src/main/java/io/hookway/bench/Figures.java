package io.hookway.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.hookway.bench.Run.Drain;
import io.hookway.bench.Run.Publish;

/**
 * The figures a run yields, each with its key in report.json, its label in report.md and
 * how it is printed. A drain's rate is also given as a share of graphile-worker's rate in
 * the same run, and two dispatchers' as a share of one's, so that runs on machines of
 * different speed compare.
 */
final class Figures {

	private Figures() {
	}

	/**
	 * @param key name in report.json's medians
	 * @param label row of report.md
	 * @param format how a value is printed
	 * @param value the figure of one run; NaN when the run has none
	 */
	record Figure(String key, String label, String format, ToDoubleFunction<Run> value) {
	}

	static List<Figure> of(BenchSettings settings) {
		String spread = "%,d endpoints of %,d applications".formatted(settings.endpoints(), settings.applications());
		List<Figure> figures = new ArrayList<>();
		figures.add(new Figure("bareWebFluxPerSecond", "bare WebFlux, 202 with no work (req/s)", "%,.0f",
				Run::barePerSecond));
		figures.add(
				new Figure("insertCommitsPerSecond", "pgbench single-row INSERT commits/s, c=" + settings.connections(),
						"%,.0f", (run) -> run.insertCommits().result().commitsPerSecond()));
		figures.add(new Figure("gatewayAcceptedPerSecond", "gateway accepted calls/s (JWT, insert, commit, 202)",
				"%,.0f", (run) -> run.gateway().result().perSecond()));
		figures.add(new Figure("gatewayShareOfBare", "gateway share of bare WebFlux", "%.2f", Run::gatewayShareOfBare));
		figures.add(new Figure("gatewayP50Ms", "gateway p50 (ms)", "%.1f", (run) -> run.gateway().result().p50Ms()));
		figures.add(new Figure("gatewayP99Ms", "gateway p99 (ms)", "%.1f", (run) -> run.gateway().result().p99Ms()));
		figures.add(new Figure("endToEndRate", "end-to-end fixed rate (calls/s, 1% of bare unless --rate)", "%,.0f",
				(run) -> run.endToEnd().rate()));
		figures.add(new Figure("endToEndP50Ms", "end-to-end p50 (ms)", "%.1f",
				(run) -> run.endToEnd().latencies().p50Ms()));
		figures.add(new Figure("endToEndP99Ms", "end-to-end p99 (ms)", "%.1f",
				(run) -> run.endToEnd().latencies().p99Ms()));
		figures.add(new Figure("endToEndMaxMs", "end-to-end max (ms)", "%.1f",
				(run) -> run.endToEnd().latencies().maxMs()));
		drain(figures, "singleOne", "webhooks/s to one endpoint, one dispatcher", Run::singleOne);
		drain(figures, "singleTwo", "webhooks/s to one endpoint, two dispatchers", Run::singleTwo);
		drain(figures, "spreadOne", "webhooks/s to " + spread + ", one dispatcher", Run::spreadOne);
		drain(figures, "spreadTwo", "webhooks/s to " + spread + ", two dispatchers", Run::spreadTwo);
		figures.add(new Figure("graphileWorkerPerSecond", "graphile-worker jobs/s (POST to the same receiver)", "%,.0f",
				(run) -> (run.graphileWorker().skipped() != null) ? Double.NaN : run.graphileWorker().perSecond()));
		ratio(figures, "singleOneOfGraphileWorker", "one endpoint, one dispatcher ÷ graphile-worker",
				(run) -> run.ofBaseline(run.singleOne()));
		ratio(figures, "singleTwoOfGraphileWorker", "one endpoint, two dispatchers ÷ graphile-worker",
				(run) -> run.ofBaseline(run.singleTwo()));
		ratio(figures, "spreadOneOfGraphileWorker", spread + ", one dispatcher ÷ graphile-worker",
				(run) -> run.ofBaseline(run.spreadOne()));
		ratio(figures, "spreadTwoOfGraphileWorker", spread + ", two dispatchers ÷ graphile-worker",
				(run) -> run.ofBaseline(run.spreadTwo()));
		ratio(figures, "singleTwoOfOne", "one endpoint: two dispatchers ÷ one",
				(run) -> (double) run.singleTwo().perSecond() / Math.max(1, run.singleOne().perSecond()));
		ratio(figures, "spreadTwoOfOne", spread + ": two dispatchers ÷ one",
				(run) -> (double) run.spreadTwo().perSecond() / Math.max(1, run.spreadOne().perSecond()));
		String fairness = "B's end-to-end at %d/s during A's flood".formatted(settings.fairnessRate());
		figures.add(new Figure("fairnessP50Ms", fairness + ", p50 (ms)", "%.1f",
				(run) -> run.fairness().latencies().p50Ms()));
		figures.add(new Figure("fairnessP99Ms", fairness + ", p99 (ms)", "%.1f",
				(run) -> run.fairness().latencies().p99Ms()));
		figures.add(new Figure("fairnessMaxMs", fairness + ", max (ms)", "%.1f",
				(run) -> run.fairness().latencies().maxMs()));
		figures.add(new Figure("fairnessFloodPerSecond", "A's webhooks/s to its slow endpoint meanwhile", "%.1f",
				(run) -> (double) run.fairness().floodDelivered() / Math.max(1, run.fairness().seconds())));
		for (int fanOut : new int[] { 1, 10 }) {
			Function<Run, Publish> publish = (fanOut == 1) ? Run::publishOne : Run::publishTen;
			figures.add(new Figure("publishFanOut" + fanOut + "AcceptedPerSecond",
					"events accepted/s, fan-out " + fanOut + " (POST /internal/v1/events)", "%,.0f",
					(run) -> publish.apply(run).acceptedPerSecond()));
			figures.add(new Figure("publishFanOut" + fanOut + "DeliveredPerSecond",
					"their webhooks delivered/s, fan-out " + fanOut + ", one dispatcher", "%,.0f",
					(run) -> publish.apply(run).deliveredPerSecond()));
		}
		return figures;
	}

	private static void drain(List<Figure> figures, String key, String label, Function<Run, Drain> drain) {
		figures.add(new Figure(key + "PerSecond", label, "%,.0f", (run) -> drain.apply(run).perSecond()));
	}

	private static void ratio(List<Figure> figures, String key, String label, ToDoubleFunction<Run> value) {
		figures.add(new Figure(key, label, "%.2f×", value));
	}

}
