package io.hookway.dispatcher;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.RecordingHttpServer;
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
 * What a dispatcher holds is bounded by bytes, not only by counts: with room for 3 MB of
 * bodies, tasks of 1 MB each are claimed three at a time although the batch size, the
 * route's concurrency and the in-flight limit would all allow ten, and likewise webhook
 * deliveries whose payloads carry a result of almost 1 MB.
 */
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ClaimBytesTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final int TASKS = 10;

	private static final int BODY = 1_000_000;

	static final RecordingHttpServer upstream = RecordingHttpServer.start();

	static final RecordingHttpServer receiver = RecordingHttpServer.start();

	static final AtomicInteger upstreamNow = new AtomicInteger();

	static final AtomicInteger upstreamPeak = new AtomicInteger();

	static final AtomicInteger receiverNow = new AtomicInteger();

	static final AtomicInteger receiverPeak = new AtomicInteger();

	/** A route of this run only: rows a previous run left behind are never claimed. */
	static final String ROUTE = "bulky-" + Long.toHexString(System.nanoTime());

	@Autowired
	SecretCipher cipher;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes." + ROUTE + ".upstream", upstream::baseUrl);
		registry.add("hookway.routes." + ROUTE + ".timeout", () -> "10s");
		registry.add("hookway.dispatcher.poll-interval", () -> "100ms");
		registry.add("spring.r2dbc.pool.initial-size", () -> "2");
		registry.add("spring.r2dbc.pool.max-size", () -> "6");
		registry.add("hookway.dispatcher.max-in-flight-bytes", () -> "3MB");
		LoopbackReceivers.allow(registry);
		registry.add("hookway.webhooks.timeout", () -> "10s");
		byte[] result = new byte[BODY - 100_000];
		Arrays.fill(result, (byte) 'r');
		upstream.respondWith((request) -> {
			held(upstreamNow, upstreamPeak);
			return new Response(200, Map.of("Content-Type", "text/plain"), result);
		});
		receiver.respondWith((request) -> {
			held(receiverNow, receiverPeak);
			return Response.empty(204);
		});
	}

	/** The fake destination takes its time, so that claimed work overlaps. */
	private static void held(AtomicInteger now, AtomicInteger peak) {
		peak.accumulateAndGet(now.incrementAndGet(), Math::max);
		try {
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			now.decrementAndGet();
		}
	}

	@AfterAll
	static void stopServers() {
		upstream.close();
		receiver.close();
	}

	@Test
	void tasksAndDeliveriesAreClaimedNoFurtherThanTheBytesTheWorkerHasRoomFor() {
		WebhookRows webhooks = new WebhookRows(ROWS, this.cipher);
		UUID application = webhooks.application();
		webhooks.endpoint(application, receiver.baseUrl() + "/hooks", WebhookSecret.generate(), "task.succeeded",
				"task.failed");
		byte[] body = new byte[BODY];
		Arrays.fill(body, (byte) 'b');
		for (int i = 0; i < TASKS; i++) {
			UUID id = IdKind.newUuid();
			ROWS.execute(
					"insert into tasks (id, application_id, route, method, path, request_headers, request_body, "
							+ "status, next_attempt_at) values (?, ?, ?, 'POST', '/x', '{}', ?, 'ACCEPTED', now())",
					id, application, ROUTE, body);
		}
		await().atMost(Duration.ofSeconds(60))
			.until(() -> ROWS.count(
					"select count(*) from webhook_deliveries where application_id = ? " + "and status = 'SUCCEEDED'",
					application) == TASKS);
		assertThat(
				ROWS.count("select count(*) from tasks where application_id = ? and status = 'SUCCEEDED'", application))
			.isEqualTo(TASKS);
		assertThat(upstreamPeak.get()).as("upstream calls at once").isBetween(1, 3);
		assertThat(receiverPeak.get()).as("deliveries at once").isBetween(1, 3);
	}

}
