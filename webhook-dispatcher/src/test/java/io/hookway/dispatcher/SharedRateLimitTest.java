package io.hookway.dispatcher;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Request;
import io.hookway.core.test.RecordingHttpServer.Response;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.WebhookSecret;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An endpoint's rate limit (API §10) holds for two dispatchers together: deliveries over
 * it wait, evenly spaced, and none fails or counts an attempt for it; an endpoint without
 * a limit is not slowed, even beside a limited one's backlog.
 */
class SharedRateLimitTest {

	private static final int LIMIT = 5;

	private final String database = TestDatabase.fresh("hookway_pace");

	private final TestRows rows = TestRows.of(this.database);

	private final RecordingHttpServer receiver = RecordingHttpServer.start();

	private final List<ConfigurableApplicationContext> dispatchers = new ArrayList<>();

	@AfterEach
	void tearDown() {
		this.dispatchers.forEach(ConfigurableApplicationContext::close);
		this.receiver.close();
		TestDatabase.drop(this.database);
	}

	@Test
	void twoDispatchersTogetherKeepAnEndpointToItsLimitAndLeaveUnlimitedOnesAlone() {
		this.receiver.respondWith((request) -> Response.empty(204));
		ConfigurableApplicationContext left = start("left");
		ConfigurableApplicationContext right = start("right");
		WebhookRows webhooks = new WebhookRows(this.rows, left.getBean(SecretCipher.class));
		UUID application = webhooks.application();
		UUID unlimited = webhooks.endpoint(application, this.receiver.baseUrl() + "/unlimited",
				WebhookSecret.generate(), "task.succeeded");
		UUID limited = webhooks.endpoint(application, this.receiver.baseUrl() + "/limited", WebhookSecret.generate(),
				"task.succeeded");
		this.rows.execute("update webhook_endpoints set rate_limit = ? where id = ?", LIMIT, limited);
		// both dispatchers warm, so that a cold start's pauses do not bunch the timings
		webhooks.messages(application, unlimited, "task.succeeded", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> to("/unlimited").size() == 30);

		double leftBefore = delivered(left);
		double rightBefore = delivered(right);
		webhooks.messages(application, limited, "task.succeeded", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> to("/limited").size() == 30);
		List<Instant> arrivals = to("/limited").stream().map(Request::receivedAt).sorted().toList();
		assertThat(Duration.between(arrivals.get(0), arrivals.get(29))).as("30 deliveries at %d a second", LIMIT)
			.isGreaterThanOrEqualTo(Duration.ofSeconds(5));
		// turns are a fifth of a second apart; on a loaded machine one at each edge of a
		// second may arrive late or early enough to fall within it
		assertThat(busiestSecond(arrivals))
			.as("most deliveries within any second; arrivals (ms): %s",
					arrivals.stream().map((at) -> Duration.between(arrivals.get(0), at).toMillis()).toList())
			.isLessThanOrEqualTo(LIMIT + 2);
		assertThat(delivered(left)).as("the left dispatcher's share").isGreaterThan(leftBefore);
		assertThat(delivered(right)).as("the right dispatcher's share").isGreaterThan(rightBefore);
		assertThat(this.rows.count("select count(*) from webhook_deliveries where endpoint_id = ? "
				+ "and status = 'SUCCEEDED' and attempt_count = 1", limited))
			.as("none failed, none counted an attempt for waiting")
			.isEqualTo(30);
		assertThat(this.rows.count("select count(*) from delivery_attempts a join webhook_deliveries d "
				+ "on d.id = a.delivery_id where d.endpoint_id = ?", limited))
			.isEqualTo(30);

		webhooks.messages(application, limited, "task.succeeded", 15);
		webhooks.messages(application, unlimited, "task.succeeded", 30);
		await().atMost(Duration.ofSeconds(30)).until(() -> to("/unlimited").size() == 60);
		assertThat(to("/limited").size()).as("the limited endpoint's backlog is still being sent").isLessThan(45);
		assertThat(this.rows.count("select count(*) from endpoint_pace where endpoint_id = ?", unlimited))
			.as("no turn is ever reserved for an endpoint without a limit")
			.isZero();
		await().atMost(Duration.ofSeconds(30)).until(() -> to("/limited").size() == 45);
	}

	/** The most arrivals within a second of any arrival. */
	private static int busiestSecond(List<Instant> arrivals) {
		int most = 0;
		for (int first = 0; first < arrivals.size(); first++) {
			Instant end = arrivals.get(first).plusSeconds(1);
			int last = first;
			while (last + 1 < arrivals.size() && arrivals.get(last + 1).isBefore(end)) {
				last++;
			}
			most = Math.max(most, last - first + 1);
		}
		return most;
	}

	/**
	 * Claims small enough that one dispatcher cannot take the whole backlog of an
	 * endpoint; leases short enough that deliveries waiting in a line soon cannot wait
	 * for a turn and are put off, long enough that none runs out on a loaded machine.
	 */
	private ConfigurableApplicationContext start(String name) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DispatcherApplication.class).run(
				"--server.port=0", "--management.server.port=0", "--hookway.database.url=" + this.database,
				"--hookway.secrets.allow-development-key=true", "--hookway.webhooks.allow-http=true",
				"--hookway.webhooks.allow-private-targets=true", "--hookway.dispatcher.worker-id=" + name,
				"--hookway.dispatcher.batch-size=4", "--hookway.dispatcher.lease=8s", "--hookway.webhooks.timeout=4s",
				"--hookway.dispatcher.poll-interval=100ms", "--spring.application.name=" + name);
		this.dispatchers.add(context);
		return context;
	}

	/** Zero before the dispatcher's first success: its counter does not exist yet. */
	private static double delivered(ConfigurableApplicationContext dispatcher) {
		Counter succeeded = dispatcher.getBean(MeterRegistry.class)
			.find("hookway.webhook.attempts")
			.tag("outcome", "succeeded")
			.counter();
		return (succeeded != null) ? succeeded.count() : 0;
	}

	private List<Request> to(String path) {
		return this.receiver.requests().stream().filter((r) -> r.path().equals(path)).toList();
	}

}
