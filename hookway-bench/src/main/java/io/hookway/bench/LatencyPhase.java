package io.hookway.bench;

import java.time.Duration;

import io.hookway.bench.BenchDatabase.Seed;
import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.Run.EndToEnd;
import io.hookway.bench.Run.Fairness;
import io.hookway.bench.Run.Latencies;

/**
 * Calls at a fixed rate through the gateway, each timed from the moment it was meant to
 * be sent until its signed webhook reached the receiver: on an otherwise idle system, and
 * while another application floods a slow endpoint.
 */
final class LatencyPhase {

	/** How long after the last call its webhook may still arrive. */
	private static final Duration ARRIVAL_DEADLINE = Duration.ofSeconds(30);

	private LatencyPhase() {
	}

	static EndToEnd endToEnd(Rig rig, JavaService gateway, int rate) throws Exception {
		BenchSettings settings = rig.settings();
		Rig.log("end-to-end latency at " + rate + " calls/s");
		Load load = rig.quiet();
		FixedRateCaller caller = new FixedRateCaller();
		try {
			rig.database().truncateQueues();
			caller.run(rig.routeUrl(gateway), rig.tenants().token(), rate, settings.e2eWarmup());
			awaitIdle(rig, Duration.ofSeconds(60));
			rig.receiver().reset();
			CpuMeter cpu = rig.meter();
			FixedRateCaller.Calls calls = caller.run(rig.routeUrl(gateway), rig.tenants().token(), rate,
					settings.e2eDuration());
			Latencies latencies = latencies(calls, rig.receiver());
			return new EndToEnd(rate, settings.e2eDuration().toSeconds(), latencies, cpu.stop(), load);
		}
		finally {
			caller.close();
		}
	}

	/**
	 * Application A's backlog goes to an endpoint that takes {@code slowAnswer} to
	 * answer; once the dispatchers are busy with it, application B calls at its rate.
	 * Afterwards A's backlog is removed and the phase waits until A's endpoint gets no
	 * more requests.
	 */
	static Fairness fairness(Rig rig, JavaService gateway) throws Exception {
		BenchSettings settings = rig.settings();
		WebhookReceiver receiver = rig.receiver();
		Rig.log("fairness: " + settings.fairnessBacklog() + " deliveries of A to a slow endpoint, B at "
				+ settings.fairnessRate() + " calls/s");
		Load load = rig.quiet();
		FixedRateCaller caller = new FixedRateCaller();
		try {
			rig.database().truncateQueues();
			receiver.reset();
			try (Seed flood = rig.database().seed(Tenants.floodEndpoint(receiver), settings.fairnessBacklog())) {
				flood.commit();
			}
			int busy = Math.min(settings.perEndpointConcurrency(), settings.fairnessBacklog());
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (receiver.slowInFlight() < busy && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			long floodBefore = receiver.slowReceived();
			CpuMeter cpu = rig.meter();
			FixedRateCaller.Calls calls = caller.run(rig.routeUrl(gateway), rig.tenants().token(),
					settings.fairnessRate(), settings.fairnessDuration());
			long floodDelivered = receiver.slowReceived() - floodBefore;
			Latencies latencies = latencies(calls, receiver);
			CpuUse used = cpu.stop();
			rig.database().truncateQueues();
			awaitFloodOver(receiver, settings.slowAnswer());
			return new Fairness(settings.fairnessBacklog(), settings.fairnessRate(),
					settings.fairnessDuration().toSeconds(), latencies, floodDelivered, used, load);
		}
		finally {
			caller.close();
		}
	}

	/** Waits for the webhooks of the accepted calls, then takes their percentiles. */
	private static Latencies latencies(FixedRateCaller.Calls calls, WebhookReceiver receiver)
			throws InterruptedException {
		long deadline = System.nanoTime() + ARRIVAL_DEADLINE.toNanos();
		while (System.nanoTime() < deadline
				&& calls.intendedByTask.keySet().stream().anyMatch((task) -> receiver.arrival(task) == null)) {
			Thread.sleep(20);
		}
		long[] latencies = calls.intendedByTask.entrySet()
			.stream()
			.filter((call) -> receiver.arrival(call.getKey()) != null)
			.mapToLong((call) -> receiver.arrival(call.getKey()) - call.getValue())
			.sorted()
			.toArray();
		long[] accepts = calls.acceptLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
		long accepted = calls.intendedByTask.size();
		return new Latencies(calls.sent.get(), accepted, latencies.length, accepted - latencies.length,
				percentile(latencies, 50), percentile(latencies, 99), percentile(latencies, 100),
				percentile(accepts, 50), percentile(accepts, 99));
	}

	/** Waits until no task is unfinished and no delivery is pending. */
	private static void awaitIdle(Rig rig, Duration timeout) throws Exception {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (rig.database()
			.count("select (select count(*) from tasks where status in ('ACCEPTED', 'RUNNING')) "
					+ "+ (select count(*) from webhook_deliveries where status = 'PENDING')") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Work was still pending after " + timeout);
			}
			Thread.sleep(50);
		}
	}

	/**
	 * Deliveries a dispatcher claimed before A's rows were removed still go out: waits
	 * until A's endpoint has nothing in flight and got nothing for longer than it takes
	 * to answer.
	 */
	private static void awaitFloodOver(WebhookReceiver receiver, Duration slowAnswer) throws InterruptedException {
		long quietFor = slowAnswer.plusSeconds(1).toNanos();
		long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
		while ((receiver.slowInFlight() > 0 || receiver.nanosSinceSlowArrival() < quietFor)
				&& System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
	}

	/** The percentile of sorted nanoseconds, in milliseconds with two decimals. */
	static double percentile(long[] sortedNanos, int percentile) {
		if (sortedNanos.length == 0) {
			return 0;
		}
		int index = (int) Math.ceil(percentile / 100.0 * sortedNanos.length) - 1;
		return Math.round(sortedNanos[Math.max(0, index)] / 10_000.0) / 100.0;
	}

}
