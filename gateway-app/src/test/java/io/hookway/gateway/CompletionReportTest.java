package io.hookway.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Result reports against task rows put in each state the dispatcher leaves them in: only
 * the holder of the current attempt's completion token is heard, and only while that
 * attempt runs or after it handed the task over; every other report is answered exactly
 * as one for a task that does not exist.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CompletionReportTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String TOKEN = "Hookway-Completion-Token";

	@LocalServerPort
	int port;

	WebTestClient http;

	String reporter;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
	}

	@BeforeEach
	void setUp() {
		this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
		this.reporter = TestIssuer.shared().token("cli_service", null, "tasks:complete");
	}

	/** The states a task row can be in, as the dispatcher writes them. */
	enum State {

		ACCEPTED("ACCEPTED", false, false), RUNNING_ATTEMPT("RUNNING", true, false),
		WAITING_FOR_RETRY("RUNNING", false, false), HANDED_OVER("RUNNING", false, true),
		SUCCEEDED("SUCCEEDED", false, true), FAILED("FAILED", false, false), CANCELLED("CANCELLED", false, false);

		final String status;

		final boolean leased;

		final boolean handedOver;

		State(String status, boolean leased, boolean handedOver) {
			this.status = status;
			this.leased = leased;
			this.handedOver = handedOver;
		}

		boolean awaitsReport() {
			return this == RUNNING_ATTEMPT || this == HANDED_OVER;
		}

	}

	@ParameterizedTest
	@EnumSource(State.class)
	void onlyTheCurrentAttemptsTokenIsHeardAndOnlyWhileTheTaskAwaitsItsReport(State state) throws Exception {
		String token = "tok-" + UUID.randomUUID();
		UUID task = insertTask(state, token);
		String taskId = IdKind.TASK.format(task);
		String unknown = notFoundBody(IdKind.TASK.format(IdKind.newUuid()), token);

		for (String wrong : new String[] { null, "", "tok-" + UUID.randomUUID(), token + "x", token.substring(1),
				"x".repeat(5000) }) {
			assertThat(notFoundBody(taskId, wrong)).as("token %s", wrong).isEqualTo(unknown);
		}
		// the token of another task that awaits its report
		String otherToken = "tok-" + UUID.randomUUID();
		insertTask(State.HANDED_OVER, otherToken);
		assertThat(notFoundBody(taskId, otherToken)).isEqualTo(unknown);
		assertThat(resultStatus(task)).isEqualTo((state == State.SUCCEEDED) ? 200 : null);

		if (state.awaitsReport()) {
			report(taskId, token).expectStatus().isAccepted().expectBody().jsonPath("$.taskId").isEqualTo(taskId);
			assertThat(resultStatus(task)).isEqualTo(201);
			// handed over: due at once for the dispatcher to finish; a running attempt is
			// left to its worker, which uses the report only if the attempt answers 202
			assertThat(dueNow(task)).isEqualTo(state == State.HANDED_OVER);
			// nor does its owner see the report before the dispatcher made it the outcome
			String owner = TestIssuer.shared().applicationToken(applicationOf(task), "tasks:read");
			this.http.get()
				.uri("/v1/tasks/{id}", taskId)
				.headers((headers) -> headers.setBearerAuth(owner))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.status")
				.isEqualTo("RUNNING")
				.jsonPath("$.result")
				.doesNotExist();
		}
		else {
			assertThat(notFoundBody(taskId, token)).isEqualTo(unknown);
		}
	}

	@Test
	void reportForAMalformedTaskIdIsNotFoundAsWell() {
		this.http.post().uri("/internal/v1/tasks/{id}/result", "tsk_nonsense").headers((headers) -> {
			headers.setBearerAuth(this.reporter);
			headers.set(TOKEN, "whatever");
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"statusCode\":201}")
			.exchange()
			.expectStatus()
			.isNotFound();
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"statusCode\":9999}", "{\"statusCode\":", "not json" })
	void reportWithoutATokenIsNotFoundWhateverItsBody(String body) throws Exception {
		String taskId = IdKind.TASK.format(insertTask(State.HANDED_OVER, "the-real-token"));
		this.http.post()
			.uri("/internal/v1/tasks/{id}/result", taskId)
			.headers((headers) -> headers.setBearerAuth(this.reporter))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	/**
	 * The report's update waits on a real row lock past the database timeout: the 503 it
	 * gets means the report was not stored, so the upstream's repeat is heard.
	 */
	@Test
	void reportAnswered503WasNotStoredAndItsRepeatIsHeard() throws Exception {
		UUID task = insertTask(State.HANDED_OVER, "the-token");
		String taskId = IdKind.TASK.format(task);
		try (Connection locker = ROWS.connect()) {
			locker.setAutoCommit(false);
			try (PreparedStatement lock = locker.prepareStatement("select 1 from tasks where id = ? for update")) {
				lock.setObject(1, task);
				lock.executeQuery().close();
			}
			WebTestClient patient = this.http.mutate().responseTimeout(Duration.ofSeconds(30)).build();
			long started = System.nanoTime();
			patient.post().uri("/internal/v1/tasks/{id}/result", taskId).headers((headers) -> {
				headers.setBearerAuth(this.reporter);
				headers.set(TOKEN, "the-token");
			})
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"statusCode\":201,\"body\":\"done\"}")
				.exchange()
				.expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.exists("Retry-After");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(7));
			locker.commit();
		}
		assertThat(resultStatus(task)).as("a report answered 503 is not stored").isNull();
		report(taskId, "the-token").expectStatus().isAccepted();
		assertThat(resultStatus(task)).isEqualTo(201);
	}

	/** The body of the 404, with the task id it names replaced, so bodies compare. */
	private String notFoundBody(String taskId, @Nullable String token) {
		EntityExchangeResult<byte[]> result = report(taskId, token).expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.returnResult();
		assertThat(result.getResponseHeaders().headerNames()).doesNotContain("Retry-After");
		return new String(result.getResponseBodyContent(), StandardCharsets.UTF_8).replace(taskId, "{task}");
	}

	private WebTestClient.ResponseSpec report(String taskId, @Nullable String token) {
		return this.http.post().uri("/internal/v1/tasks/{id}/result", taskId).headers((headers) -> {
			headers.setBearerAuth(this.reporter);
			if (token != null) {
				headers.set(TOKEN, token);
			}
		}).contentType(MediaType.APPLICATION_JSON).bodyValue("{\"statusCode\":201,\"body\":\"done\"}").exchange();
	}

	private static UUID insertTask(State state, String token) throws Exception {
		UUID id = IdKind.newUuid();
		ROWS.execute("""
				insert into tasks (id, application_id, route, method, path, request_headers, status, attempts,
				                   next_attempt_at, locked_by, lease_id, completion_deadline, result_status,
				                   completion_token_hash)
				values (?, ?, 'billing', 'POST', '/x', '{}', ?, 1,
				        case when ? then now() + interval '1 hour' end, ?, ?,
				        case when ? then now() + interval '1 hour' end, ?, ?)""", id, IdKind.newUuid(), state.status,
				state.status.equals("RUNNING") || state == State.ACCEPTED, state.leased ? "worker" : null,
				state.leased ? UUID.randomUUID() : null, state.handedOver, (state == State.SUCCEEDED) ? 200 : null,
				MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
		return id;
	}

	private static @Nullable Integer resultStatus(UUID task) throws Exception {
		return (Integer) column(task, "result_status");
	}

	private static UUID applicationOf(UUID task) throws Exception {
		return (UUID) column(task, "application_id");
	}

	private static boolean dueNow(UUID task) throws Exception {
		return (Boolean) column(task, "next_attempt_at <= now()");
	}

	private static @Nullable Object column(UUID task, String expression) {
		List<Map<String, @Nullable Object>> rows = ROWS
			.rows("select " + expression + " as value from tasks where id = ?", task);
		assertThat(rows).hasSize(1);
		return rows.get(0).get("value");
	}

}
