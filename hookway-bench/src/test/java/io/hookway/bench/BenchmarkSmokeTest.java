package io.hookway.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.hookway.bench.StartupPhase.Startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the whole benchmark in its seconds-long smoke mode against the built jars, on a
 * private PostgreSQL server where one can run (else on the test server): every phase must
 * produce figures and the report must be written. How fast is not asserted: timing
 * belongs to the benchmark run, not to the test suite.
 */
class BenchmarkSmokeTest {

	@TempDir
	Path results;

	@Test
	void everyPhaseProducesFiguresAndTheReportIsWritten() throws Exception {
		assumeTrue(Benchmark.loadToolsInstalled(), "the benchmark drives wrk and pgbench: bench/install-tools");
		Path project = Paths.get("..").toAbsolutePath().normalize();
		List<String> arguments = new ArrayList<>(
				List.of("--smoke", "--project=" + project, "--results=" + this.results));
		boolean privateServer = PrivateCluster.unavailable().isEmpty();
		if (!privateServer) {
			String testDatabase = System.getenv("HOOKWAY_TEST_DATABASE_URL");
			assumeTrue(testDatabase != null, "no private PostgreSQL server, nor HOOKWAY_TEST_DATABASE_URL");
			arguments.add("--database=" + testDatabase.substring(0, testDatabase.lastIndexOf('/') + 1)
					+ "hookway_bench_smoke");
		}
		BenchSettings settings = BenchSettings.parse(arguments.toArray(String[]::new));

		Report report = new Benchmark(settings).run();

		Run run = report.runs().get(0);
		assertThat(run.bare().result().perSecond()).isPositive();
		assertThat(run.insertCommits().result().commitsPerSecond()).isPositive();
		assertThat(run.gateway().result().perSecond()).isPositive();
		assertThat(run.gateway().result().refused()).isZero();
		// calls still in flight when the load stopped may have been written too
		assertThat(run.tasksWritten()).isBetween(run.gateway().result().requests(),
				run.gateway().result().requests() + settings.connections());
		assertThat(run.endToEnd().rate()).isEqualTo(settings.e2eRate(run.barePerSecond()));
		for (Run.Latencies calls : List.of(run.endToEnd().latencies(), run.fairness().latencies())) {
			assertThat(calls.accepted()).isEqualTo(calls.sent()).isPositive();
			assertThat(calls.missing()).isZero();
			assertThat(calls.p50Ms()).isPositive();
		}
		assertThat(run.fairness().floodDelivered()).as("A's endpoint was busy during B's calls").isPositive();
		for (Run.Drain drain : List.of(run.singleOne(), run.singleTwo(), run.spreadOne(), run.spreadTwo())) {
			assertThat(drain.distinct()).isEqualTo(settings.backlog());
			assertThat(drain.perSecond()).isPositive();
		}
		for (Run.Publish publish : List.of(run.publishOne(), run.publishTen())) {
			assertThat(publish.accepted()).isPositive();
			// every event of the window fanned out to every subscribed endpoint, and all
			// were delivered (events still in flight when the load stopped may count too)
			assertThat(publish.deliveries()).isBetween(publish.accepted() * publish.fanOut(),
					(publish.accepted() + settings.connections()) * publish.fanOut());
		}
		assertThat(run.publishTen().fanOut()).isEqualTo(10);
		assertThat(run.spreadTwo().endpoints()).isEqualTo(settings.endpoints());
		assertThat(run.singleTwo().dispatchers()).isEqualTo(2);
		if (GraphileWorker.unavailable(project).isEmpty()) {
			assertThat(run.graphileWorker().skipped()).isNull();
			assertThat(run.graphileWorker().distinct()).isEqualTo(settings.baselineJobs());
			assertThat(report.medians().get("spreadOneOfGraphileWorker")).isPositive();
		}
		else {
			assertThat(run.graphileWorker().skipped()).isNotBlank();
		}
		assertThat(report.peakRssMb()).containsOnlyKeys("gateway", "dispatcher", "portal")
			.allSatisfy((service, mb) -> assertThat(mb).isPositive());
		assertThat(run.tuples()).extracting(BenchDatabase.TableTuples::table)
			.containsExactlyInAnyOrderElementsOf(BenchDatabase.QUEUE_TABLES);
		Map<String, Map<String, Double>> cpu = report.cpuPerUnit();
		assertThat(cpu.get("gateway ingest, per accepted call")).containsKeys("gateway", CpuMeter.POSTGRESQL);
		assertThat(cpu.get("gateway ingest, per accepted call").get("total")).isPositive();
		assertThat(cpu.get("spread, two dispatchers, per delivery")).containsKey("dispatcher");
		assertThat(report.startup()).extracting(Startup::process)
			.containsExactly("gateway", "dispatcher", "portal", "standalone");
		boolean standaloneBuilt = Files.isRegularFile(project.resolve(Services.STANDALONE_JAR));
		for (Startup startup : report.startup()) {
			if (startup.process().equals("standalone") && !standaloneBuilt) {
				assertThat(startup.skipped()).isNotBlank();
				continue;
			}
			assertThat(startup.skipped()).as(startup.process()).isNull();
			assertThat(startup.fatJar().each()).hasSize(settings.startupRuns());
			assertThat(startup.fatJar().median()).satisfies((median) -> {
				assertThat(median.readyMs()).isPositive();
				assertThat(median.cpuMs()).isPositive();
				assertThat(median.rssMb()).isPositive();
			});
			// a smoke run trains no archive
			assertThat(startup.cds().each()).isEmpty();
		}
		assertThat(report.targets()).filteredOn((target) -> target.name().startsWith("gateway ready ≤ 5 s"))
			.singleElement()
			.satisfies((target) -> assertThat(target.met()).isNull());
		if (privateServer) {
			assertThat(report.database()).containsEntry("autovacuum", "on").containsEntry("synchronous_commit", "on");
		}

		Path folder = report.write(this.results);
		assertThat(Files.readString(folder.resolve("report.md"))).contains("| target | measured | met |")
			.contains("gateway accepted calls/s")
			.contains("CPU time per unit of work")
			.contains("| process | fat jar: ready |");
		assertThat(Files.readString(folder.resolve("report.json"))).contains("\"medians\"")
			.contains("\"spreadTwoPerSecond\"")
			.contains("\"cpuMicrosPerUnit\"")
			.contains("\"startup\"");
	}

}
