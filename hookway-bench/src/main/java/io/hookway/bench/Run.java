package io.hookway.bench;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.hookway.bench.BenchDatabase.TableTuples;
import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.QuietBox.Load;

/**
 * Every figure of one run of the benchmark. Each measured window carries the CPU its
 * parties used and how busy the machine was just before it.
 *
 * @param run its number, from 1
 * @param bare the bare WebFlux baseline under closed-loop load
 * @param insertCommits pgbench single-row INSERT commits
 * @param gateway the gateway under the same load
 * @param tasksWritten task rows the gateway's window left
 * @param endToEnd fixed-rate calls, timed to their webhook
 * @param singleOne drain to one endpoint, one dispatcher
 * @param spreadOne drain spread over many endpoints, one dispatcher
 * @param singleTwo drain to one endpoint, two dispatchers
 * @param spreadTwo drain spread over many endpoints, two dispatchers
 * @param fairness B's calls while A floods a slow endpoint
 * @param graphileWorker the graphile-worker baseline
 * @param tuples row versions of the queue tables after the last drain
 */
record Run(int run, Ingest bare, InsertCommits insertCommits, Ingest gateway, long tasksWritten, EndToEnd endToEnd,
		Drain singleOne, Drain spreadOne, Drain singleTwo, Drain spreadTwo, Fairness fairness, Publish publishOne,
		Publish publishTen, Baseline graphileWorker, List<TableTuples> tuples) {

	double barePerSecond() {
		return this.bare.result().perSecond();
	}

	double gatewayShareOfBare() {
		return (barePerSecond() == 0) ? 0 : this.gateway.result().perSecond() / barePerSecond();
	}

	/**
	 * A drain's rate as a share of graphile-worker's in this run; NaN without the
	 * baseline.
	 */
	double ofBaseline(Drain drain) {
		return (this.graphileWorker.skipped() != null || this.graphileWorker.perSecond() == 0) ? Double.NaN
				: (double) drain.perSecond() / this.graphileWorker.perSecond();
	}

	record Ingest(Wrk.Result result, CpuUse cpu, Load load) {

		long accepted() {
			return this.result.requests() - this.result.refused();
		}

	}

	/**
	 * @param commits transactions committed in the window
	 */
	record InsertCommits(Pgbench.Result result, long commits, CpuUse cpu, Load load) {
	}

	/**
	 * Calls sent at a fixed rate and timed from the moment each was meant to be sent.
	 *
	 * @param sent calls sent
	 * @param accepted calls answered 202
	 * @param delivered accepted calls whose webhook arrived
	 * @param missing accepted calls whose webhook did not arrive within 30 s of the end
	 * @param p50Ms from intended send to the webhook's arrival
	 * @param p99Ms the same, 99th percentile
	 * @param maxMs the same, slowest
	 * @param acceptP50Ms from intended send to the 202
	 * @param acceptP99Ms the same, 99th percentile
	 */
	record Latencies(long sent, long accepted, long delivered, long missing, double p50Ms, double p99Ms, double maxMs,
			double acceptP50Ms, double acceptP99Ms) {
	}

	/**
	 * @param rate calls per second sent
	 * @param seconds length of the window
	 */
	record EndToEnd(int rate, long seconds, Latencies latencies, CpuUse cpu, Load load) {
	}

	/**
	 * @param fanOut endpoints each event went to
	 * @param accepted events answered 202 in the window
	 * @param acceptedPerSecond the rate wrk saw
	 * @param deliveries deliveries the window's events created, all delivered
	 * @param seconds from the window's start until the last was recorded as delivered
	 * @param deliveredPerSecond deliveries over those seconds
	 */
	record Publish(int fanOut, long accepted, double acceptedPerSecond, long deliveries, double seconds,
			long deliveredPerSecond, CpuUse cpu, Load load) {
	}

	/**
	 * @param endpoints endpoints the backlog was spread over
	 * @param dispatchers dispatcher processes draining
	 * @param backlog deliveries seeded at once
	 * @param seconds from the seed's commit until every delivery was recorded as
	 * delivered
	 * @param perSecond backlog / seconds
	 * @param received webhook requests the receiver got, duplicates included
	 * @param distinct distinct webhook-ids among them
	 */
	record Drain(int endpoints, int dispatchers, int backlog, double seconds, long perSecond, long received,
			long distinct, CpuUse cpu, Load load) {
	}

	/**
	 * @param backlog A's deliveries to its slow endpoint
	 * @param rate B's calls per second
	 * @param seconds length of B's window
	 * @param latencies B's calls, timed to their webhook
	 * @param floodDelivered requests A's endpoint got during the window
	 */
	record Fairness(int backlog, int rate, long seconds, Latencies latencies, long floodDelivered, CpuUse cpu,
			Load load) {
	}

	/**
	 * @param skipped why the baseline did not run, or null when it did
	 * @param software its version, the runtime's and its settings
	 * @param jobs jobs in the measured drain
	 * @param seconds from their commit until every one was completed and removed
	 * @param perSecond jobs / seconds
	 * @param distinct distinct webhook-ids the receiver got
	 * @param peakRssMb the worker's largest resident set
	 */
	record Baseline(@Nullable String skipped, String software, int jobs, double seconds, long perSecond, long distinct,
			long peakRssMb, CpuUse cpu, @Nullable Load load) {

		static Baseline skipped(String reason) {
			return new Baseline(reason, "", 0, 0, 0, 0, 0, CpuUse.NONE, null);
		}

	}

}
