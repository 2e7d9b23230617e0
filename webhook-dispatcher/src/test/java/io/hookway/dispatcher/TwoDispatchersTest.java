package io.hookway.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.test.RecordingHttpServer;
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
 * Two dispatchers on one database drain a backlog spread over applications and endpoints
 * together: both deliver, and no message is delivered twice.
 */
class TwoDispatchersTest {

	private static final int DELIVERIES = 3000;

	private final String database = TestDatabase.fresh("hookway_two");

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
	void twoDispatchersDrainABacklogTogetherAndDeliverNoMessageTwice() {
		this.receiver.respondWith((request) -> Response.empty(204));
		ConfigurableApplicationContext left = start("left");
		ConfigurableApplicationContext right = start("right");
		SecretCipher cipher = left.getBean(SecretCipher.class);
		WebhookRows webhooks = new WebhookRows(this.rows, cipher);
		for (int a = 0; a < 3; a++) {
			UUID application = webhooks.application();
			for (int e = 0; e < 10; e++) {
				webhooks.endpoint(application, this.receiver.baseUrl() + "/hooks/" + a + "/" + e,
						WebhookSecret.generate(), "task.succeeded");
			}
		}
		this.rows.execute("""
				with e as (
				    select id, application_id, row_number() over (order by id) - 1 as k from webhook_endpoints
				), src as materialized (
				    select gen_random_uuid() as message_id, e.id as endpoint_id, e.application_id, n
				    from generate_series(1, ?) n join e on e.k = n % 30
				), m as (
				    insert into webhook_messages (id, application_id, event_type, payload)
				    select message_id, application_id, 'task.succeeded', '{"n":' || n || '}' from src
				)
				insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
				select message_id, endpoint_id, application_id, 'task.succeeded', now() from src""", DELIVERIES);
		this.rows.execute("select pg_notify('hookway_deliveries', '')");

		await().atMost(Duration.ofSeconds(120))
			.until(() -> this.rows
				.count("select count(*) from webhook_deliveries where status = 'SUCCEEDED'") == DELIVERIES);
		assertThat(this.receiver.requests()).hasSize(DELIVERIES);
		assertThat(this.receiver.requests().stream().map((r) -> r.header("webhook-id")).distinct()).hasSize(DELIVERIES);
		// one success recorded per delivery; an attempt whose connection failed before
		// the
		// receiver saw it is recorded too, and tried again, as it should be
		assertThat(this.rows.count("select count(*) from delivery_attempts where status_code between 200 and 299"))
			.isEqualTo(DELIVERIES);
		assertThat(this.rows.count("select count(distinct delivery_id) from delivery_attempts where status_code = 204"))
			.isEqualTo(DELIVERIES);
		double byLeft = delivered(left);
		double byRight = delivered(right);
		assertThat(byLeft + byRight).isEqualTo(DELIVERIES);
		assertThat(byLeft).as("the left dispatcher's share").isPositive();
		assertThat(byRight).as("the right dispatcher's share").isPositive();
	}

	private ConfigurableApplicationContext start(String name) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(DispatcherApplication.class).run(
				"--server.port=0", "--management.server.port=0", "--hookway.database.url=" + this.database,
				"--hookway.secrets.allow-development-key=true", "--hookway.webhooks.allow-http=true",
				"--hookway.webhooks.allow-private-targets=true", "--hookway.dispatcher.worker-id=" + name,
				"--hookway.dispatcher.poll-interval=200ms", "--spring.application.name=" + name);
		this.dispatchers.add(context);
		return context;
	}

	private static double delivered(ConfigurableApplicationContext dispatcher) {
		return dispatcher.getBean(MeterRegistry.class)
			.get("hookway.webhook.attempts")
			.tag("outcome", "succeeded")
			.counter()
			.count();
	}

}
