package io.hookway.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.core.type.TypeReference;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.test.RawHttp;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.core.test.TestRows;
import io.hookway.core.test.WebhookRows;
import io.hookway.core.webhook.WebhookSecret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and attacks against a running platform with its development switches off (no
 * plain http, no internal webhook targets). Each is answered with the expected 4xx as
 * problem+json, never a 5xx, changes nothing in the database and gives nothing away: no
 * stack trace, class name, SQL, secret or token in the answer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttackBatteryTest {

	private static final String TABLE_SIZES = "select (select count(*) from tasks), "
			+ "(select count(*) from applications), (select count(*) from webhook_endpoints), "
			+ "(select count(*) from webhook_messages), (select count(*) from webhook_deliveries)";

	private static final List<String> LEAKS = List.of("Exception", "\tat ", "at java.", "io.hookway.",
			"org.springframework", "reactor.", "tools.jackson", "com.fasterxml", "java.lang", "SQL", "select ",
			"insert into", "whsec_", "r2dbc", "postgres");

	/** The published development key, which the platform uses when none is configured. */
	private static final String DEVELOPMENT_KEY = "aG9va3dheS1kZXZlbG9wbWVudC1rZXktMzItYnl0ZXM=";

	private final FaultyServer upstream = FaultyServer.start();

	/** Where an endpoint aimed at an internal address would land if it were reached. */
	private final FaultyServer internalTarget = FaultyServer.start();

	private String database;

	private TestRows rows;

	private HookwayProcess standalone;

	private Portal portal;

	private TestIssuer issuer;

	private Portal.Tenant alice;

	private Portal.Tenant mallory;

	private String disabledToken;

	private String aliceTask;

	private String aliceEndpoint;

	private String aliceDelivery;

	@BeforeAll
	void startPlatform() throws Exception {
		this.upstream.script((request) -> FaultyServer.Reply.json(200, "{\"ok\":true}"));
		this.database = TestDatabase.fresh("rel_attacks");
		this.rows = TestRows.of(this.database);
		List<String> arguments = new ArrayList<>(List.of("--hookway.database.url=" + this.database,
				"--hookway.routes.attack.upstream=" + this.upstream.baseUrl(), "--hookway.webhooks.timeout=1s",
				"--hookway.dispatcher.poll-interval=200ms", "--logging.level.root=WARN"));
		arguments.addAll(Portal.OPERATOR_ARGUMENTS);
		this.standalone = HookwayProcess.standalone("attacks", arguments).start().awaitReady();
		this.portal = new Portal(this.standalone.baseUrl());
		this.issuer = TestIssuer.publish(TestDatabase.jdbcUrl(this.database));
		this.alice = this.portal.newTenant("alice");
		this.mallory = this.portal.newTenant("mallory");

		// registered while it resolved to a public address, now resolving to loopback
		// (DNS rebinding): the portal would refuse it today, so it goes in directly
		UUID endpoint = new WebhookRows(this.rows, new SecretCipher(Base64.getDecoder().decode(DEVELOPMENT_KEY)))
			.endpoint(uuid(this.alice.applicationId()), "https://localhost:" + this.internalTarget.port() + "/hook",
					WebhookSecret.generate(), "task.succeeded", "task.failed");
		this.aliceEndpoint = IdKind.ENDPOINT.format(endpoint);
		RawHttp.Response accepted = RawHttp.request("POST", "/api/attack/orders")
			.bearer(this.alice.token())
			.json("{}")
			.send(this.standalone.port());
		assertThat(accepted.status()).isEqualTo(202);
		this.aliceTask = Portal.json.readValue(accepted.body(), new TypeReference<Map<String, Object>>() {
		}).get("taskId").toString();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> this.rows.count("select count(*) from delivery_attempts") > 0);
		this.aliceDelivery = IdKind.DELIVERY
			.format(UUID.fromString(this.rows.single("select id::text from webhook_deliveries limit 1")));

		// a token the platform accepts, from the key the battery forges with: proves the
		// refusals below are about the claims, not an unknown key
		RawHttp.Response control = RawHttp.request("POST", "/api/attack/control")
			.bearer(this.issuer.tokenWithClaims(Map.of("app_id", this.alice.applicationId()), "tasks:write"))
			.json("{}")
			.send(this.standalone.port());
		assertThat(control.status()).isEqualTo(202);

		Portal.Tenant disabled = this.portal.newTenant("disabled");
		this.disabledToken = disabled.token();
		this.portal.delete(this.portal.operatorToken(), "/v1/applications/" + disabled.applicationId());
		await().atMost(Duration.ofSeconds(30))
			.until(() -> RawHttp.request("GET", "/v1/tasks")
				.bearer(this.disabledToken)
				.send(this.standalone.port())
				.status() == 401);
	}

	@AfterAll
	void stopPlatform() {
		this.standalone.close();
		this.upstream.close();
		this.internalTarget.close();
		TestDatabase.drop(this.database);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("attacks")
	void attackIsRefusedWithAProblemChangesNothingAndLeaksNothing(String name, RawHttp request, int expected) {
		List<Long> before = tableSizes();
		RawHttp.Response response = request.send(this.standalone.port());
		assertThat(response.status()).as("status of %s: %s", name, response.body()).isEqualTo(expected);
		assertThat(response.header("content-type")).as("content type").startsWith("application/problem+json");
		Map<String, Object> problem = Portal.json.readValue(response.body(), new TypeReference<>() {
		});
		assertThat(problem).containsEntry("status", expected).containsKeys("type", "title", "detail", "instance");
		if (expected == 401) {
			assertThat(response.header("www-authenticate")).startsWith("Bearer");
		}
		assertThat(response.body()).as("leaks nothing").doesNotContain(LEAKS);
		assertThat(response.body()).doesNotContain(this.alice.clientSecret(), this.alice.token(),
				this.mallory.clientSecret(), this.mallory.token());
		assertThat(tableSizes()).as("database unchanged").isEqualTo(before);
	}

	/**
	 * Requests that are not HTTP at all are refused by the HTTP parser before any
	 * application code runs: a 400 problem+json that echoes nothing of the request, and a
	 * closed connection.
	 */
	@ParameterizedTest(name = "{0}")
	@MethodSource("malformedHttp")
	void malformedHttpIsRefusedByTheParserAndChangesNothing(String name, RawHttp request) {
		List<Long> before = tableSizes();
		RawHttp.Response response = request.send(this.standalone.port());
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.header("content-type")).isEqualTo("application/problem+json");
		assertThat(response.body()).contains("\"status\":400").contains("\"code\":\"malformed_request\"");
		assertThat(response.header("connection")).isEqualTo("close");
		assertThat(tableSizes()).isEqualTo(before);
	}

	Stream<Arguments> malformedHttp() {
		String alice = this.alice.token();
		return Stream.of(
				Arguments.of("header with a bare carriage return (CRLF injection)",
						call().bearer(alice).header("X-Note", "a\rSet-Cookie: b")),
				Arguments.of("header with a control character", call().bearer(alice).header("X-Note", "a\u0001b")),
				Arguments.of("header with DEL", call().bearer(alice).header("X-Note", "a\u007fb")),
				Arguments.of("raw backslashes in the path",
						RawHttp.request("POST", "/api/attack/a\\..\\b").bearer(alice).json("{}")),
				Arguments.of("space in a header name", call().bearer(alice).header("X Note", "a")));
	}

	@Test
	void webhookAimedAtAnInternalAddressAfterRegistrationIsRefusedWhenConnecting() {
		assertThat(this.rows
			.count("select count(*) from delivery_attempts where status_code is null and error is not null"))
			.isPositive();
		assertThat(this.rows.single("select status from tasks where id = '" + uuid(this.aliceTask) + "'"))
			.isEqualTo("SUCCEEDED");
		assertThat(this.internalTarget.connections()).as("connections to the internal address").isZero();
	}

	Stream<Arguments> attacks() throws IOException {
		String alice = this.alice.token();
		String mallory = this.mallory.token();
		String operator = this.portal.operatorToken();
		String readOnly = this.portal.token(this.alice.clientId(), this.alice.clientSecret(), "tasks:read");
		String app = this.alice.applicationId();
		Instant now = Instant.now();
		List<Arguments> attacks = new ArrayList<>();

		// tokens
		attacks.add(attack("no token", call(), 401));
		attacks.add(attack("empty bearer", call().header("Authorization", "Bearer "), 401));
		attacks.add(attack("not a JWT", call().bearer("abc.def.ghi"), 401));
		attacks.add(attack("alg none", call().bearer(unsigned(app)), 401));
		attacks.add(attack("signed by an unknown key",
				call().bearer(TestIssuer.external("http://localhost:8080").token("cli_x", app, "tasks:write")), 401));
		attacks
			.add(attack("expired",
					call().bearer(this.issuer.tokenWithClaims(Map.of("app_id", app, "iat",
							now.minus(Duration.ofHours(2)), "exp", now.minus(Duration.ofHours(1))), "tasks:write")),
					401));
		attacks.add(attack(
				"not yet valid", call().bearer(this.issuer
					.tokenWithClaims(Map.of("app_id", app, "nbf", now.plus(Duration.ofHours(1))), "tasks:write")),
				401));
		attacks.add(attack("wrong issuer", call()
			.bearer(this.issuer.tokenWithClaims(Map.of("app_id", app, "iss", "https://evil.example"), "tasks:write")),
				401));
		attacks.add(attack("wrong audience",
				call()
					.bearer(this.issuer.tokenWithClaims(Map.of("app_id", app, "aud", List.of("other")), "tasks:write")),
				401));
		attacks.add(attack("missing scope", call().bearer(readOnly), 403));
		attacks.add(attack("disabled application", call().bearer(this.disabledToken), 401));
		attacks.add(attack("application token on the operator API",
				RawHttp.request("GET", "/v1/applications/" + app).bearer(alice), 403));

		// bodies
		attacks.add(attack("declared body over the limit",
				call().bearer(alice).header("Content-Length", "2000000").withoutLength(), 413));
		attacks
			.add(attack("streamed body over the limit", call().bearer(alice).body(new byte[1_200_000]).chunked(), 413));
		attacks.add(attack("gzip bomb",
				call().bearer(alice).header("Content-Encoding", "gzip").body(gzip(new byte[50 * 1024 * 1024])), 413));
		attacks.add(attack("not gzip though declared",
				call().bearer(alice).header("Content-Encoding", "gzip").body("plain".getBytes()), 400));
		attacks
			.add(attack("unsupported encoding", call().bearer(alice).header("Content-Encoding", "br").json("{}"), 415));
		attacks.add(attack("portal body over 64 KiB",
				RawHttp.request("POST", "/v1/applications")
					.bearer(operator)
					.json("{\"name\":\"" + "x".repeat(100_000) + "\"}"),
				413));
		attacks.add(attack("malformed JSON", endpoints(alice).json("{\"url\":"), 400));
		attacks.add(attack("deeply nested JSON array", endpoints(alice).json("[".repeat(30_000)), 400));
		attacks.add(attack("deeply nested unknown field",
				endpoints(alice).json("{\"x\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"), 400));
		attacks.add(attack("deeply nested value of a known field",
				endpoints(alice).json("{\"url\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}"), 422));
		attacks.add(attack("JSON of the wrong shape", endpoints(alice).json("{\"url\":5,\"eventTypes\":\"x\"}"), 422));
		attacks.add(attack("text instead of JSON",
				endpoints(alice).header("Content-Type", "text/plain").body("url=https://example.com".getBytes()), 415));
		attacks.add(attack("XML instead of JSON",
				RawHttp.request("POST", "/v1/applications")
					.bearer(operator)
					.header("Content-Type", "application/xml")
					.body("<name>x</name>".getBytes()),
				415));
		attacks.add(attack("result report that is not JSON",
				RawHttp.request("POST", "/internal/v1/tasks/" + this.aliceTask + "/result").bearer(alice).json("{"),
				403));

		// Idempotency-Key
		attacks.add(attack("Idempotency-Key too long", call().bearer(alice).header("Idempotency-Key", "k".repeat(256)),
				400));
		attacks.add(attack("Idempotency-Key empty", call().bearer(alice).header("Idempotency-Key", ""), 400));
		attacks.add(attack("Idempotency-Key with a space", call().bearer(alice).header("Idempotency-Key", "a b"), 400));
		attacks.add(attack("Idempotency-Key not ASCII", call().bearer(alice).header("Idempotency-Key", "clé"), 400));
		attacks.add(attack("Idempotency-Key twice",
				call().bearer(alice).header("Idempotency-Key", "a").header("Idempotency-Key", "b"), 400));

		// paths and headers
		for (String path : List.of("/api/attack/..%2f..%2fv1%2fapplications", "/api/attack/../../v1/applications",
				"/api/attack/%2e%2e/%2e%2e/v1/applications", "/api/attack/a%00b", "/api/attack/x%0d%0aSet-Cookie:a=b",
				"/api/attack;jsessionid=1/x", "/api/attack//x", "/api/attack/%5c..%5cb", "/api/attack/%252e%252e/x")) {
			attacks.add(attack("path " + path, RawHttp.request("POST", path).bearer(alice).json("{}"), 400));
		}

		// another application's resources
		String task = this.aliceTask;
		String endpoint = this.aliceEndpoint;
		String delivery = this.aliceDelivery;
		attacks.add(attack("another's task", RawHttp.request("GET", "/v1/tasks/" + task).bearer(mallory), 404));
		attacks
			.add(attack("cancel another's task", RawHttp.request("DELETE", "/v1/tasks/" + task).bearer(mallory), 404));
		attacks
			.add(attack("malformed task id", RawHttp.request("GET", "/v1/tasks/tsk_'or'1'='1").bearer(mallory), 404));
		attacks.add(attack("another's endpoint",
				RawHttp.request("GET", "/v1/webhook-endpoints/" + endpoint).bearer(mallory), 404));
		attacks.add(attack("another's endpoint secret",
				RawHttp.request("GET", "/v1/webhook-endpoints/" + endpoint + "/secret").bearer(mallory), 404));
		attacks.add(attack("edit another's endpoint",
				RawHttp.request("PATCH", "/v1/webhook-endpoints/" + endpoint)
					.bearer(mallory)
					.json("{\"enabled\":false}"),
				404));
		attacks.add(attack("delete another's endpoint",
				RawHttp.request("DELETE", "/v1/webhook-endpoints/" + endpoint).bearer(mallory), 404));
		attacks.add(attack("rotate another's secret",
				RawHttp.request("POST", "/v1/webhook-endpoints/" + endpoint + "/rotate-secret").bearer(mallory), 404));
		attacks.add(attack("test event to another's endpoint",
				RawHttp.request("POST", "/v1/webhook-endpoints/" + endpoint + "/test").bearer(mallory), 404));
		attacks.add(attack("another's deliveries",
				RawHttp.request("GET", "/v1/webhook-endpoints/" + endpoint + "/deliveries").bearer(mallory), 404));
		attacks.add(attack("another's delivery", RawHttp.request("GET", "/v1/deliveries/" + delivery).bearer(mallory),
				404));
		attacks.add(attack("retry another's delivery",
				RawHttp.request("POST", "/v1/deliveries/" + delivery + "/retry").bearer(mallory), 404));

		// webhook URLs aimed inside
		for (String url : List.of("https://127.0.0.1/hook", "https://127.1/hook", "https://localhost/hook",
				"https://LOCALHOST./hook", "https://0.0.0.0/hook", "https://0/hook", "https://10.1.2.3/hook",
				"https://172.16.5.4/hook", "https://192.168.0.10/hook", "https://100.64.0.1/hook",
				"https://169.254.169.254/latest/meta-data/", "https://metadata.google.internal/computeMetadata/v1/",
				"https://[::1]/hook", "https://[::]/hook", "https://[::ffff:127.0.0.1]/hook",
				"https://[::ffff:7f00:1]/hook", "https://[::ffff:169.254.169.254]/hook", "https://[fd00::1]/hook",
				"https://[fe80::1]/hook", "https://[64:ff9b::a9fe:a9fe]/hook", "https://2130706433/hook",
				"https://0x7f000001/hook", "https://0x7f.0.0.1/hook", "https://0177.0.0.1/hook",
				"https://017700000001/hook", "https://127.000.000.001/hook", "http://93.184.215.14/hook",
				"https://user:pass@93.184.215.14/hook", "file:///etc/passwd", "gopher://127.0.0.1:6379/_x")) {
			attacks.add(attack("webhook URL " + url,
					endpoints(alice).json("{\"url\":\"" + url + "\",\"eventTypes\":[\"task.succeeded\"]}"), 422));
		}
		attacks.add(attack("moving an endpoint to an internal address",
				RawHttp.request("PATCH", "/v1/webhook-endpoints/" + endpoint)
					.bearer(alice)
					.json("{\"url\":\"https://169.254.169.254/latest/meta-data/\"}"),
				422));
		return attacks.stream();
	}

	private static Arguments attack(String name, RawHttp request, int expected) {
		return Arguments.of(name, request, expected);
	}

	private static RawHttp call() {
		return RawHttp.request("POST", "/api/attack/orders").json("{\"order\":1}");
	}

	private static RawHttp endpoints(String token) {
		return RawHttp.request("POST", "/v1/webhook-endpoints").bearer(token);
	}

	/** A token that says it needs no signature, with otherwise perfect claims. */
	private static String unsigned(String application) {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		long now = Instant.now().getEpochSecond();
		String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String claims = base64.encodeToString(
				("{\"iss\":\"http://localhost:8080\",\"sub\":\"cli_x\",\"aud\":\"hookway\"," + "\"iat\":" + now
						+ ",\"exp\":" + (now + 600) + ",\"scope\":\"tasks:write\",\"app_id\":\"" + application + "\"}")
					.getBytes(StandardCharsets.UTF_8));
		return header + "." + claims + ".";
	}

	private static byte[] gzip(byte[] data) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(data);
		}
		return bytes.toByteArray();
	}

	private List<Long> tableSizes() {
		return this.rows.rows(TABLE_SIZES).get(0).values().stream().map((size) -> (Long) size).toList();
	}

	private static UUID uuid(String publicId) {
		return Stream.of(IdKind.values())
			.map((kind) -> kind.parse(publicId))
			.flatMap(java.util.Optional::stream)
			.findFirst()
			.orElseThrow();
	}

}
