package io.hookway.bench;

import java.time.Duration;

import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.Run.Ingest;
import io.hookway.bench.Run.InsertCommits;

/**
 * Closed-loop load on an endpoint (the gateway's route, or the bare WebFlux baseline),
 * and the database's own bound on single-row commits.
 */
final class IngestPhase {

	/**
	 * The gateway's default {@code hookway.gateway.database-timeout}, which it runs with.
	 */
	private static final Duration GATEWAY_DATABASE_TIMEOUT = Duration.ofSeconds(5);

	private IngestPhase() {
	}

	/** The bare WebFlux baseline, in a JVM of its own started for the measurement. */
	static Ingest bare(Rig rig, String token) throws Exception {
		JavaService bare = rig.services().bareWebFlux();
		try {
			return ingest(rig, bare.baseUrl() + "/api/" + Services.ROUTE + "/orders", token);
		}
		finally {
			rig.services().close(bare);
		}
	}

	/** Load at the configured concurrency after a warm-up whose rows are then removed. */
	static Ingest ingest(Rig rig, String url, String token) throws Exception {
		BenchSettings settings = rig.settings();
		Load load = rig.quiet();
		Wrk.post(url, token, settings.connections(), settings.ingestWarmup(), rig.work());
		awaitSettled(rig.database());
		rig.database().truncateQueues();
		CpuMeter cpu = rig.meter();
		Wrk.Result result = Wrk.post(url, token, settings.connections(), settings.ingestDuration(), rig.work());
		return new Ingest(result, cpu.stop(), load);
	}

	/**
	 * Waits until no call that was in flight when the load stopped can still be written:
	 * the gateway gives each call at most {@code hookway.gateway.database-timeout} (5 s
	 * by default) and never commits one later. Else they would be written after the
	 * truncation and counted in the next window. The bare baseline writes nothing and
	 * needs no wait.
	 */
	private static void awaitSettled(BenchDatabase database) throws Exception {
		if (database.count("select count(*) from tasks") == 0) {
			return;
		}
		// no state of the gateway tells that its last call is over: its deadline does
		Thread.sleep(GATEWAY_DATABASE_TIMEOUT.plusSeconds(1).toMillis());
	}

	/**
	 * pgbench's single-row INSERT commits into {@code tasks}, at the same concurrency.
	 */
	static InsertCommits insertCommits(Rig rig) throws Exception {
		BenchSettings settings = rig.settings();
		Load load = rig.quiet();
		CpuMeter cpu = rig.meter();
		Pgbench.Result result = Pgbench.insertCommits(rig.database().url(), settings.connections(),
				settings.ingestDuration(), rig.work());
		InsertCommits commits = new InsertCommits(result,
				result.commitsPerSecond() * settings.ingestDuration().toSeconds(), cpu.stop(), load);
		rig.database().truncateQueues();
		return commits;
	}

}
