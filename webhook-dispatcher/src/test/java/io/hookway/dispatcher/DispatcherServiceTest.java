package io.hookway.dispatcher;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.standardwebhooks.Webhook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.SilentNameServer;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.dispatcher.retention.Retention;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;

/**
 * The dispatcher on its own, fed through the database exactly as the gateway and portal
 * feed it: task rows in, upstream calls and signed webhooks out.
 */
@SpringBootTest(classes = DispatcherApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DispatcherServiceTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	static final RecordingHttpServer upstream = RecordingHttpServer.start();

	static final RecordingHttpServer receiver = RecordingHttpServer.start();

	/** The name server of this dispatcher: every host it would have to look up hangs. */
	static final SilentNameServer nameServer = new SilentNameServer();

	/**
	 * A route of this run only: rows a previous run left behind never reach its breaker.
	 */
	static final String FRAGILE = "fragile-" + Long.toHexString(System.nanoTime());

	static final AtomicInteger narrowInFlight = new AtomicInteger();

	static final AtomicInteger narrowPeak = new AtomicInteger();

	@Autowired
	SecretCipher cipher;

	@Autowired
	Retention retention;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("management.server.port", () -> "0");
		registry.add("hookway.dns.servers", () -> "127.0.0.1:" + nameServer.port());
		registry.add("hookway.dns.timeout", () -> "1s");
		TestDatabase.register(registry);
		registry.add("hookway.routes.inventory.upstream", () -> upstream.baseUrl() + "/stock");
		registry.add("hookway.dispatcher.poll-interval", () -> "100ms");
		LoopbackReceivers.allow(registry);
		registry.add("hookway.webhooks.timeout", () -> "8s");
		registry.add("hookway.routes.inventory.timeout", () -> "1s");
		registry.add("hookway.routes.inventory.backoff", () -> "50ms");
		registry.add("hookway.routes.inventory.max-attempts", () -> "3");
		registry.add("hookway.routes." + FRAGILE + ".upstream", () -> upstream.baseUrl() + "/fragile");
		registry.add("hookway.routes." + FRAGILE + ".max-attempts", () -> "1");
		registry.add("hookway.routes.narrow.upstream", () -> upstream.baseUrl() + "/narrow");
		registry.add("hookway.routes.narrow.max-concurrency", () -> "2");
		registry.add("hookway.routes.nowhere.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.routes.nowhere.backoff", () -> "50ms");
		registry.add("hookway.routes.nowhere.max-attempts", () -> "3");
		registry.add("hookway.webhooks.retry-schedule", () -> "200ms,200ms");
		upstream.respondWith((request) -> {
			if (request.path().startsWith("/fragile")) {
				return Response.empty(500);
			}
			if (request.path().startsWith("/narrow")) {
				int now = narrowInFlight.incrementAndGet();
				narrowPeak.accumulateAndGet(now, Math::max);
				sleepQuietly(Duration.ofMillis(300));
				narrowInFlight.decrementAndGet();
				return Response.json(200, "{}");
			}
			if (request.path().endsWith("/slow")) {
				sleepQuietly(Duration.ofSeconds(3));
			}
			if (request.path().endsWith("/busy") && countTo(upstream, request.path()) == 1) {
				return new Response(503, Map.of("Retry-After", "2"), new byte[0]);
			}
			return Response.json(200, "{\"reserved\":true}");
		});
		receiver.respondWith((request) -> {
			if (request.path().startsWith("/hang/")) {
				sleepQuietly(Duration.ofSeconds(9));
			}
			if (request.path().startsWith("/fail/")) {
				return Response.empty(500);
			}
			if (request.path().startsWith("/redirect/")) {
				return new Response(302, Map.of("Location", receiver.baseUrl() + "/redirected"), new byte[0]);
			}
			if (request.path().startsWith("/throttle/") && countTo(receiver, request.path()) == 1) {
				return new Response(429, Map.of("Retry-After", "2"), new byte[0]);
			}
			return Response.empty(request.path().startsWith("/gone/") ? 410 : 200);
		});
	}

	@AfterAll
	static void stopServers() {
		upstream.close();
		receiver.close();
		nameServer.close();
	}

	@Test
	void acceptedTaskRunsAgainstTheUpstreamAndItsOutcomeIsDeliveredSigned() {
		UUID application = insertApplication();
		WebhookSecret secret = WebhookSecret.generate();
		String hookPath = "/hooks/" + UUID.randomUUID();
		insertEndpoint(application, receiver.baseUrl() + hookPath, secret);
		UUID task = insertTask(application, "inventory", "ACCEPTED", "now()", null);

		Request call = await().atMost(Duration.ofSeconds(10))
			.until(() -> find(upstream, "Hookway-Task-Id", IdKind.TASK.format(task)), (r) -> r != null);
		assertThat(call.path()).isEqualTo("/stock/items/7");
		assertThat(call.bodyAsString()).isEqualTo("{\"quantity\":2}");
		assertThat(call.header("content-type")).isEqualTo("application/json");

		Request webhook = await().atMost(Duration.ofSeconds(10))
			.until(() -> receiver.requests().stream().filter((r) -> r.path().equals(hookPath)).findFirst().orElse(null),
					(r) -> r != null);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(secret.encoded()).verify(webhook.bodyAsString(), webhook.headers()));
		assertThat(status(task)).isEqualTo("SUCCEEDED");
	}

	@Test
	void rowWhoseLeaseRanOutIsTakenOverWhileHeldAndUnknownRowsAreLeftAlone() {
		UUID application = insertApplication();
		UUID abandoned = insertTask(application, "inventory", "RUNNING", "now() - interval '1 second'", "dead-worker");
		UUID held = insertTask(application, "inventory", "RUNNING", "now() + interval '1 hour'", "live-worker");
		UUID unknownRoute = insertTask(application, "not-configured-here", "ACCEPTED", "now()", null);

		await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(status(abandoned)));
		// by now several polls have passed: a held lease and a route this process cannot
		// run stay untouched
		assertThat(status(held)).isEqualTo("RUNNING");
		assertThat(lockedBy(held)).isEqualTo("live-worker");
		assertThat(status(unknownRoute)).isEqualTo("ACCEPTED");
		assertThat(find(upstream, "Hookway-Task-Id", IdKind.TASK.format(held))).isNull();
	}

	@Test
	void hangingEndpointDoesNotDelayDeliveriesToAHealthyOne() {
		UUID application = insertApplication();
		String healthyPath = "/healthy/" + UUID.randomUUID();
		String hangingPath = "/hang/" + UUID.randomUUID();
		insertEndpoint(application, receiver.baseUrl() + hangingPath, WebhookSecret.generate());
		insertEndpoint(application, receiver.baseUrl() + healthyPath, WebhookSecret.generate());
		long start = System.nanoTime();
		for (int i = 0; i < 30; i++) {
			insertTask(application, "inventory", "ACCEPTED", "now()", null);
		}
		await().atMost(Duration.ofSeconds(15))
			.until(() -> receiver.requests().stream().filter((r) -> r.path().equals(healthyPath)).count() == 30);
		Duration healthyDone = Duration.ofNanos(System.nanoTime() - start);
		// had the healthy endpoint waited behind the hanging one, it would have taken the
		// full
		// 8 s timeout; the hanging endpoint holds at most its share of slots meanwhile
		assertThat(healthyDone).isLessThan(Duration.ofSeconds(8));
		assertThat(receiver.requests().stream().filter((r) -> r.path().equals(hangingPath)).count())
			.isLessThanOrEqualTo(10);
	}

	@Test
	void endpointWhoseNameServerNeverAnswersFailsItsAttemptWithinTheDeadlineWithoutHoldingUpOthers() {
		UUID application = insertApplication();
		String healthyPath = "/dns-healthy/" + UUID.randomUUID();
		UUID stuck = insertEndpoint(application, "http://hooks.never-answers.test:" + this.port + "/in",
				WebhookSecret.generate());
		insertEndpoint(application, receiver.baseUrl() + healthyPath, WebhookSecret.generate());
		long start = System.nanoTime();
		insertTask(application, "inventory", "ACCEPTED", "now()", null);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> receiver.requests().stream().anyMatch((r) -> r.path().equals(healthyPath)));
		String failedAttempt = "select a.error from delivery_attempts a join webhook_deliveries d "
				+ "on d.id = a.delivery_id where d.endpoint_id = ? and a.attempt = 1";
		await().atMost(Duration.ofSeconds(10)).until(() -> ROWS.single(failedAttempt, stuck) != null);
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		assertThat(ROWS.single(failedAttempt, stuck))
			.contains("hooks.never-answers.test did not resolve within 1000 ms");
		// the attempt failed, the delivery is retried on its schedule
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Integer
				.parseInt(ROWS.single("select count(*) from delivery_attempts a join webhook_deliveries d "
						+ "on d.id = a.delivery_id where d.endpoint_id = ?", stuck)) >= 2);
	}

	@Test
	void endpointAnswering410IsDisabledWithAReason() {
		UUID application = insertApplication();
		UUID endpoint = insertEndpoint(application, receiver.baseUrl() + "/gone/" + UUID.randomUUID(),
				WebhookSecret.generate());
		UUID task = insertTask(application, "inventory", "ACCEPTED", "now()", null);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "false"
				.equals(ROWS.single("select enabled::text from webhook_endpoints where id = ?", endpoint)));
		assertThat(ROWS.single("select disabled_reason from webhook_endpoints where id = ?", endpoint)).contains("410");
		assertThat(
				ROWS.single("select d.status from webhook_deliveries d join webhook_messages m on m.id = d.message_id "
						+ "where m.task_id = ?", task))
			.isEqualTo("FAILED");
	}

	@Test
	void endpointFailingLongerThanDisableAfterIsDisabledWithTheDateItStartedFailing() {
		UUID application = insertApplication();
		UUID endpoint = insertEndpoint(application, receiver.baseUrl() + "/fail/" + UUID.randomUUID(),
				WebhookSecret.generate());
		ROWS.execute("update webhook_endpoints set failing_since = now() - interval '6 days' where id = ?", endpoint);
		insertTask(application, "inventory", "ACCEPTED", "now()", null);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "false"
				.equals(ROWS.single("select enabled::text from webhook_endpoints where id = ?", endpoint)));
		assertThat(ROWS.single("select disabled_reason from webhook_endpoints where id = ?", endpoint))
			.startsWith("Every delivery failed since ");
	}

	@Test
	void successEndsARunOfFailures() {
		UUID application = insertApplication();
		UUID endpoint = insertEndpoint(application, receiver.baseUrl() + "/recovered/" + UUID.randomUUID(),
				WebhookSecret.generate());
		ROWS.execute("update webhook_endpoints set failing_since = now() - interval '1 day' where id = ?", endpoint);
		insertTask(application, "inventory", "ACCEPTED", "now()", null);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> ROWS.single("select failing_since::text from webhook_endpoints where id = ?",
					endpoint) == null);
		assertThat(ROWS.single("select enabled::text from webhook_endpoints where id = ?", endpoint)).isEqualTo("true");
	}

	@Test
	void retentionPurgesFinishedRowsOlderThanThePeriodAndKeepsTheRest() {
		UUID application = insertApplication();
		UUID old = insertTask(application, "inventory", "SUCCEEDED", "null", null);
		UUID recent = insertTask(application, "inventory", "SUCCEEDED", "null", null);
		UUID oldButPending = insertTask(application, "inventory", "RUNNING", "now() + interval '1 hour'", "someone");
		ROWS.execute("update tasks set completed_at = now() - interval '8 days' where id = ?", old);
		ROWS.execute("update tasks set completed_at = now() - interval '1 day' where id = ?", recent);
		ROWS.execute("update tasks set created_at = now() - interval '30 days' where id = ?", oldButPending);
		UUID oldMessage = IdKind.newUuid();
		ROWS.execute("insert into webhook_messages (id, application_id, event_type, payload, created_at) "
				+ "values (?, ?, 'task.succeeded', '{}', now() - interval '8 days')", oldMessage, application);

		assertThat(this.retention.purge().block(Duration.ofSeconds(30))).isGreaterThanOrEqualTo(2L);

		assertThat(status(old)).isNull();
		assertThat(status(recent)).isEqualTo("SUCCEEDED");
		assertThat(status(oldButPending)).isEqualTo("RUNNING");
		assertThat(ROWS.single("select id::text from webhook_messages where id = ?", oldMessage)).isNull();
	}

	@Test
	void upstreamTimeoutsAndConnectionFailuresAreRetriedThenFailWithTheirCause() {
		UUID application = insertApplication();
		UUID slow = insertTask(application, "inventory", "/slow");
		UUID unreachable = insertTask(application, "nowhere", "/anything");
		await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(status(slow)));
		await().atMost(Duration.ofSeconds(20)).until(() -> "FAILED".equals(status(unreachable)));
		assertThat(ROWS.single("select error_code || '/' || attempts from tasks where id = ?", slow))
			.isEqualTo("upstream_timeout/3");
		assertThat(ROWS.single("select error_code || '/' || attempts from tasks where id = ?", unreachable))
			.isEqualTo("upstream_unreachable/3");
	}

	@Test
	void upstreamRetryAfterIsHonoured() {
		UUID application = insertApplication();
		UUID task = insertTask(application, "inventory", "/busy");
		await().atMost(Duration.ofSeconds(15)).until(() -> "SUCCEEDED".equals(status(task)));
		List<Request> calls = upstream.requests()
			.stream()
			.filter((r) -> IdKind.TASK.format(task).equals(r.header("Hookway-Task-Id")))
			.toList();
		assertThat(calls).hasSize(2);
		assertThat(Duration.between(calls.get(0).receivedAt(), calls.get(1).receivedAt()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1900));
	}

	@Test
	void redirectIsAFailedAttemptAndAfterTheLastAttemptTheDeliveryIsFailedAndKept() {
		UUID application = insertApplication();
		String path = "/redirect/" + UUID.randomUUID();
		insertEndpoint(application, receiver.baseUrl() + path, WebhookSecret.generate());
		UUID task = insertTask(application, "inventory", "/items/7");
		String delivery = "select d.status from webhook_deliveries d join webhook_messages m on m.id = d.message_id "
				+ "where m.task_id = ?";
		await().atMost(Duration.ofSeconds(15)).until(() -> "FAILED".equals(ROWS.single(delivery, task)));
		assertThat(countTo(receiver, path)).isEqualTo(3);
		assertThat(countTo(receiver, "/redirected")).isZero();
		assertThat(ROWS
			.single("select string_agg(a.status_code::text, ',' order by a.attempt) from delivery_attempts a "
					+ "join webhook_deliveries d on d.id = a.delivery_id join webhook_messages m on m.id = d.message_id "
					+ "where m.task_id = ?", task))
			.isEqualTo("302,302,302");
	}

	@Test
	void receiverRetryAfterOn429IsHonoured() {
		UUID application = insertApplication();
		String path = "/throttle/" + UUID.randomUUID();
		insertEndpoint(application, receiver.baseUrl() + path, WebhookSecret.generate());
		insertTask(application, "inventory", "/items/7");
		await().atMost(Duration.ofSeconds(15)).until(() -> countTo(receiver, path) == 2);
		List<Request> deliveries = receiver.requests().stream().filter((r) -> r.path().equals(path)).toList();
		assertThat(Duration.between(deliveries.get(0).receivedAt(), deliveries.get(1).receivedAt()))
			.isGreaterThanOrEqualTo(Duration.ofMillis(1900));
	}

	@Test
	void routeBreakerOpensOnAFailingUpstreamAndHoldsItsTasksBackWithoutCountingAttempts() {
		UUID application = insertApplication();
		// ten failures one after the other: the breaker's minimum number of calls
		for (int i = 0; i < 10; i++) {
			UUID task = insertTask(application, FRAGILE, "/x");
			await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(status(task)));
		}
		List<UUID> heldBack = new java.util.ArrayList<>();
		for (int i = 0; i < 5; i++) {
			heldBack.add(insertTask(application, FRAGILE, "/x"));
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> heldBack.stream()
				.allMatch((task) -> "true".equals(ROWS.single(
						"select (status = 'ACCEPTED' and attempts = 0 "
								+ "and next_attempt_at > now() + interval '3 seconds')::text from tasks where id = ?",
						task))));
		String applicationId = IdKind.APPLICATION.format(application);
		assertThat(upstream.requests().stream().filter((r) -> applicationId.equals(r.header("Hookway-Application-Id"))))
			.as("no call while the breaker is open")
			.hasSize(10);
		assertThat(prometheus()).contains("hookway_route_breaker_state{route=\"" + FRAGILE + "\",state=\"open\"} 1.0")
			.contains("hookway_route_breaker_state{route=\"" + FRAGILE + "\",state=\"closed\"} 0.0")
			.contains("hookway_route_breaker_state{route=\"inventory\",state=\"closed\"} 1.0");
	}

	@Test
	void unfinishedTasksAreCountedByState() {
		UUID application = insertApplication();
		double before = awaitingReport();
		for (int i = 0; i < 2; i++) {
			UUID task = insertTask(application, "inventory", "RUNNING", "now() + interval '1 hour'", null);
			ROWS.execute("update tasks set completion_deadline = next_attempt_at where id = ?", task);
		}
		await().atMost(Duration.ofSeconds(25)).until(() -> awaitingReport() >= before + 2);
		assertThat(prometheus()).contains("hookway_tasks{state=\"accepted\"}", "hookway_tasks{state=\"running\"}",
				"hookway_tasks{state=\"retrying\"}");
	}

	@Test
	void queueTablesAreVacuumedLongBeforeTheDefaultFifthOfThemIsDead() {
		for (String table : List.of("tasks", "webhook_deliveries")) {
			assertThat(ROWS.single("select array_to_string(reloptions, ',') from pg_class where relname = ?", table))
				.contains("autovacuum_vacuum_scale_factor=0.01", "autovacuum_analyze_scale_factor=0.02");
		}
	}

	private double awaitingReport() {
		return prometheus().lines()
			.filter((line) -> line.startsWith("hookway_tasks{state=\"awaiting_report\"} "))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.indexOf(' ') + 1)))
			.findFirst()
			.orElse(-1);
	}

	private String prometheus() {
		return org.springframework.test.web.reactive.server.WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.managementPort)
			.build()
			.get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void handedOverTaskWithoutAReportFailsWhenItsDeadlinePasses() {
		UUID application = insertApplication();
		// due only once the deadline is set: claimed before, it would be run as a new
		// call
		UUID task = insertTask(application, "inventory", "RUNNING", "now() + interval '1 hour'", null);
		ROWS.execute("update tasks set completion_deadline = now() - interval '1 second', next_attempt_at = now() "
				+ "where id = ?", task);
		await().atMost(Duration.ofSeconds(10)).until(() -> "FAILED".equals(status(task)));
		assertThat(ROWS.single("select error_code from tasks where id = ?", task))
			.isEqualTo("completion_deadline_exceeded");
		String taskId = IdKind.TASK.format(task);
		assertThat(upstream.requests().stream().filter((r) -> taskId.equals(r.header("Hookway-Task-Id"))))
			.as("the upstream is not called again")
			.isEmpty();
	}

	@Test
	void afterARotationEachDeliveryIsSignedWithTheNewAndTheStillValidOldSecret() {
		UUID application = insertApplication();
		WebhookSecret current = WebhookSecret.generate();
		WebhookSecret previous = WebhookSecret.generate();
		String path = "/rotated/" + UUID.randomUUID();
		UUID endpoint = insertEndpoint(application, receiver.baseUrl() + path, current);
		ROWS.execute(
				"update webhook_endpoints set previous_secret_encrypted = ?, "
						+ "previous_secret_expires_at = now() + interval '1 day' where id = ?",
				this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, previous.key()), endpoint);
		insertTask(application, "inventory", "/items/7");
		Request webhook = await().atMost(Duration.ofSeconds(10))
			.until(() -> receiver.requests().stream().filter((r) -> r.path().equals(path)).findFirst().orElse(null),
					(r) -> r != null);
		assertThat(webhook.header("webhook-signature").split(" ")).hasSize(2);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(current.encoded()).verify(webhook.bodyAsString(), webhook.headers()));
		assertThatNoException()
			.isThrownBy(() -> new Webhook(previous.encoded()).verify(webhook.bodyAsString(), webhook.headers()));
	}

	@Test
	void aRotationAfterDeliveriesSignsWithTheNewSecretAndTheOldOneOnlyUntilItExpires() {
		UUID application = insertApplication();
		WebhookSecret first = WebhookSecret.generate();
		WebhookSecret second = WebhookSecret.generate();
		String path = "/rotating/" + UUID.randomUUID();
		UUID endpoint = insertEndpoint(application, receiver.baseUrl() + path, first);
		insertTask(application, "inventory", "/items/7");
		Request before = awaitWebhook(path, 1);
		assertThat(before.header("webhook-signature").split(" ")).hasSize(1);

		ROWS.execute(
				"update webhook_endpoints set previous_secret_encrypted = secret_encrypted, "
						+ "previous_secret_expires_at = now() + interval '1 day', secret_encrypted = ? where id = ?",
				this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, second.key()), endpoint);
		insertTask(application, "inventory", "/items/7");
		Request during = awaitWebhook(path, 2);
		assertThat(during.header("webhook-signature").split(" ")).hasSize(2);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(second.encoded()).verify(during.bodyAsString(), during.headers()));
		assertThatNoException()
			.isThrownBy(() -> new Webhook(first.encoded()).verify(during.bodyAsString(), during.headers()));

		ROWS.execute(
				"update webhook_endpoints set previous_secret_expires_at = now() - interval '1 second' where id = ?",
				endpoint);
		insertTask(application, "inventory", "/items/7");
		Request after = awaitWebhook(path, 3);
		assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
		assertThatNoException()
			.isThrownBy(() -> new Webhook(second.encoded()).verify(after.bodyAsString(), after.headers()));
	}

	private static Request awaitWebhook(String path, int count) {
		return await().atMost(Duration.ofSeconds(10)).until(() -> {
			List<Request> arrived = receiver.requests().stream().filter((r) -> r.path().equals(path)).toList();
			return (arrived.size() >= count) ? arrived.get(count - 1) : null;
		}, (r) -> r != null);
	}

	@Test
	void routeConcurrencyLimitBoundsCallsInFlight() {
		UUID application = insertApplication();
		List<UUID> tasks = new java.util.ArrayList<>();
		for (int i = 0; i < 8; i++) {
			tasks.add(insertTask(application, "narrow", "/y"));
		}
		await().atMost(Duration.ofSeconds(30))
			.until(() -> tasks.stream().allMatch((task) -> "SUCCEEDED".equals(status(task))));
		assertThat(narrowPeak.get()).isEqualTo(2);
		assertThat(ROWS.single("select max(attempts)::text from tasks where route = 'narrow' and application_id = ?",
				application))
			.isEqualTo("1");
	}

	private static long countTo(RecordingHttpServer server, String path) {
		return server.requests().stream().filter((r) -> r.path().equals(path)).count();
	}

	private UUID insertTask(UUID application, String route, String path) {
		UUID id = insertTask(application, route, "ACCEPTED", "now() + interval '1 hour'", null);
		ROWS.execute("update tasks set path = ?, next_attempt_at = now() where id = ?", path, id);
		return id;
	}

	private static void sleepQuietly(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Request find(RecordingHttpServer server, String header, String value) {
		return server.requests().stream().filter((r) -> value.equals(r.header(header))).findFirst().orElse(null);
	}

	private UUID insertApplication() {
		return new WebhookRows(ROWS, this.cipher).application();
	}

	private UUID insertEndpoint(UUID application, String url, WebhookSecret secret) {
		return new WebhookRows(ROWS, this.cipher).endpoint(application, url, secret, "task.succeeded", "task.failed");
	}

	private UUID insertTask(UUID application, String route, String status, String due, String lockedBy) {
		UUID id = IdKind.newUuid();
		ROWS.execute(
				"insert into tasks (id, application_id, route, method, path, request_headers, request_body, status, "
						+ "next_attempt_at, locked_by, attempts) values (?, ?, ?, 'POST', '/items/7', "
						+ "'{\"content-type\":[\"application/json\"]}', ?, ?, " + due + ", ?, "
						+ (status.equals("RUNNING") ? 1 : 0) + ")",
				id, application, route, "{\"quantity\":2}".getBytes(StandardCharsets.UTF_8), status, lockedBy);
		return id;
	}

	private static String status(UUID task) {
		return ROWS.single("select status from tasks where id = ?", task);
	}

	private static String lockedBy(UUID task) {
		return ROWS.single("select locked_by from tasks where id = ?", task);
	}

}
