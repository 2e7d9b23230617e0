package io.hookway.reliability;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * PostgreSQL restarted in the middle of a steady load, for real: a private server of the
 * test's own is stopped and started again. While it is down every call gets a quick 503
 * with {@code Retry-After}; once it is back the platform recovers without help and
 * finishes everything it acknowledged.
 */
class DatabaseRestartTest {

	private final FaultyServer upstream = FaultyServer.start();

	private final FaultyServer receiver = FaultyServer.start();

	private PrivatePostgres postgres;

	private HookwayProcess standalone;

	private Load load;

	@AfterEach
	void tearDown() {
		if (this.load != null) {
			this.load.close();
		}
		if (this.standalone != null) {
			this.standalone.close();
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
		this.upstream.close();
		this.receiver.close();
	}

	@Test
	void gatewayAnswers503WhileTheDatabaseIsDownAndRecoversOnItsOwn() {
		assumeThat(PrivatePostgres.unavailable()).as("a private PostgreSQL server can run here").isEmpty();
		this.upstream.script((request) -> FaultyServer.Reply.json(200, "{\"ok\":true}"));
		this.receiver.script((request) -> FaultyServer.Reply.status(204));
		this.postgres = PrivatePostgres.create();
		this.postgres.start();
		String database = this.postgres.url("hookway");
		this.standalone = HookwayProcess
			.standalone("db-restart", Suite.arguments(database, Map.of("work", this.upstream.baseUrl())))
			.start()
			.awaitReady();
		Portal platform = new Portal(this.standalone.baseUrl());
		Portal.Tenant tenant = platform.newTenant("db-restart");
		List<Audit.Subscriber> subscribers = Suite.subscribe(platform, tenant, this.receiver, "db-restart");
		this.load = new Load(this.standalone.baseUrl() + "/api/work/items", tenant.token(), 32)
			.start(Suite.callsPerSecond());
		await().atMost(Duration.ofSeconds(60)).until(() -> acknowledged(this.load) >= Suite.calls() / 4);

		this.postgres.stop();
		Instant down = Instant.now();
		int outageCalls = Suite.LONG ? 400 : 60;
		await().atMost(Duration.ofSeconds(120)).until(() -> answeredSince(this.load, down) >= outageCalls);
		// the outage ends when the start command is issued: calls from then on may get
		// through
		Instant up = Instant.now();
		this.postgres.start();
		await().atMost(Duration.ofSeconds(60)).until(() -> acknowledgedSince(this.load, up) > 0);
		Duration recovery = Duration.between(up,
				this.load.calls()
					.stream()
					.filter((call) -> call.acknowledged() && call.startedAt().isAfter(up))
					.map((call) -> call.startedAt().plus(call.took()))
					.min(Instant::compareTo)
					.orElseThrow());
		long target = acknowledged(this.load) + Suite.calls() / 2;
		await().atMost(Duration.ofMinutes(10)).until(() -> acknowledged(this.load) >= target);
		List<Load.Call> calls = this.load.stop();

		List<Load.Call> duringOutage = calls.stream()
			.filter((call) -> !call.startedAt().isBefore(down) && call.startedAt().isBefore(up))
			.toList();
		System.out.println("AUDIT database restart: " + duringOutage.size() + " calls while down "
				+ Load.byStatus(duringOutage) + ", first 202 " + recovery.toMillis() + " ms after the restart");
		assertThat(duringOutage).as("calls while the database was down").isNotEmpty().allSatisfy((call) -> {
			assertThat(call.status()).isEqualTo(503);
			assertThat(call.retryAfter()).isNotBlank();
			assertThat(call.contentType()).isEqualTo("application/problem+json");
			assertThat(call.took()).isLessThan(Duration.ofSeconds(8));
		});
		assertThat(calls).as("no 500 and no hang, ever").allSatisfy((call) -> {
			assertThat(call.status()).isIn(202, 503);
			assertThat(call.error()).isNull();
		});
		assertThat(recovery).as("time from restart to the first acknowledged call").isLessThan(Duration.ofSeconds(15));
		Audit.verify("PostgreSQL restart", Map.of("postgres-restart", 1), calls, this.receiver, subscribers, database,
				Suite.drain());
	}

	private static long acknowledged(Load load) {
		return load.calls().stream().filter(Load.Call::acknowledged).count();
	}

	private static long acknowledgedSince(Load load, Instant since) {
		return load.calls().stream().filter((call) -> call.acknowledged() && call.startedAt().isAfter(since)).count();
	}

	private static long answeredSince(Load load, Instant since) {
		return load.calls().stream().filter((call) -> call.startedAt().isAfter(since)).count();
	}

}
