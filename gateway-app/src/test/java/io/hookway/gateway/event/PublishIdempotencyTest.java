package io.hookway.gateway.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;
import io.hookway.gateway.GatewayApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotency-Key on publishing: one message per key and publisher, fanned out once,
 * however many requests race with it.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PublishIdempotencyTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	@LocalServerPort
	int port;

	WebTestClient http;

	String publisher;

	String paid;

	UUID application;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.gateway.database-timeout", () -> "3s");
	}

	@BeforeEach
	void setUp() throws Exception {
		this.http = WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + this.port)
			.responseTimeout(Duration.ofSeconds(20))
			.build();
		this.publisher = TestIssuer.shared().token("cli_billing_service", null, "events:publish");
		String family = EventFixtures.family();
		this.paid = family + ".invoice.paid";
		EventFixtures.eventType(this.paid, null, false);
		this.application = EventFixtures.application("ACTIVE");
		EventFixtures.endpoint(this.application, true, family + ".invoice.*");
		EventFixtures.endpoint(this.application, true, this.paid);
	}

	@Test
	void concurrentRepeatsOfOneKeyMakeOneMessageFannedOutOnceAndAreAllAnsweredWithIt() throws Exception {
		String key = "evt-" + UUID.randomUUID();
		String body = EventFixtures.publication(this.application, this.paid, "{\"amount\":7}");
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		List<ResponseEntity<Map<String, Object>>> answers = Flux.range(0, 8)
			.flatMap((i) -> client.post().uri("/internal/v1/events").headers((headers) -> {
				headers.setBearerAuth(this.publisher);
				headers.set("Idempotency-Key", key);
			}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).retrieve().toEntity(JSON), 8)
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(answers).allSatisfy((answer) -> assertThat(answer.getStatusCode().value()).isEqualTo(202));
		assertThat(answers.stream().map(ResponseEntity::getBody).distinct()).as("one message, described alike")
			.hasSize(1);
		assertThat(answers.stream().filter((answer) -> answer.getHeaders().containsHeader("Idempotent-Replayed")))
			.as("all but the first are marked as replays")
			.hasSize(7)
			.allSatisfy((answer) -> assertThat(answer.getHeaders().getFirst("Idempotent-Replayed")).isEqualTo("true"));
		Map<String, Object> first = answers.get(0).getBody();
		assertThat(first).containsEntry("deliveries", 2);
		assertThat(messages()).isEqualTo(1);
		assertThat(deliveries()).isEqualTo(2);

		publish(this.publisher, key, body).expectStatus()
			.isAccepted()
			.expectHeader()
			.valueEquals("Idempotent-Replayed", "true")
			.expectBody(JSON)
			.isEqualTo(first);
		publish(this.publisher, key, EventFixtures.publication(this.application, this.paid, "{\"amount\":8}"))
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("idempotency_key_reused");
		// a key is its publisher's: another client's same key is another message
		String otherPublisher = TestIssuer.shared().token("cli_shipping_service", null, "events:publish");
		publish(otherPublisher, key, body).expectStatus()
			.isAccepted()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody()
			.jsonPath("$.messageId")
			.value((id) -> assertThat(id).isNotEqualTo(first.get("messageId")));
		assertThat(messages()).isEqualTo(2);
		assertThat(deliveries()).isEqualTo(4);
	}

	/**
	 * The key is held by a transaction that does not commit: the request waits on it no
	 * longer than the database timeout, and its 503 means it stored nothing, so its
	 * repeat publishes once the key is free.
	 */
	@Test
	void requestWaitingOnAnUncommittedKeyIsAnswered503InTimeAndItsRepeatPublishes() throws Exception {
		String key = "evt-" + UUID.randomUUID();
		String body = EventFixtures.publication(this.application, this.paid, "{\"amount\":9}");
		try (Connection holder = ROWS.connect()) {
			holder.setAutoCommit(false);
			try (PreparedStatement hold = holder.prepareStatement(
					"insert into webhook_messages (id, application_id, event_type, payload, publisher, idempotency_key) "
							+ "values (?, ?, ?, '{}', 'cli_billing_service', ?)")) {
				hold.setObject(1, IdKind.newUuid());
				hold.setObject(2, this.application);
				hold.setString(3, this.paid);
				hold.setString(4, key);
				hold.executeUpdate();
			}
			long started = System.nanoTime();
			publish(this.publisher, key, body).expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
			holder.rollback();
		}
		assertThat(messages()).isZero();
		publish(this.publisher, key, body).expectStatus()
			.isAccepted()
			.expectHeader()
			.doesNotExist("Idempotent-Replayed")
			.expectBody()
			.jsonPath("$.deliveries")
			.isEqualTo(2);
		assertThat(messages()).isEqualTo(1);
		assertThat(deliveries()).isEqualTo(2);
	}

	private long messages() throws Exception {
		return ROWS.count("select count(*) from webhook_messages where application_id = ?", this.application);
	}

	private long deliveries() throws Exception {
		return ROWS.count("select count(*) from webhook_deliveries where application_id = ?", this.application);
	}

	private WebTestClient.ResponseSpec publish(String token, String key, String body) {
		return this.http.post().uri("/internal/v1/events").headers((headers) -> {
			headers.setBearerAuth(token);
			headers.set("Idempotency-Key", key);
		}).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
	}

}
