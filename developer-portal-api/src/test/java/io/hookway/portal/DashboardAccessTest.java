package io.hookway.portal;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dashboard access over plain HTTP (API.md §11): the link calls, the one-time exchange,
 * the cookie, CSRF, sign-out, isolation between applications and sessions that outlive
 * the process; and the statuses the deliveries page filters by. The browser tests cover
 * the same through the pages.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardAccessTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	static final String OPERATOR_SECRET = "dashboard-operator-secret-0123456789";

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	@LocalServerPort
	int port;

	PlatformClient portal;

	String operator;

	/** The application of the last {@link #session(String)}. */
	String applicationId;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "dashboard-operator");
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.dashboard.base-url", () -> "https://portal.example.test/");
		LoopbackReceivers.allow(registry);
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.operator = this.portal.token("dashboard-operator", OPERATOR_SECRET);
	}

	@Test
	void operatorAndApplicationMakeLinksToThePortalsPublicAddress() {
		Map<String, Object> application = this.portal.createApplication(this.operator, "links");
		Map<String, Object> byOperator = link("/v1/applications/" + application.get("id") + "/dashboard-links",
				this.operator)
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		assertThat((String) byOperator.get("url"))
			.matches("https://portal\\.example\\.test/dashboard/login#[\\w-]{43}");
		assertThat(byOperator).containsKey("expiresAt");
		String token = this.portal.token((String) application.get("clientId"),
				(String) application.get("clientSecret"));
		assertThat((String) link("/v1/dashboard-links", token).expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("url")).startsWith("https://portal.example.test/dashboard/login#");
		link("/v1/applications/app_0000000000000000000000000a/dashboard-links", this.operator).expectStatus()
			.isNotFound()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		link("/v1/applications/" + application.get("id") + "/dashboard-links", token).expectStatus().isForbidden();
		link("/v1/dashboard-links", this.operator).expectStatus().isForbidden();
	}

	@Test
	void aLinkOpensOneSessionOnceAndNotAfterItExpires() {
		Map<String, Object> application = this.portal.createApplication(this.operator, "once");
		String secret = secret((String) application.get("id"));
		ResponseCookie cookie = open(secret).expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("hookway_dashboard");
		assertThat(cookie).isNotNull();
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(cookie.isSecure()).isTrue();
		assertThat(cookie.getSameSite()).isEqualTo("Lax");
		assertThat(cookie.getPath()).isEqualTo("/dashboard");
		assertThat(cookie.getMaxAge().toHours()).isEqualTo(8);
		open(secret).expectStatus().isForbidden();
		String expiring = secret((String) application.get("id"));
		ROWS.execute("update dashboard_links set expires_at = now() - interval '1 second' where used_at is null");
		open(expiring).expectStatus().isForbidden();
		open("not-a-secret").expectStatus().isForbidden();
		assertThat(ROWS.count("select count(*) from dashboard_sessions where token_hash = sha256(convert_to('"
				+ cookie.getValue() + "', 'UTF8'))"))
			.isOne();
		assertThat(ROWS.count("select count(*) from dashboard_links where secret_hash = sha256(convert_to('" + secret
				+ "', 'UTF8'))"))
			.isOne();
		assertThat(ROWS.count("select count(*) from dashboard_sessions where token_hash = convert_to('"
				+ cookie.getValue() + "', 'UTF8')"))
			.as("only the hash is stored")
			.isZero();
	}

	@Test
	void pagesNeedTheSessionAndCarryStrictHeaders() {
		String session = session("headers");
		this.portal.http()
			.get()
			.uri("/dashboard/endpoints")
			.cookie("hookway_dashboard", session)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith(MediaType.TEXT_HTML)
			.expectHeader()
			.valueEquals("Content-Security-Policy",
					"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
							+ "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
			.expectHeader()
			.valueEquals("X-Content-Type-Options", "nosniff")
			.expectHeader()
			.valueEquals("Referrer-Policy", "no-referrer")
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("No endpoints yet").doesNotContain("<script>"));
		this.portal.http()
			.get()
			.uri("/dashboard/endpoints")
			.exchange()
			.expectStatus()
			.is3xxRedirection()
			.expectHeader()
			.location("/dashboard/signed-out");
		this.portal.http()
			.get()
			.uri("/dashboard/endpoints")
			.cookie("hookway_dashboard", "x".repeat(43))
			.exchange()
			.expectStatus()
			.is3xxRedirection();
	}

	@Test
	void theDeliveriesFilterOffersEveryDeliveryStatus() {
		String session = session("statuses");
		this.portal.http()
			.get()
			.uri("/dashboard/deliveries?status=FAILED")
			.cookie("hookway_dashboard", session)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.value((body) -> assertThat(body).contains("<option value=\"PENDING\">Pending</option>",
					"<option value=\"SUCCEEDED\">Succeeded</option>",
					"<option value=\"FAILED\" selected=\"selected\">Failed</option>"));
	}

	@Test
	void aChangeWithoutTheCsrfTokenIsRefusedAndChangesNothing() {
		String session = session("csrf");
		String form = "url=http%3A%2F%2F127.0.0.1%3A9%2Fhook&eventTypes=*&description=&headers=&rateLimit=";
		post("/dashboard/endpoints", session, form).expectStatus().isForbidden();
		post("/dashboard/endpoints", session, form + "&_csrf=forged").expectStatus().isForbidden();
		String endpoints = "select count(*) from webhook_endpoints where application_id = '"
				+ IdKind.APPLICATION.parse(this.applicationId).orElseThrow() + "'";
		assertThat(ROWS.count(endpoints)).isZero();
		post("/dashboard/endpoints", session, form + "&_csrf=" + csrf(session)).expectStatus().is3xxRedirection();
		assertThat(ROWS.count(endpoints)).isOne();
	}

	@Test
	void aSessionSeesNothingOfAnotherApplication() {
		Map<String, Object> other = this.portal.createApplication(this.operator, "other");
		String otherToken = this.portal.token((String) other.get("clientId"), (String) other.get("clientSecret"));
		Map<String, Object> endpoint = this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(otherToken))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "http://127.0.0.1:9/secret-of-other", "eventTypes", new String[] { "*" }))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		String message = (String) this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints/" + endpoint.get("id") + "/test")
			.headers((headers) -> headers.setBearerAuth(otherToken))
			.exchange()
			.expectStatus()
			.isAccepted()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("messageId");
		String session = session("mine");
		for (String path : new String[] { "/dashboard/endpoints/" + endpoint.get("id"),
				"/dashboard/endpoints/" + endpoint.get("id") + "/edit",
				"/dashboard/endpoints/" + endpoint.get("id") + "/secret", "/dashboard/messages/" + message,
				"/dashboard/deliveries?endpoint=" + endpoint.get("id") }) {
			this.portal.http()
				.get()
				.uri(path)
				.cookie("hookway_dashboard", session)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectBody(String.class)
				.value((body) -> assertThat(body).doesNotContain("secret-of-other").doesNotContain("whsec_"));
		}
		post("/dashboard/endpoints/" + endpoint.get("id") + "/rotate-secret", session, "_csrf=" + csrf(session))
			.expectStatus()
			.isNotFound();
	}

	@Test
	void signingOutEndsTheSession() {
		String session = session("sign-out");
		post("/dashboard/sign-out", session, "_csrf=" + csrf(session)).expectStatus()
			.isSeeOther()
			.expectHeader()
			.location("/dashboard/signed-out")
			.expectCookie()
			.maxAge("hookway_dashboard", java.time.Duration.ZERO);
		this.portal.http()
			.get()
			.uri("/dashboard/endpoints")
			.cookie("hookway_dashboard", session)
			.exchange()
			.expectStatus()
			.is3xxRedirection()
			.expectHeader()
			.location("/dashboard/signed-out");
		assertThat(ROWS.count("select count(*) from dashboard_sessions where token_hash = sha256(convert_to('" + session
				+ "', 'UTF8'))"))
			.isZero();
	}

	@Test
	void aSessionOutlivesThePortalThatOpenedIt() {
		String session = session("restart");
		try (ConfigurableApplicationContext second = new SpringApplicationBuilder(PortalApplication.class)
			.properties("server.port=0", "hookway.database.url=" + TestDatabase.url(),
					"hookway.secrets.allow-development-key=true")
			.run()) {
			int port = ((WebServerApplicationContext) second).getWebServer().getPort();
			// the first page of a fresh process compiles its templates: more than the
			// default 5 s on a loaded machine
			WebTestClient.bindToServer()
				.baseUrl("http://127.0.0.1:" + port)
				.responseTimeout(Duration.ofSeconds(30))
				.build()
				.get()
				.uri("/dashboard/endpoints")
				.cookie("hookway_dashboard", session)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(String.class)
				.value((body) -> assertThat(body).contains("restart"));
		}
	}

	private WebTestClient.ResponseSpec link(String path, String token) {
		return this.portal.http().post().uri(path).headers((headers) -> headers.setBearerAuth(token)).exchange();
	}

	private String secret(String applicationId) {
		String url = (String) link("/v1/applications/" + applicationId + "/dashboard-links", this.operator)
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("url");
		return url.substring(url.indexOf('#') + 1);
	}

	private WebTestClient.ResponseSpec open(String secret) {
		return this.portal.http()
			.post()
			.uri("/dashboard/session")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("secret", secret))
			.exchange();
	}

	/** A signed-in session of a new application of that name: its cookie value. */
	private String session(String name) {
		Map<String, Object> application = this.portal.createApplication(this.operator, name);
		this.applicationId = (String) application.get("id");
		return open(secret((String) application.get("id"))).expectStatus()
			.isNoContent()
			.returnResult(Void.class)
			.getResponseCookies()
			.getFirst("hookway_dashboard")
			.getValue();
	}

	private String csrf(String session) {
		String page = this.portal.http()
			.get()
			.uri("/dashboard/endpoints")
			.cookie("hookway_dashboard", session)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		Matcher matcher = CSRF.matcher(page);
		assertThat(matcher.find()).as("a CSRF field in the page").isTrue();
		return matcher.group(1);
	}

	private WebTestClient.ResponseSpec post(String path, String session, String form) {
		return this.portal.http()
			.post()
			.uri(path)
			.cookie("hookway_dashboard", session)
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.header(HttpHeaders.ACCEPT, MediaType.TEXT_HTML_VALUE)
			.bodyValue(form)
			.exchange();
	}

}
