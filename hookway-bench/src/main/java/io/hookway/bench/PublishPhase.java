package io.hookway.bench;

import java.time.Duration;

import io.hookway.bench.CpuMeter.CpuUse;
import io.hookway.bench.QuietBox.Load;
import io.hookway.bench.Run.Publish;

/**
 * Events published by an internal service (API §9): closed-loop {@code POST
 * /internal/v1/events} of the ~300-byte order as {@code data}, to an application with one
 * endpoint subscribed and to one with ten, while one dispatcher delivers them. Accepted
 * events are counted as wrk saw them; delivered ones from the first call of the window
 * until every delivery it created is recorded as delivered.
 */
final class PublishPhase {

	private static final Duration WARMUP = Duration.ofSeconds(10);

	private static final Duration DEADLINE = Duration.ofMinutes(10);

	private PublishPhase() {
	}

	static Publish run(Rig rig, JavaService gateway, int fanOut) throws Exception {
		BenchSettings settings = rig.settings();
		Tenants.Publishing publishing = rig.tenants().publishing();
		String url = gateway.baseUrl() + "/internal/v1/events";
		String body = "{\"applicationId\":\"" + publishing.application(fanOut) + "\",\"type\":\"" + Tenants.EVENT_TYPE
				+ "\",\"data\":" + Wrk.BODY + "}";
		Rig.log("publishing events with a fan-out of " + fanOut);
		Load load = rig.quiet();
		rig.database().truncateQueues();
		Duration warmup = (settings.ingestWarmup().compareTo(WARMUP) < 0) ? settings.ingestWarmup() : WARMUP;
		Wrk.post(url, publishing.token(), body, settings.connections(), warmup, rig.work());
		awaitDelivered(rig);
		rig.database().truncateQueues();
		rig.database().checkpoint();
		CpuMeter cpu = rig.meter();
		long start = System.nanoTime();
		Wrk.Result result = Wrk.post(url, publishing.token(), body, settings.connections(), settings.ingestDuration(),
				rig.work());
		long deliveries = awaitDelivered(rig);
		double seconds = (System.nanoTime() - start) / 1e9;
		CpuUse used = cpu.stop();
		long accepted = result.requests() - result.refused();
		return new Publish(fanOut, accepted, result.perSecond(), deliveries, Math.round(seconds * 100) / 100.0,
				Math.round(deliveries / seconds), used, load);
	}

	/** Waits until no delivery is pending; returns how many were delivered. */
	private static long awaitDelivered(Rig rig) throws Exception {
		long deadline = System.nanoTime() + DEADLINE.toNanos();
		BenchDatabase database = rig.database();
		while (database.count("select count(*) from webhook_deliveries where status <> 'SUCCEEDED'") > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Published events were not all delivered in " + DEADLINE);
			}
			Thread.sleep(50);
		}
		return database.count("select count(*) from webhook_deliveries");
	}

}
