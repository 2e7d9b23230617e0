package io.hookway.gateway;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway on its own, without dispatcher or portal: tokens come from a test issuer
 * whose key is published where the portal publishes its own, so nothing executes the
 * tasks and their accepted state can be observed and cancelled.
 */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayServiceTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	static TestIssuer issuer;

	@LocalServerPort
	int port;

	WebTestClient http;

	UUID applicationId = IdKind.newUuid();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.routes.billing.upstream", () -> "http://127.0.0.1:9");
		registry.add("hookway.rate-limit.requests-per-second", () -> "10000");
		registry.add("hookway.gateway.list-page-bytes", () -> "100KB");
	}

	@BeforeEach
	void setUp() {
		issuer = TestIssuer.shared();
		this.http = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + this.port).build();
	}

	@Test
	void acceptedTaskIsCommittedWithTheCallAsSent() throws SQLException {
		String token = issuer.applicationToken(this.applicationId, "tasks:write", "tasks:read");
		Map<String, Object> accepted = this.http.patch()
			.uri("/api/billing/invoices/42?expand=lines&expand=tax")
			.headers((headers) -> {
				headers.setBearerAuth(token);
				headers.set("X-Tenant-Ref", "abc");
			})
			.contentType(MediaType.TEXT_PLAIN)
			.bodyValue("plain text body")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectHeader()
			.valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
		String taskId = (String) accepted.get("taskId");
		assertThat(accepted).containsEntry("statusUrl", "/v1/tasks/" + taskId).containsKey("createdAt");

		try (Connection connection = ROWS.connect();
				PreparedStatement select = connection.prepareStatement(
						"select method, path, query, request_body, request_headers::text, application_id, status "
								+ "from tasks where id = ?")) {
			select.setObject(1, IdKind.TASK.parse(taskId).orElseThrow());
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).isTrue();
				assertThat(row.getString("method")).isEqualTo("PATCH");
				assertThat(row.getString("path")).isEqualTo("/invoices/42");
				assertThat(row.getString("query")).isEqualTo("expand=lines&expand=tax");
				assertThat(new String(row.getBytes("request_body"))).isEqualTo("plain text body");
				assertThat(row.getString("request_headers")).contains("x-tenant-ref").doesNotContain("authorization");
				assertThat(row.getObject("application_id")).isEqualTo(this.applicationId);
				assertThat(row.getString("status")).isEqualTo("ACCEPTED");
			}
		}

		this.http.get()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.exists(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("ACCEPTED")
			.jsonPath("$.method")
			.isEqualTo("PATCH")
			.jsonPath("$.result")
			.doesNotExist();
	}

	@Test
	void concurrentCallsAreEachCommittedAndOneIdempotencyKeyMakesOneTask() throws SQLException {
		UUID application = IdKind.newUuid();
		String token = issuer.applicationToken(application, "tasks:write");
		WebClient client = WebClient.create("http://127.0.0.1:" + this.port);
		List<String> distinct = Flux.range(0, 200)
			.flatMap((i) -> client.post()
				.uri("/api/billing/charges/" + i)
				.headers((headers) -> headers.setBearerAuth(token))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"n\":" + i + "}")
				.retrieve()
				.bodyToMono(JSON)
				.map((body) -> (String) body.get("taskId")), 64)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(distinct).hasSize(200).doesNotHaveDuplicates();
		assertThat(ROWS.count("select count(*) from tasks where application_id = ?", application)).isEqualTo(200);

		String key = "pay-" + UUID.randomUUID();
		List<String> sameKey = Flux.range(0, 50)
			.flatMap((i) -> client.post().uri("/api/billing/charges").headers((headers) -> {
				headers.setBearerAuth(token);
				headers.set("Idempotency-Key", key);
			})
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"amount\":5}")
				.exchangeToMono((response) -> response.bodyToMono(JSON)
					.map((body) -> response.statusCode().value() + " " + body.get("taskId"))), 50)
			.collectList()
			.block(Duration.ofSeconds(60));
		assertThat(sameKey).hasSize(50);
		assertThat(sameKey.stream().filter((outcome) -> outcome.startsWith("202 ")).distinct())
			.as("every accepted answer names the same task")
			.hasSize(1);
		assertThat(sameKey).allSatisfy((outcome) -> assertThat(outcome).matches("(202 tsk_\\w+|409 null)"));
		assertThat(ROWS.count("select count(*) from tasks where application_id = ? and idempotency_key = ?",
				application, key))
			.isEqualTo(1);
	}

	@Test
	void percentEncodedRouteNameStillForwardsThePathAfterIt() throws SQLException {
		String token = issuer.applicationToken(this.applicationId, "tasks:write");
		String taskId = (String) this.http.post()
			.uri(URI.create("http://127.0.0.1:" + this.port + "/api/%62illing/invoices/a%20b"))
			.headers((headers) -> headers.setBearerAuth(token))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId");
		try (Connection connection = ROWS.connect();
				PreparedStatement select = connection.prepareStatement("select route, path from tasks where id = ?")) {
			select.setObject(1, IdKind.TASK.parse(taskId).orElseThrow());
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).isTrue();
				assertThat(row.getString("route")).isEqualTo("billing");
				assertThat(row.getString("path")).isEqualTo("/invoices/a%20b");
			}
		}
	}

	@Test
	void acceptedTaskCanBeCancelledOnceThenConflicts() {
		String token = issuer.applicationToken(this.applicationId, "tasks:write", "tasks:read");
		String taskId = submit(token);
		this.http.delete()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.doesNotExist(HttpHeaders.RETRY_AFTER)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("CANCELLED")
			.jsonPath("$.completedAt")
			.isNotEmpty();
		this.http.delete()
			.uri("/v1/tasks/{id}", taskId)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("task_not_cancellable");
	}

	@Test
	void listsTheApplicationsTasksNewestFirstPageByPage() {
		String token = issuer.applicationToken(IdKind.newUuid(), "tasks:write", "tasks:read");
		String first = submit(token);
		String second = submit(token);
		String third = submit(token);
		Map<String, Object> page = list(token, "/v1/tasks?limit=2");
		assertThat(taskIds(page)).containsExactly(third, second);
		Map<String, Object> next = list(token, "/v1/tasks?limit=2&cursor=" + page.get("nextCursor"));
		assertThat(taskIds(next)).containsExactly(first);
		assertThat(next.get("nextCursor")).isNull();
		this.http.get()
			.uri("/v1/tasks?limit=101")
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	/**
	 * Results are up to the upstream response limit each: a page stops before its result
	 * bytes pass the budget, and the cursor carries on from there, so nothing is skipped.
	 */
	@Test
	void listPagesAreCutByTheBytesOfTheirResultsAndTheCursorLeadsOn() throws SQLException {
		UUID application = IdKind.newUuid();
		String token = issuer.applicationToken(application, "tasks:read");
		String oldest = finishedTask(application, 10, 4);
		String large = finishedTask(application, 60_000, 3);
		String larger = finishedTask(application, 60_000, 2);
		String newest = finishedTask(application, 10, 1);
		Map<String, Object> page = list(token, "/v1/tasks?limit=100");
		assertThat(taskIds(page)).containsExactly(newest, larger);
		assertThat(page.get("nextCursor")).isNotNull();
		Map<String, Object> next = list(token, "/v1/tasks?limit=100&cursor=" + page.get("nextCursor"));
		assertThat(taskIds(next)).containsExactly(large, oldest);
		assertThat(next.get("nextCursor")).isNull();
	}

	private static String finishedTask(UUID application, int resultBytes, int minutesAgo) {
		UUID id = IdKind.newUuid();
		ROWS.execute("""
				insert into tasks (id, application_id, route, method, path, request_headers, status, attempts,
				                   result_status, result_headers, result_body, created_at, completed_at)
				values (?, ?, 'billing', 'POST', '/x', '{}', 'SUCCEEDED', 1, 200,
				        '{"content-type":"text/plain"}', ?, now() - make_interval(mins => ?), now())""", id,
				application, "r".repeat(resultBytes).getBytes(StandardCharsets.US_ASCII), minutesAgo);
		return IdKind.TASK.format(id);
	}

	@Test
	void listFiltersByStatusAndRouteAndShowsOnlyTheCallersTasks() {
		UUID application = IdKind.newUuid();
		String token = issuer.applicationToken(application, "tasks:write", "tasks:read");
		String cancelled = submit(token);
		String accepted = submit(token);
		this.http.delete()
			.uri("/v1/tasks/{id}", cancelled)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk();
		submit(issuer.applicationToken(IdKind.newUuid(), "tasks:write"));
		assertThat(taskIds(list(token, "/v1/tasks?status=CANCELLED"))).containsExactly(cancelled);
		assertThat(taskIds(list(token, "/v1/tasks?status=ACCEPTED&route=billing"))).containsExactly(accepted);
		assertThat(taskIds(list(token, "/v1/tasks?route=other"))).isEmpty();
		assertThat(taskIds(list(token, "/v1/tasks"))).containsExactly(accepted, cancelled);
	}

	@Test
	void missingScopeIsForbiddenAndBodyOverTheLimitIsRejected() throws Exception {
		String readOnly = issuer.applicationToken(this.applicationId, "tasks:read");
		this.http.post()
			.uri("/api/billing/x")
			.headers((headers) -> headers.setBearerAuth(readOnly))
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isForbidden()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
		String token = issuer.applicationToken(this.applicationId, "tasks:write");
		RawUpload.Outcome declaredTooLarge = RawUpload.post(this.port, "/api/billing/x", token, 1024 * 1024 + 1, false);
		assertThat(declaredTooLarge.statusLine()).startsWith("HTTP/1.1 413");
	}

	@Test
	void tokenWithTamperedSignatureIsRefused() {
		this.http.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(
					issuer.applicationToken(this.applicationId, "tasks:read").replaceFirst("\\.[^.]+$", ".AAAA")))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void gzipBodyIsStoredDecodedAndTheLimitAppliesToTheDecodedSize() throws Exception {
		String token = issuer.applicationToken(this.applicationId, "tasks:write", "tasks:read");
		byte[] json = "{\"order\":\"gzipped\"}".getBytes(StandardCharsets.UTF_8);
		String taskId = (String) this.http.post().uri("/api/billing/orders").headers((headers) -> {
			headers.setBearerAuth(token);
			headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
		})
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(gzip(json))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId");
		try (Connection connection = ROWS.connect();
				PreparedStatement select = connection
					.prepareStatement("select request_body, request_headers::text from tasks where id = ?")) {
			select.setObject(1, IdKind.TASK.parse(taskId).orElseThrow());
			try (ResultSet row = select.executeQuery()) {
				assertThat(row.next()).isTrue();
				assertThat(row.getBytes(1)).isEqualTo(json);
				assertThat(row.getString(2)).doesNotContain("content-encoding");
			}
		}
		// 64 MiB of zeros compress to about 64 KiB: well under the limit on the wire, far
		// over it decoded
		byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
		assertThat(bomb.length).isLessThan(1024 * 1024);
		this.http.post().uri("/api/billing/orders").headers((headers) -> {
			headers.setBearerAuth(token);
			headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
		})
			.bodyValue(bomb)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectBody()
			.jsonPath("$.code")
			.isEqualTo("body_too_large");
		this.http.post().uri("/api/billing/orders").headers((headers) -> {
			headers.setBearerAuth(token);
			headers.set(HttpHeaders.CONTENT_ENCODING, "br");
		})
			.bodyValue(json)
			.exchange()
			.expectStatus()
			.isEqualTo(415)
			.expectHeader()
			.valueEquals(HttpHeaders.ACCEPT_ENCODING, "gzip");
		this.http.post().uri("/api/billing/orders").headers((headers) -> {
			headers.setBearerAuth(token);
			headers.set(HttpHeaders.CONTENT_ENCODING, "gzip");
		}).bodyValue(json).exchange().expectStatus().isBadRequest();
	}

	@Test
	void gigabyteStreamedWithoutLengthIsRefusedAtTheLimitWithoutBeingRead() throws Exception {
		String token = issuer.applicationToken(this.applicationId, "tasks:write");
		long gigabyte = 1024L * 1024 * 1024;
		RawUpload.Outcome outcome = RawUpload.post(this.port, "/api/billing/uploads", token, gigabyte, true);
		assertThat(outcome.statusLine()).startsWith("HTTP/1.1 413");
		assertThat(outcome.bytesSent()).as("the server stopped reading long before the end").isLessThan(gigabyte / 4);
	}

	@Test
	void responsesAreCompressedWhenTheClientAsks() throws Exception {
		String token = issuer.applicationToken(IdKind.newUuid(), "tasks:write", "tasks:read");
		for (int i = 0; i < 12; i++) {
			submit(token);
		}
		// a client that does not decompress on its own, to see the encoding on the wire
		HttpResponse<byte[]> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/v1/tasks"))
				.header("Authorization", "Bearer " + token)
				.header("Accept-Encoding", "gzip")
				.build(), HttpResponse.BodyHandlers.ofByteArray());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Encoding")).contains("gzip");
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
			assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("{\"data\":[");
		}
	}

	private static byte[] gzip(byte[] plain) throws java.io.IOException {
		java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
		try (java.util.zip.GZIPOutputStream gzip = new java.util.zip.GZIPOutputStream(out)) {
			gzip.write(plain);
		}
		return out.toByteArray();
	}

	private String submit(String token) {
		return (String) this.http.post()
			.uri("/api/billing/charges")
			.headers((headers) -> headers.setBearerAuth(token))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody()
			.get("taskId");
	}

	@SuppressWarnings("unchecked")
	private static List<Object> taskIds(Map<String, Object> page) {
		return ((List<Map<String, Object>>) page.get("data")).stream().map((task) -> task.get("taskId")).toList();
	}

	private Map<String, Object> list(String token, String uri) {
		return this.http.get()
			.uri(uri)
			.headers((headers) -> headers.setBearerAuth(token))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

}
