package io.hookway.portal;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.Browser;
import io.hookway.core.test.LoopbackReceivers;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestRows;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in Debian's Chromium: each page is opened as a developer would, checked
 * with axe-core and saved as a screenshot under {@code target/dashboard-screenshots}.
 * Deliveries being sent is the dispatcher's part: the standalone module's browser test
 * follows one to its success.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DashboardBrowserTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	static final String OPERATOR_SECRET = "browser-operator-secret-0123456789";

	@LocalServerPort
	int port;

	PlatformClient portal;

	String operator;

	Browser browser;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "browser-operator");
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		LoopbackReceivers.allow(registry);
	}

	@BeforeAll
	static void chromium() {
		Browser.assumeInstalled();
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		this.operator = this.portal.token("browser-operator", OPERATOR_SECRET);
		this.browser = new Browser("http://127.0.0.1:" + this.port);
	}

	@AfterEach
	void tearDown() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void aDeveloperOpensTheLinkAndManagesAnEndpoint() {
		Map<String, Object> application = this.portal.createApplication(this.operator, "acme-shop");
		this.browser.open(link((String) application.get("id")));
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/endpoints"));
		assertThat(this.browser.driver().getCurrentUrl()).as("the secret is gone from the address bar")
			.doesNotContain("#");
		assertThat(this.browser.find(By.id("application-name")).getText()).isEqualTo("acme-shop");
		assertThat(this.browser.find(By.id("no-endpoints")).getText()).contains("No endpoints yet");
		this.browser.check("endpoints-empty");

		this.browser.find(By.id("new-endpoint")).click();
		fill("url", "http://127.0.0.1:9/hooks");
		fill("eventTypes", "*");
		fill("headers", "Content-Type: text/plain");
		this.browser.find(By.id("save")).click();
		assertThat(this.browser.find(By.id("headers-error")).getText()).contains("Content-Type");
		fill("eventTypes", "no.such.type");
		fill("headers", "");
		this.browser.find(By.id("save")).click();
		assertThat(this.browser.find(By.id("eventTypes-error")).getText()).isNotBlank();
		assertThat(this.browser.find(By.id("eventTypes")).getAttribute("aria-invalid")).isEqualTo("true");
		assertThat(this.browser.find(By.id("url")).getAttribute("value")).as("what was typed is kept")
			.isEqualTo("http://127.0.0.1:9/hooks");
		this.browser.check("endpoint-form-errors");

		fill("eventTypes", "task.succeeded, webhook.test");
		fill("headers", "X-Api-Key: 123");
		fill("rateLimit", "5");
		fill("description", "Orders service");
		this.browser.find(By.id("save")).click();
		this.browser.until((driver) -> this.browser.path().endsWith("?created"));
		assertThat(this.browser.find(By.id("endpoint-url")).getText()).isEqualTo("http://127.0.0.1:9/hooks");
		assertThat(this.browser.driver().getPageSource()).contains("The endpoint was added")
			.doesNotContain("Your changes were saved");
		assertThat(this.browser.driver().getPageSource()).contains("X-Api-Key: 123").contains("5 deliveries a second");
		this.browser.find(By.id("reveal-secret")).click();
		assertThat(this.browser.find(By.id("secret-value")).getAttribute("value")).startsWith("whsec_");
		this.browser.find(By.id("send-test")).click();
		assertThat(this.browser.find(By.id("test-sent")).getText()).contains("A test event was sent");
		this.browser.check("endpoint");

		this.browser.find(By.id("edit")).click();
		this.browser.until((driver) -> this.browser.path().endsWith("/edit"));
		this.browser.check("endpoint-edit");
		fill("rateLimit", "");
		this.browser.find(By.id("save")).click();
		this.browser.until((driver) -> this.browser.path().endsWith("?saved"));
		assertThat(this.browser.find(By.tagName("dl")).getText()).contains("Rate limit\nNone");
		this.browser.find(By.id("toggle-enabled")).click();
		this.browser.until((driver) -> this.browser.find(By.id("endpoint-state")).getText().equals("Disabled"));
		assertThat(this.browser.find(By.id("disabled-reason")).getText()).contains("Nothing is sent to it");
		this.browser.find(By.id("toggle-enabled")).click();
		this.browser.until((driver) -> this.browser.find(By.id("endpoint-state")).getText().equals("Enabled"));

		this.browser.open("/dashboard/endpoints");
		assertThat(this.browser.find(By.cssSelector("tbody")).getText()).contains("http://127.0.0.1:9/hooks");
		this.browser.check("endpoints");

		this.browser.find(By.linkText("Deliveries")).click();
		WebElement row = this.browser.find(By.cssSelector("#delivery-table tbody tr"));
		assertThat(row.getText()).contains("webhook.test").contains("PENDING");
		new Select(this.browser.find(By.id("filter-status"))).selectByValue("FAILED");
		this.browser.until((driver) -> this.browser.path().contains("status=FAILED"));
		assertThat(this.browser.find(By.id("no-deliveries")).getText()).contains("None matches");
		this.browser.check("deliveries-filtered");
		this.browser.open("/dashboard/deliveries");
		this.browser.check("deliveries");
		this.browser.find(By.cssSelector("#delivery-table tbody a")).click();
		this.browser.until((driver) -> this.browser.path().startsWith("/dashboard/deliveries/dlv_"));
		assertThat(this.browser.find(By.id("delivery-status")).getText()).isEqualTo("PENDING");
		this.browser.check("delivery");

		this.browser.find(By.linkText("Messages")).click();
		assertThat(this.browser.find(By.cssSelector("article.message")).getText()).contains("webhook.test");
		this.browser.check("messages");
		this.browser.find(By.linkText("Tasks")).click();
		assertThat(this.browser.find(By.id("no-tasks")).getText()).contains("No tasks yet");
		this.browser.check("tasks");
		this.browser.find(By.linkText("Event types")).click();
		assertThat(this.browser.find(By.id("type-webhook.test")).getText()).contains("webhook.test");
		this.browser.check("event-types");

		this.browser.find(By.id("sign-out")).click();
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/signed-out"));
		this.browser.check("signed-out");
		this.browser.open("/dashboard/endpoints");
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/signed-out"));
	}

	@Test
	void aUsedOrExpiredLinkIsRefused() {
		Map<String, Object> application = this.portal.createApplication(this.operator, "refusals");
		String link = link((String) application.get("id"));
		this.browser.open(link);
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/endpoints"));
		this.browser.open(link);
		assertThat(this.browser.find(By.id("refused")).getText()).contains("This link cannot be used");
		this.browser.check("link-refused");
		String expired = link((String) application.get("id"));
		ROWS.execute(
				"update dashboard_links set expires_at = now() - interval '1 second' where used_at is null "
						+ "and application_id = ?",
				IdKind.APPLICATION.parse((String) application.get("id")).orElseThrow());
		this.browser.open(expired);
		assertThat(this.browser.find(By.id("refused")).getText()).contains("has expired");
		this.browser.open("/dashboard/login");
		assertThat(this.browser.find(By.id("no-link")).getText()).contains("Open the dashboard with a link");
	}

	@Test
	void aSessionCannotOpenAnotherApplicationsEndpoint() {
		Map<String, Object> other = this.portal.createApplication(this.operator, "other-shop");
		String otherToken = this.portal.token((String) other.get("clientId"), (String) other.get("clientSecret"));
		String endpoint = (String) this.portal.http()
			.post()
			.uri("/v1/webhook-endpoints")
			.headers((headers) -> headers.setBearerAuth(otherToken))
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("url", "http://127.0.0.1:9/others", "eventTypes", new String[] { "*" }))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("id");
		Map<String, Object> mine = this.portal.createApplication(this.operator, "my-shop");
		this.browser.open(link((String) mine.get("id")));
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/endpoints"));
		this.browser.open("/dashboard/endpoints/" + endpoint);
		assertThat(this.browser.find(By.tagName("h1")).getText()).isEqualTo("Not found");
		assertThat(this.browser.driver().getPageSource()).doesNotContain("/others");
		this.browser.check("not-found");
	}

	@Test
	void aPayloadWithMarkupIsShownAsText() {
		Map<String, Object> application = this.portal.createApplication(this.operator, "markup");
		UUID applicationId = IdKind.APPLICATION.parse((String) application.get("id")).orElseThrow();
		String markup = "<script>window.__injected = true</script><img src=x onerror=\"window.__injected = true\">";
		String payload = "{\"type\":\"invoice.paid\",\"timestamp\":\"2026-12-01T00:00:00Z\",\"data\":{\"note\":\""
				+ markup.replace("\"", "\\\"") + "\"}}";
		ROWS.execute(
				"insert into webhook_messages (id, application_id, event_type, payload) values (?, ?, 'invoice.paid', ?)",
				IdKind.newUuid(), applicationId, payload);
		this.browser.open(link((String) application.get("id")));
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/endpoints"));
		this.browser.open("/dashboard/messages");
		WebElement shown = this.browser.find(By.cssSelector("article.message pre"));
		assertThat(shown.getText()).contains("<script>window.__injected = true</script>").contains("onerror=");
		assertThat(this.browser.driver()
			.findElements(By.cssSelector("article.message pre script, article.message pre img"))).isEmpty();
		assertThat(this.browser.script("return window.__injected === undefined;")).isEqualTo(true);
		this.browser.check("messages-markup");
		this.browser.find(By.cssSelector("article.message header a")).click();
		this.browser.until((driver) -> this.browser.path().startsWith("/dashboard/messages/msg_"));
		assertThat(this.browser.find(By.id("payload")).getText()).contains("<script>");
		assertThat(this.browser.script("return window.__injected === undefined;")).isEqualTo(true);
		this.browser.check("message");
	}

	private void fill(String id, String value) {
		WebElement field = this.browser.find(By.id(id));
		field.clear();
		if (!value.isEmpty()) {
			field.sendKeys(value);
		}
	}

	/** A new dashboard link of the application, on this test's server. */
	private String link(String applicationId) {
		String url = (String) this.portal.http()
			.post()
			.uri("/v1/applications/" + applicationId + "/dashboard-links")
			.headers((headers) -> headers.setBearerAuth(this.operator))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("url");
		return "/dashboard/login" + url.substring(url.indexOf('#'));
	}

}
