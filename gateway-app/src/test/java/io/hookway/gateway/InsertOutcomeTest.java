package io.hookway.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A 503 means "not stored" and a 202 "stored", also when the caller's deadline passes
 * while its row is already in a statement: a real lock held on {@code tasks} by another
 * transaction keeps the gateway's insert waiting past the deadline, and is released only
 * after every caller has its answer.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class InsertOutcomeTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final int CALLS = 24;

	/**
	 * The gateway's grouped insert, whichever form its batch takes (a batch without keys
	 * inserts in a {@code with} clause); not this probe, whose text names it too.
	 */
	private static final String GATEWAY_INSERT = "query like '%insert into tasks%' and pid <> pg_backend_pid()";

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.ledger.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.rate-limit.requests-per-second", () -> "10000");
		registry.add("hookway.gateway.database-timeout", () -> "1s");
		registry.add("hookway.gateway.insert-batch-size", () -> "4");
		registry.add("hookway.gateway.insert-writers", () -> "2");
		registry.add("spring.r2dbc.pool.initial-size", () -> "2");
		registry.add("spring.r2dbc.pool.max-size", () -> "6");
	}

	@Test
	void everyAnswerIs202ExactlyWhenTheTaskIsStoredEvenWhenTheDeadlinePassesMidStatement() throws Exception {
		UUID application = IdKind.newUuid();
		String token = TestIssuer.shared().applicationToken(application, "tasks:write");
		HttpClient client = HttpClient.newHttpClient();
		post(client, token, "warm-up").join();
		List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
		try (Connection locker = ROWS.connect()) {
			locker.setAutoCommit(false);
			try (Statement lock = locker.createStatement()) {
				lock.execute("lock table tasks in share mode");
			}
			for (int i = 0; i < CALLS; i++) {
				calls.add(post(client, token, "call-" + i));
			}
			await().atMost(Duration.ofSeconds(10))
				.until(() -> ROWS.count("select count(*) from pg_stat_activity where datname = current_database() "
						+ "and wait_event_type = 'Lock' and " + GATEWAY_INSERT) > 0);
			await().atMost(Duration.ofSeconds(30)).until(() -> calls.stream().allMatch(CompletableFuture::isDone));
			locker.commit();
		}
		// whatever was still in a statement when the lock went has its outcome now
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS.count("select count(*) from pg_stat_activity where datname = current_database() "
					+ "and state = 'active' and " + GATEWAY_INSERT) == 0);

		Set<String> stored = storedPaths(application);
		int unavailable = 0;
		for (int i = 0; i < CALLS; i++) {
			HttpResponse<String> response = calls.get(i).join();
			String path = "/entries/call-" + i;
			assertThat(response.statusCode()).as("%s: %s", path, response.body()).isIn(202, 503);
			if (response.statusCode() == 202) {
				assertThat(stored).as("a 202 names a stored task: " + path).contains(path);
			}
			else {
				unavailable++;
				assertThat(stored).as("a 503 for a task that was stored: " + path).doesNotContain(path);
			}
		}
		assertThat(unavailable).as("the lock outlasted the deadline of some calls").isPositive();
		assertThat(post(client, token, "after").join().statusCode()).isEqualTo(202);
	}

	private CompletableFuture<HttpResponse<String>> post(HttpClient client, String token, String name) {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/ledger/entries/" + name))
			.header("Authorization", "Bearer " + token)
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"amount\":1}"))
			.build();
		return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
	}

	private static Set<String> storedPaths(UUID application) {
		return new HashSet<>(ROWS.column("select path from tasks where application_id = ?", application));
	}

}
