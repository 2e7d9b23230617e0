package io.hookway.reliability;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.TestDatabase;

import static org.awaitility.Awaitility.await;

/**
 * Processes killed with SIGKILL at random moments of a steady load, then started again:
 * every acknowledged call still ends, and every webhook still arrives.
 */
class ProcessKillTest {

	private final FaultyServer upstream = FaultyServer.start();

	private final FaultyServer receiver = FaultyServer.start();

	private final List<AutoCloseable> resources = new ArrayList<>();

	private final String database = TestDatabase.fresh("rel_kill");

	ProcessKillTest() {
		// some work is always in flight when a kill lands
		this.upstream.script((request) -> FaultyServer.Reply.json(200, "{\"ok\":true}")
			.after(Duration.ofMillis(ThreadLocalRandom.current().nextInt(20, 300))));
		this.receiver.script((request) -> FaultyServer.Reply.status(204));
	}

	@AfterEach
	void tearDown() throws Exception {
		for (AutoCloseable resource : this.resources) {
			resource.close();
		}
		this.upstream.close();
		this.receiver.close();
		TestDatabase.drop(this.database);
	}

	@Test
	void dispatcherKilledAgainAndAgainLosesNoTaskAndNoWebhook() {
		List<String> arguments = Suite.arguments(this.database, Map.of("work", this.upstream.baseUrl()));
		HookwayProcess portal = track(HookwayProcess.service("portal", "kill-portal", arguments)).start();
		HookwayProcess gateway = track(HookwayProcess.service("gateway", "kill-gateway", arguments)).start();
		HookwayProcess dispatcher = track(HookwayProcess.service("dispatcher", "kill-dispatcher", arguments)).start();
		portal.awaitReady();
		gateway.awaitReady();
		dispatcher.awaitReady();
		Portal platform = new Portal(portal.baseUrl());
		Portal.Tenant tenant = platform.newTenant("dispatcher-kill");
		List<Audit.Subscriber> subscribers = Suite.subscribe(platform, tenant, this.receiver, "dispatcher-kill");

		Load load = track(new Load(gateway.baseUrl() + "/api/work/items", tenant.token(), 32))
			.start(Suite.callsPerSecond());
		int kills = 0;
		for (; kills < Suite.dispatcherKills(); kills++) {
			// a random moment: after a random amount of work since the last start
			int seen = this.upstream.exchanges().size() + ThreadLocalRandom.current().nextInt(3, 40);
			await().atMost(Duration.ofSeconds(60)).until(() -> this.upstream.exchanges().size() >= seen);
			dispatcher.kill();
			dispatcher.start();
		}
		int target = Suite.calls();
		await().atMost(Duration.ofMinutes(10)).until(() -> load.calls().size() >= target);
		List<Load.Call> calls = load.stop();

		Audit.verify("dispatcher SIGKILL", Map.of("dispatcher-sigkill", kills), calls, this.receiver, subscribers,
				this.database, Suite.drain());
	}

	@Test
	void standaloneKilledAndRestartedLosesNoAcknowledgedCall() {
		HookwayProcess standalone = track(HookwayProcess.standalone("kill-standalone",
				Suite.arguments(this.database, Map.of("work", this.upstream.baseUrl()))))
			.start()
			.awaitReady();
		Portal platform = new Portal(standalone.baseUrl());
		Portal.Tenant tenant = platform.newTenant("standalone-kill");
		List<Audit.Subscriber> subscribers = Suite.subscribe(platform, tenant, this.receiver, "standalone-kill");

		Load load = track(new Load(standalone.baseUrl() + "/api/work/items", tenant.token(), 32))
			.start(Suite.callsPerSecond());
		int kills = 0;
		for (; kills < Suite.standaloneKills(); kills++) {
			int acknowledged = acknowledged(load) + ThreadLocalRandom.current().nextInt(5, 60);
			await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged(load) >= acknowledged);
			standalone.kill();
			standalone.start().awaitReady();
		}
		int target = acknowledged(load) + Suite.calls() / 2;
		await().atMost(Duration.ofMinutes(10)).until(() -> acknowledged(load) >= target);
		List<Load.Call> calls = load.stop();

		Audit.verify("standalone SIGKILL", Map.of("standalone-sigkill", kills), calls, this.receiver, subscribers,
				this.database, Suite.drain());
	}

	private static int acknowledged(Load load) {
		return (int) load.calls().stream().filter(Load.Call::acknowledged).count();
	}

	private <T extends AutoCloseable> T track(T resource) {
		this.resources.add(resource);
		return resource;
	}

}
