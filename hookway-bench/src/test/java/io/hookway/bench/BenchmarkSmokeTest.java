package io.hookway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the whole benchmark in its seconds-long smoke mode against the built jars: every
 * phase must produce figures and the report must be written. How fast is not asserted:
 * timing belongs to the benchmark run, not to the test suite.
 */
class BenchmarkSmokeTest {

	@TempDir
	Path results;

	@Test
	void everyPhaseProducesFiguresAndTheReportIsWritten() throws Exception {
		String testDatabase = System.getenv("HOOKWAY_TEST_DATABASE_URL");
		assumeTrue(testDatabase != null, "the benchmark runs against a local PostgreSQL (HOOKWAY_TEST_DATABASE_URL)");
		assumeTrue(Benchmark.loadToolsInstalled(), "the benchmark drives wrk and pgbench: bench/install-tools");
		String database = testDatabase.substring(0, testDatabase.lastIndexOf('/') + 1) + "hookway_bench_smoke";
		BenchSettings settings = BenchSettings.parse("--smoke", "--database=" + database,
				"--project=" + Paths.get("..").toAbsolutePath().normalize(), "--results=" + this.results);

		Report report = new Benchmark(settings).run();

		Report.Run run = report.runs().get(0);
		assertThat(run.bare().result().perSecond()).isPositive();
		assertThat(run.insertCommits().commitsPerSecond()).isPositive();
		assertThat(run.gateway().result().perSecond()).isPositive();
		assertThat(run.gateway().result().refused()).isZero();
		// calls still in flight when the load stopped may have been written too
		assertThat(run.tasksWritten()).isBetween(run.gateway().result().requests(),
				run.gateway().result().requests() + settings.connections());
		assertThat(run.endToEnd().accepted()).isEqualTo(run.endToEnd().sent());
		assertThat(run.endToEnd().missing()).isZero();
		assertThat(run.endToEnd().p50Ms()).isPositive();
		for (Report.Drain drain : new Report.Drain[] { run.oneDispatcher(), run.twoDispatchers() }) {
			assertThat(drain.distinct()).isEqualTo(settings.backlog());
			assertThat(drain.perSecond()).isPositive();
		}
		assertThat(report.peakRssMb()).containsOnlyKeys("gateway", "dispatcher", "portal")
			.allSatisfy((service, mb) -> assertThat(mb).isPositive());
		assertThat(run.tuples()).extracting(BenchDatabase.TableTuples::table)
			.containsExactlyInAnyOrderElementsOf(BenchDatabase.QUEUE_TABLES);
		Map<String, Double> medians = report.medians();
		assertThat(medians.get("gatewayShareOfBare")).isPositive();

		Path folder = report.write(this.results);
		assertThat(Files.readString(folder.resolve("report.md"))).contains("| target | measured | met |")
			.contains("gateway accepted calls/s");
		assertThat(Files.readString(folder.resolve("report.json"))).contains("\"medians\"")
			.contains("\"deliveriesPerSecondTwoDispatchers\"");
	}

}
