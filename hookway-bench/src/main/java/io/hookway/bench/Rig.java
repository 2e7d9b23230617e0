package io.hookway.bench;

import java.nio.file.Path;
import java.time.Instant;

import io.hookway.bench.QuietBox.Load;

/**
 * What every phase of a run works with: the settings, the database and its server, the
 * loopback upstream and webhook receiver, the service launcher and the tenants.
 *
 * @param postmasterPid the database server's postmaster, for its CPU time (0 when it
 * cannot be seen)
 * @param work where logs and load scripts go
 */
record Rig(BenchSettings settings, BenchDatabase database, long postmasterPid, Path work, Upstream upstream,
		WebhookReceiver receiver, Services services, Tenants tenants) {

	/**
	 * Starts a CPU window over every running service (idle ones too, so that their time
	 * is not taken for another tenant's), the database server and the load tools.
	 */
	CpuMeter meter() {
		return CpuMeter.start(Services.pidsByKind(this.services.running()), this.postmasterPid);
	}

	/** Waits for a quiet machine before a measured phase, and says how busy it was. */
	Load quiet() throws InterruptedException {
		Load load = QuietBox.await(this.settings.quietWait());
		if (!load.quiet() && !this.settings.quietWait().isZero()) {
			log("the machine was still busy (" + load.busyPercent() + "% of all cores, load " + load.loadAverage()
					+ ") after " + load.waitedSeconds() + " s; measuring anyway");
		}
		return load;
	}

	/** The gateway's route that the load calls. */
	String routeUrl(JavaService gateway) {
		return gateway.baseUrl() + "/api/" + Services.ROUTE + "/orders";
	}

	static void log(String message) {
		System.out.println(Instant.now() + "  " + message);
	}

}
