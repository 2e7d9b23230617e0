package io.hookway.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.hookway.bench.QuietBox.Load;

/**
 * What every phase of a run works with: the settings, the database and its server, the
 * loopback upstream and webhook receiver, the service launcher and the tenants.
 *
 * @param postmasterPid the database server's postmaster, for its CPU time (0 when it
 * cannot be seen)
 * @param work where logs and load scripts go
 * @param portal the developer portal, which runs from the first run to the last
 */
record Rig(BenchSettings settings, BenchDatabase database, long postmasterPid, Path work, Upstream upstream,
		WebhookReceiver receiver, Services services, JavaService portal, Tenants tenants) {

	/**
	 * Starts a CPU window over the services, the portal (idle, but running throughout),
	 * the database server and the load tools.
	 */
	CpuMeter meter(List<JavaService> services) {
		List<JavaService> parties = new ArrayList<>(services);
		parties.add(this.portal);
		return CpuMeter.start(Services.pidsByKind(parties), this.postmasterPid);
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
