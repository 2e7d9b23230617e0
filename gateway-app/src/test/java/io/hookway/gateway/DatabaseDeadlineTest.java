package io.hookway.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TcpProxy;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database that stops answering (its connections stay open, nothing comes back) gets
 * every call answered within {@code hookway.gateway.database-timeout}, plus a little
 * scheduling slack, whatever stage the call was at: queued for a writer, in a statement,
 * or cancelling a task. And the answers stay true once the database answers again: a 202
 * names a stored task, a 503 one that was not stored, a 503 to a cancel a task that is
 * still ACCEPTED.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseDeadlineTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	/** Scheduling delays on a busy machine; far below the old grace of a whole second. */
	private static final Duration SLACK = Duration.ofMillis(600);

	private static final int CALLS = 12;

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\"\\s*:\\s*\"(tsk_[0-9a-z]+)\"");

	static final TcpProxy database = ProxiedDatabase.proxy();

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		ProxiedDatabase.register(registry, database);
		registry.add("hookway.routes.ledger.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.rate-limit.requests-per-second", () -> "10000");
		registry.add("hookway.gateway.database-timeout", () -> TIMEOUT.toMillis() + "ms");
		registry.add("hookway.gateway.insert-batch-size", () -> "2");
		registry.add("hookway.gateway.insert-writers", () -> "2");
		registry.add("spring.r2dbc.pool.initial-size", () -> "4");
		registry.add("spring.r2dbc.pool.max-size", () -> "4");
	}

	@AfterAll
	static void closeProxy() {
		database.close();
	}

	@Test
	void everyCallIsAnsweredWithinTheDatabaseTimeoutAndTheAnswersStayTrue() throws Exception {
		UUID application = IdKind.newUuid();
		String token = TestIssuer.shared().applicationToken(application, "tasks:read", "tasks:write");
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> toCancel = post(client, token, "to-cancel", null).join().response();
		assertThat(toCancel.statusCode()).isEqualTo(202);
		assertThat(post(client, token, "warm-up", "warm-up-key").join().response().statusCode()).isEqualTo(202);
		Matcher id = TASK_ID.matcher(toCancel.body());
		assertThat(id.find()).isTrue();
		String taskId = id.group(1);

		List<CompletableFuture<Timed>> calls = new ArrayList<>();
		CompletableFuture<Timed> cancel;
		database.stall();
		try {
			for (int i = 0; i < CALLS; i++) {
				calls.add(post(client, token, "call-" + i, (i % 2 == 0) ? null : "key-" + i));
			}
			cancel = timed(client,
					HttpRequest.newBuilder(URI.create(base() + "/v1/tasks/" + taskId))
						.header("Authorization", "Bearer " + token)
						.timeout(Duration.ofSeconds(30))
						.DELETE()
						.build());
			CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();
			cancel.join();
		}
		finally {
			database.resume();
		}
		for (int i = 0; i < CALLS; i++) {
			Timed call = calls.get(i).join();
			assertThat(call.elapsed()).as("call-%d answered %s after it was sent", i, call.elapsed())
				.isLessThan(TIMEOUT.plus(SLACK));
			assertThat(call.response().statusCode()).as("call-%d: %s", i, call.response().body()).isIn(503, 504);
		}
		Timed cancelled = cancel.join();
		assertThat(cancelled.elapsed()).as("cancel answered after %s", cancelled.elapsed())
			.isLessThan(TIMEOUT.plus(SLACK));
		assertThat(cancelled.response().statusCode()).as(cancelled.response().body()).isEqualTo(503);

		// what was sent while the database stalled arrives now, and is rolled back
		await().atMost(Duration.ofSeconds(20))
			.until(() -> ROWS.count("select count(*) from pg_stat_activity where datname = current_database() "
					+ "and state <> 'idle' and pid <> pg_backend_pid() "
					+ "and (query like '%insert into tasks%' or query like 'update tasks%')") == 0);
		Set<String> stored = storedPaths(application);
		for (int i = 0; i < CALLS; i++) {
			if (calls.get(i).join().response().statusCode() == 503) {
				assertThat(stored).as("a 503 for a task that was stored").doesNotContain("/entries/call-" + i);
			}
		}
		assertThat(ROWS.count("select count(*) from tasks where application_id = '" + application
				+ "' and path = '/entries/to-cancel' and status = 'ACCEPTED'"))
			.as("a 503 to a cancel leaves the task as it was")
			.isEqualTo(1);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> post(client, token, "after", null).join().response().statusCode() == 202);
	}

	/**
	 * The cancel's update reaches the database and waits on a real row lock past the
	 * timeout: the 503 it gets means the task was not cancelled, also once the lock goes.
	 */
	@Test
	void aCancelAnswered503DidNotCancel() throws Exception {
		UUID application = IdKind.newUuid();
		String token = TestIssuer.shared().applicationToken(application, "tasks:read", "tasks:write");
		HttpClient client = HttpClient.newHttpClient();
		HttpResponse<String> created = post(client, token, "locked", null).join().response();
		assertThat(created.statusCode()).isEqualTo(202);
		Matcher id = TASK_ID.matcher(created.body());
		assertThat(id.find()).isTrue();
		String taskId = id.group(1);
		UUID uuid = IdKind.TASK.parse(taskId).orElseThrow();
		Timed cancelled;
		try (Connection locker = ROWS.connect()) {
			locker.setAutoCommit(false);
			try (PreparedStatement lock = locker.prepareStatement("select 1 from tasks where id = ? for update")) {
				lock.setObject(1, uuid);
				lock.executeQuery().close();
			}
			cancelled = cancel(client, token, taskId).join();
			locker.commit();
		}
		assertThat(cancelled.elapsed()).as("cancel answered after %s", cancelled.elapsed())
			.isLessThan(TIMEOUT.plus(SLACK));
		assertThat(cancelled.response().statusCode()).as(cancelled.response().body()).isEqualTo(503);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS.count("select count(*) from pg_stat_activity where datname = current_database() "
					+ "and state <> 'idle' and query like 'update tasks%'") == 0);
		assertThat(ROWS.count("select count(*) from tasks where id = '" + uuid + "' and status = 'ACCEPTED'"))
			.as("a 503 to a cancel leaves the task as it was")
			.isEqualTo(1);
		assertThat(cancel(client, token, taskId).join().response().statusCode()).isEqualTo(200);
	}

	private CompletableFuture<Timed> cancel(HttpClient client, String token, String taskId) {
		return timed(client,
				HttpRequest.newBuilder(URI.create(base() + "/v1/tasks/" + taskId))
					.header("Authorization", "Bearer " + token)
					.timeout(Duration.ofSeconds(30))
					.DELETE()
					.build());
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private CompletableFuture<Timed> post(HttpClient client, String token, String name, String idempotencyKey) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "/api/ledger/entries/" + name))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}"));
		if (idempotencyKey != null) {
			request.header("Idempotency-Key", idempotencyKey);
		}
		return timed(client, request.build());
	}

	private static CompletableFuture<Timed> timed(HttpClient client, HttpRequest request) {
		long start = System.nanoTime();
		return client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
			.thenApply((response) -> new Timed(response, Duration.ofNanos(System.nanoTime() - start)));
	}

	private static Set<String> storedPaths(UUID application) {
		return new HashSet<>(ROWS.column("select path from tasks where application_id = ?", application));
	}

	private record Timed(HttpResponse<String> response, Duration elapsed) {
	}

}
