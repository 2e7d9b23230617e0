package io.hookway.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.WebhookSecret;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Claims are fair across applications: one application's backlog, to a slow endpoint or
 * on a slow route, does not make another application's work wait behind all of it. Runs
 * on a database of its own, so that the backlogs left behind reach no other test.
 */
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FairClaimTest {

	static final String DATABASE = TestDatabase.fresh("hookway_fair");

	static final TestRows ROWS = TestRows.of(DATABASE);

	static final RecordingHttpServer upstream = RecordingHttpServer.start();

	static final RecordingHttpServer receiver = RecordingHttpServer.start();

	@Autowired
	SecretCipher cipher;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.server.port", () -> "0");
		TestDatabase.register(registry, DATABASE);
		LoopbackReceivers.allow(registry);
		registry.add("hookway.webhooks.timeout", () -> "5s");
		registry.add("hookway.dispatcher.poll-interval", () -> "200ms");
		registry.add("hookway.routes.shared.upstream", upstream::baseUrl);
		registry.add("hookway.routes.shared.max-concurrency", () -> "2");
		upstream.respondWith((request) -> {
			if (request.path().startsWith("/flood")) {
				pause(Duration.ofMillis(300));
			}
			return Response.json(200, "{}");
		});
		receiver.respondWith((request) -> {
			if (request.path().startsWith("/slow")) {
				pause(Duration.ofSeconds(1));
			}
			return Response.empty(204);
		});
	}

	@AfterAll
	static void dropDatabase() {
		upstream.close();
		receiver.close();
		TestDatabase.drop(DATABASE);
	}

	@Test
	void anotherApplicationsWebhookArrivesWhileOnesBacklogToASlowEndpointWaits() {
		WebhookRows webhooks = new WebhookRows(ROWS, this.cipher);
		UUID flooding = webhooks.application();
		UUID flooded = webhooks.endpoint(flooding, receiver.baseUrl() + "/slow", WebhookSecret.generate(),
				"task.succeeded");
		ROWS.execute("""
				with m as (
				    insert into webhook_messages (id, application_id, event_type, payload)
				    select gen_random_uuid(), ?, 'task.succeeded', '{"n":' || n || '}'
				    from generate_series(1, 5000) n returning id
				)
				insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
				select m.id, ?, ?, 'task.succeeded', now() - interval '1 minute' from m""", flooding, flooded,
				flooding);
		await().atMost(Duration.ofSeconds(30)).until(() -> count(receiver, "/slow") >= 10);

		UUID other = webhooks.application();
		UUID quiet = webhooks.endpoint(other, receiver.baseUrl() + "/quiet", WebhookSecret.generate(),
				"task.succeeded");
		long start = System.nanoTime();
		ROWS.execute("""
				with m as (
				    insert into webhook_messages (id, application_id, event_type, payload)
				    values (gen_random_uuid(), ?, 'task.succeeded', '{}') returning id
				)
				insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
				select m.id, ?, ?, 'task.succeeded', now() from m""", other, quiet, other);
		await().atMost(Duration.ofSeconds(10)).until(() -> count(receiver, "/quiet") == 1);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
		assertThat(ROWS.count("select count(*) from webhook_deliveries where endpoint_id = ? and status = 'PENDING'",
				flooded))
			.as("the backlog still waits")
			.isGreaterThan(4000);
	}

	@Test
	void anotherApplicationsTaskRunsWhileOnesBacklogOnTheSameRouteWaits() {
		WebhookRows webhooks = new WebhookRows(ROWS, this.cipher);
		UUID flooding = webhooks.application();
		for (int i = 0; i < 300; i++) {
			task(flooding, "/flood", "now() - interval '1 minute'");
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> count(upstream, "/flood") >= 4);

		UUID other = webhooks.application();
		long start = System.nanoTime();
		UUID task = task(other, "/quiet", "now()");
		String taskId = IdKind.TASK.format(task);
		await().atMost(Duration.ofSeconds(15))
			.until(() -> upstream.requests().stream().anyMatch((r) -> taskId.equals(r.header("Hookway-Task-Id"))));
		// first in, first out would have taken 300 × 300 ms / 2 = 45 s
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		// counted at the upstream, not in the table afterwards: on a loaded machine the
		// backlog may have drained far by the time the quiet task was inserted
		List<Request> calls = upstream.requests();
		int quiet = calls.indexOf(
				calls.stream().filter((r) -> taskId.equals(r.header("Hookway-Task-Id"))).findFirst().orElseThrow());
		assertThat(calls.subList(0, quiet).stream().filter((r) -> r.path().startsWith("/flood")).count())
			.as("backlog calls made before the other application's task")
			.isLessThan(250);
	}

	private static long count(RecordingHttpServer server, String prefix) {
		return server.requests().stream().filter((r) -> r.path().startsWith(prefix)).count();
	}

	private UUID task(UUID application, String path, String due) {
		UUID id = IdKind.newUuid();
		ROWS.execute(
				"insert into tasks (id, application_id, route, method, path, request_headers, request_body, status, "
						+ "next_attempt_at) values (?, ?, 'shared', 'POST', ?, '{}', ?, 'ACCEPTED', " + due + ")",
				id, application, path, "{}".getBytes(StandardCharsets.UTF_8));
		return id;
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
