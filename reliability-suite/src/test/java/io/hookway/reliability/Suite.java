package io.hookway.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How hard a run pushes. Every build runs the short form; {@code -Preliability} (system
 * property {@code reliability.long=true}) runs longer, with more calls and more faults.
 */
final class Suite {

	static final boolean LONG = Boolean.getBoolean("reliability.long");

	private Suite() {
	}

	/** Calls one fault run makes. */
	static int calls() {
		return LONG ? 3000 : 250;
	}

	static int callsPerSecond() {
		return LONG ? 40 : 25;
	}

	/** Standalone kills per run; each costs a start-up. */
	static int standaloneKills() {
		return LONG ? 6 : 2;
	}

	/** Dispatcher kills per run. */
	static int dispatcherKills() {
		return LONG ? 12 : 3;
	}

	/** How long the platform gets to finish the work and deliver after the load stops. */
	static Duration drain() {
		// an endpoint breaker stays open 30 s, and its half-open probe may go to a retry
		// the fault script fails again: the short form allows for three openings
		return LONG ? Duration.ofMinutes(4) : Duration.ofSeconds(150);
	}

	/**
	 * Settings every process of a fault run shares: the database, short leases and
	 * schedules so that recovery shows within seconds, loopback receivers allowed (the
	 * attack battery runs without that), and no rate limit in the way of the load.
	 */
	static List<String> arguments(String database, Map<String, String> routes) {
		List<String> arguments = new ArrayList<>(
				List.of("--hookway.database.url=" + database, "--hookway.dispatcher.lease=3s",
						"--hookway.dispatcher.poll-interval=200ms", "--hookway.dispatcher.shutdown-grace=1s",
						"--hookway.webhooks.allow-http=true", "--hookway.webhooks.allow-private-targets=true",
						"--hookway.webhooks.timeout=1s", "--hookway.webhooks.retry-schedule=300ms,600ms,1s,2s,4s,8s",
						"--hookway.rate-limit.requests-per-second=100000", "--logging.level.root=WARN"));
		routes.forEach((name, upstream) -> {
			arguments.add("--hookway.routes." + name + ".upstream=" + upstream);
			arguments.add("--hookway.routes." + name + ".timeout=1s");
			arguments.add("--hookway.routes." + name + ".max-attempts=4");
			arguments.add("--hookway.routes." + name + ".backoff=200ms");
		});
		arguments.addAll(Portal.OPERATOR_ARGUMENTS);
		return arguments;
	}

	/**
	 * Two endpoints on the receiver: one for every outcome, one for successes only, so
	 * the audit also checks that an endpoint gets only what it subscribed to.
	 */
	static List<Audit.Subscriber> subscribe(Portal portal, Portal.Tenant tenant, FaultyServer receiver, String run) {
		List<Audit.Subscriber> subscribers = new ArrayList<>();
		for (List<String> types : List.of(List.of("task.succeeded", "task.failed"), List.of("task.succeeded"))) {
			String path = "/hooks/" + run + "/" + types.size();
			Map<String, Object> endpoint = portal.registerEndpoint(tenant, receiver.baseUrl() + path, types);
			subscribers.add(new Audit.Subscriber(path, (String) endpoint.get("secret"), Set.copyOf(types)));
		}
		return subscribers;
	}

}
