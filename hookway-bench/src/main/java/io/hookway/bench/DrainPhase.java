package io.hookway.bench;

import java.time.Duration;
import java.util.List;

import io.hookway.bench.BenchDatabase.Seed;
import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.Run.Drain;

/**
 * Delivery throughput: a backlog committed at once, timed from its commit until every
 * delivery is recorded as delivered, after a smaller drain of the same shape that warms
 * the dispatchers up. The backlog goes either to the main tenant's one endpoint or in
 * turn over the spread drain's endpoints of many applications.
 */
final class DrainPhase {

	private static final Duration DEADLINE = Duration.ofMinutes(10);

	private DrainPhase() {
	}

	static Drain single(Rig rig, List<JavaService> dispatchers) throws Exception {
		return drain(rig, dispatchers, Tenants.singleEndpoint(rig.receiver()), 1);
	}

	static Drain spread(Rig rig, List<JavaService> dispatchers) throws Exception {
		return drain(rig, dispatchers, Tenants.spreadEndpoints(rig.receiver()), rig.tenants().spreadEndpoints());
	}

	private static Drain drain(Rig rig, List<JavaService> dispatchers, String endpoints, int endpointCount)
			throws Exception {
		BenchSettings settings = rig.settings();
		WebhookReceiver receiver = rig.receiver();
		BenchDatabase database = rig.database();
		Rig.log("draining " + settings.backlog() + " deliveries to " + endpointCount + " endpoint(s) with "
				+ dispatchers.size() + " dispatcher(s)");
		Load load = rig.quiet();
		database.truncateQueues();
		receiver.reset();
		try (Seed warmup = database.seed(endpoints, settings.deliveryWarmup())) {
			warmup.commit();
		}
		awaitDelivered(rig, settings.deliveryWarmup());
		database.truncateQueues();
		receiver.reset();
		database.checkpoint();
		CpuMeter cpu;
		long start;
		try (Seed backlog = database.seed(endpoints, settings.backlog())) {
			cpu = rig.meter();
			start = System.nanoTime();
			backlog.commit();
		}
		awaitDelivered(rig, settings.backlog());
		double seconds = (System.nanoTime() - start) / 1e9;
		CpuUse used = cpu.stop();
		return new Drain(endpointCount, dispatchers.size(), settings.backlog(), Math.round(seconds * 100) / 100.0,
				Math.round(settings.backlog() / seconds), receiver.received(), receiver.distinctMessages(), used, load);
	}

	private static void awaitDelivered(Rig rig, int count) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		WebhookReceiver receiver = rig.receiver();
		while (receiver.distinctMessages() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Only " + receiver.distinctMessages() + " of " + count
						+ " webhooks arrived in " + DEADLINE.toMinutes() + " minutes");
			}
			Thread.sleep(20);
		}
		while (rig.database().count("select count(*) from webhook_deliveries where status <> 'SUCCEEDED'") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Deliveries were not all recorded as delivered in time");
			}
			Thread.sleep(20);
		}
	}

}
