package io.hookway.reliability;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import io.hookway.core.test.TestDatabase;
import io.hookway.reliability.FaultyServer.Reply;
import io.hookway.reliability.FaultyServer.Request;

import static org.awaitility.Awaitility.await;

/**
 * Destinations that misbehave for a share of the calls: webhook receivers and upstream
 * services that fail, time out, reset or close connections, rate-limit or answer slowly.
 * Retries absorb all of it: nothing acknowledged is lost, and a repeated webhook keeps
 * its {@code webhook-id}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DestinationFaultsTest {

	/** The platform's webhook timeout, set in {@link Suite#arguments}. */
	private static final Duration WEBHOOK_TIMEOUT = Duration.ofSeconds(1);

	private final FaultyServer steadyUpstream = FaultyServer.start();

	private final FaultyServer flakyUpstream = FaultyServer.start();

	private final FaultyServer steadyReceiver = FaultyServer.start();

	private final FaultyServer flakyReceiver = FaultyServer.start();

	private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();

	private final Map<String, Integer> receiverFaults = new ConcurrentHashMap<>();

	private final Map<String, Integer> upstreamFaults = new ConcurrentHashMap<>();

	private String database;

	private HookwayProcess standalone;

	private Portal portal;

	@BeforeAll
	void startPlatform() {
		this.steadyUpstream.script((request) -> Reply.json(200, "{\"ok\":true}"));
		this.flakyUpstream.script(this::upstreamFault);
		this.steadyReceiver.script((request) -> Reply.status(204));
		this.flakyReceiver.script(this::receiverFault);
		this.flakyReceiver.clientTimeout(WEBHOOK_TIMEOUT);
		this.database = TestDatabase.fresh("rel_destinations");
		this.standalone = HookwayProcess
			.standalone("destination-faults",
					Suite.arguments(this.database,
							Map.of("steady", this.steadyUpstream.baseUrl(), "flaky", this.flakyUpstream.baseUrl())))
			.start()
			.awaitReady();
		this.portal = new Portal(this.standalone.baseUrl());
	}

	@AfterAll
	void stopPlatform() {
		this.standalone.close();
		List.of(this.steadyUpstream, this.flakyUpstream, this.steadyReceiver, this.flakyReceiver)
			.forEach(FaultyServer::close);
		TestDatabase.drop(this.database);
	}

	@Test
	void receiversFailingTimingOutResettingRateLimitingAndSlowGetEveryWebhook() {
		run("receiver faults", "steady", this.flakyReceiver, this.receiverFaults);
	}

	@Test
	void upstreamsHangingFailingAndClosingConnectionsStillEndEveryTask() {
		run("upstream faults", "flaky", this.steadyReceiver, this.upstreamFaults);
	}

	private void run(String name, String route, FaultyServer receiver, Map<String, Integer> faults) {
		Portal.Tenant tenant = this.portal.newTenant(route);
		List<Audit.Subscriber> subscribers = Suite.subscribe(this.portal, tenant, receiver, route);
		try (Load load = new Load(this.standalone.baseUrl() + "/api/" + route + "/items", tenant.token(), 32)) {
			load.start(Suite.callsPerSecond());
			await().atMost(Duration.ofMinutes(10)).until(() -> load.calls().size() >= Suite.calls());
			List<Load.Call> calls = load.stop();
			Audit.verify(name, new TreeMap<>(faults), calls, receiver, subscribers, this.database, Suite.drain());
		}
	}

	/**
	 * The first attempt of about a quarter of the messages meets one of six faults; a few
	 * fail their second attempt too. (Much more and the endpoint's breaker opens again
	 * and again, 30 s at a time, which delays but does not lose.)
	 */
	private Reply receiverFault(Request request) {
		String id = request.header("webhook-id");
		int attempt = this.attempts.computeIfAbsent(request.target() + " " + id, (key) -> new AtomicInteger())
			.incrementAndGet();
		int dice = Math.floorMod((request.target() + id).hashCode(), 100);
		Reply reply = Reply.status(204);
		if (attempt == 1 && dice < 24) {
			reply = switch (dice % 6) {
				case 0 -> Reply.json(500, "{}").fault("500");
				case 1 -> Reply.hang().fault("timeout");
				case 2 -> Reply.reset();
				case 3 -> Reply.status(429).withHeader("Retry-After", "1").fault("429 with Retry-After");
				case 4 -> Reply.status(204).after(WEBHOOK_TIMEOUT.multipliedBy(7).dividedBy(10)).fault("slow, in time");
				default ->
					Reply.status(204).after(WEBHOOK_TIMEOUT.multipliedBy(14).dividedBy(10)).fault("slow, too late");
			};
		}
		else if (attempt == 2 && dice < 3) {
			reply = Reply.json(500, "{}").fault("500 again");
		}
		return counted(reply, this.receiverFaults);
	}

	/**
	 * The first attempt of about a third of the tasks meets a fault; one in twenty always
	 * fails and so ends FAILED.
	 */
	private Reply upstreamFault(Request request) {
		String task = request.header("hookway-task-id");
		int attempt = this.attempts.computeIfAbsent(task, (key) -> new AtomicInteger()).incrementAndGet();
		int dice = Math.floorMod(task.hashCode(), 100);
		Reply reply = Reply.json(200, "{\"ok\":true}");
		if (dice < 5) {
			reply = Reply.json(422, "{\"error\":\"refused\"}").fault("422, not retried");
		}
		else if (attempt == 1 && dice < 33) {
			reply = switch (dice % 4) {
				case 0 -> Reply.hang().fault("hang");
				case 1 -> Reply.json(500, "{}").fault("500");
				case 2 -> Reply.json(503, "{}").fault("503");
				default -> Reply.close();
			};
		}
		return counted(reply, this.upstreamFaults);
	}

	private static Reply counted(Reply reply, Map<String, Integer> faults) {
		if (reply.fault() != null) {
			faults.merge(reply.fault(), 1, Integer::sum);
		}
		return reply;
	}

}
