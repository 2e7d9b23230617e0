package io.hookway.bench;

import java.util.ArrayList;
import java.util.List;

import io.hookway.bench.BenchDatabase.TableTuples;
import io.hookway.bench.Run.Baseline;
import io.hookway.bench.Run.Drain;
import io.hookway.bench.Run.EndToEnd;
import io.hookway.bench.Run.Fairness;
import io.hookway.bench.Run.Ingest;
import io.hookway.bench.Run.InsertCommits;
import io.hookway.bench.Run.Publish;

/**
 * One run: every phase once, in fresh gateway and dispatcher processes. The order
 * matters: the gateway's ingest and the one-dispatcher drains come before the latency
 * phases, which they warm up (on two cores a JVM spends its first minutes compiling); the
 * gateway is stopped before the two-dispatcher drains, and every Hookway service but the
 * idle portal before the graphile-worker baseline.
 */
final class BenchRun {

	private final Rig rig;

	BenchRun(Rig rig) {
		this.rig = rig;
	}

	Run run(int run) throws Exception {
		Services services = this.rig.services();
		Rig.log("run " + run + ": bare WebFlux baseline");
		Ingest bare = IngestPhase.bare(this.rig, this.rig.tenants().token());
		Rig.log("run " + run + ": pgbench single-row INSERT commits");
		InsertCommits insertCommits = IngestPhase.insertCommits(this.rig);

		Ingest ingest;
		long written;
		EndToEnd endToEnd;
		Fairness fairness;
		Publish publishOne;
		Publish publishTen;
		Drain singleOne;
		Drain spreadOne;
		Drain singleTwo;
		Drain spreadTwo;
		List<TableTuples> tuples;
		List<JavaService> dispatchers = new ArrayList<>();
		try {
			JavaService gateway = services.gateway();
			try {
				Rig.log("run " + run + ": gateway ingest");
				ingest = IngestPhase.ingest(this.rig, this.rig.routeUrl(gateway), this.rig.tenants().token());
				written = this.rig.database().count("select count(*) from tasks");
				this.rig.database().truncateQueues();

				dispatchers.add(services.dispatcher(1));
				singleOne = DrainPhase.single(this.rig, dispatchers);
				spreadOne = DrainPhase.spread(this.rig, dispatchers);
				endToEnd = LatencyPhase.endToEnd(this.rig, gateway,
						this.rig.settings().e2eRate(bare.result().perSecond()));
				fairness = LatencyPhase.fairness(this.rig, gateway);
				publishOne = PublishPhase.run(this.rig, gateway, 1);
				publishTen = PublishPhase.run(this.rig, gateway, 10);
			}
			finally {
				services.close(gateway);
			}
			dispatchers.add(services.dispatcher(2));
			singleTwo = DrainPhase.single(this.rig, dispatchers);
			spreadTwo = DrainPhase.spread(this.rig, dispatchers);
			tuples = this.rig.database().tuples();
			this.rig.database().truncateQueues();
		}
		finally {
			for (JavaService dispatcher : dispatchers) {
				services.close(dispatcher);
			}
		}
		Rig.log("run " + run + ": graphile-worker baseline");
		Baseline graphileWorker = GraphileWorker.run(this.rig);
		return new Run(run, bare, insertCommits, ingest, written, endToEnd, singleOne, spreadOne, singleTwo, spreadTwo,
				fairness, publishOne, publishTen, graphileWorker, tuples);
	}

}
