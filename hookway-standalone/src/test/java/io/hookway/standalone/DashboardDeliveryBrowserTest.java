package io.hookway.standalone;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import io.hookway.core.test.Browser;
import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.RecordingHttpServer;
import io.hookway.core.test.RecordingHttpServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard with the dispatcher at work, in Chromium: a developer opens a link, adds
 * an endpoint, sends a test event and sees it delivered; the receiver then fails, the
 * developer sees each failed attempt, retries once it is back and sees the delivery
 * succeed, and the endpoint's chart counts the attempts.
 */
class DashboardDeliveryBrowserTest extends StandaloneIntegrationTest {

	/** Answers what {@link #answer} says. */
	static final RecordingHttpServer developerReceiver = RecordingHttpServer.start();

	static volatile int answer = 204;

	Browser browser;

	@BeforeAll
	static void chromium() {
		Browser.assumeInstalled();
		developerReceiver.respondWith((request) -> Response.empty(answer));
	}

	@AfterAll
	static void stop() {
		developerReceiver.close();
	}

	@BeforeEach
	void open() {
		this.browser = new Browser("http://127.0.0.1:" + this.port);
	}

	@AfterEach
	void close() {
		if (this.browser != null) {
			this.browser.close();
		}
	}

	@Test
	void aDeveloperSeesADeliveryFailAndRetriesItToSuccess() {
		answer = 204;
		Tenant tenant = newTenant("dashboard-deliveries");
		this.browser.open(link(tenant));
		this.browser.until((driver) -> this.browser.path().equals("/dashboard/endpoints"));
		assertThat(this.browser.find(By.id("no-endpoints")).getText()).contains("No endpoints yet");

		this.browser.find(By.id("new-endpoint")).click();
		this.browser.find(By.id("url")).sendKeys(developerReceiver.baseUrl() + "/hooks");
		WebElement types = this.browser.find(By.id("eventTypes"));
		types.clear();
		types.sendKeys("webhook.test");
		this.browser.find(By.id("save")).click();
		this.browser.until((driver) -> this.browser.path().startsWith("/dashboard/endpoints/ep_"));
		this.browser.find(By.id("send-test")).click();
		this.browser.find(By.id("test-sent"));
		this.browser.find(By.id("endpoint-deliveries")).click();
		refreshUntil("#delivery-table tbody tr", "SUCCEEDED");
		assertThat(developerReceiver.requests()).hasSize(1);
		this.browser.check("deliveries-succeeded");

		answer = 500;
		this.browser.open("/dashboard/endpoints");
		this.browser.find(By.cssSelector("tbody a")).click();
		this.browser.until((driver) -> this.browser.path().startsWith("/dashboard/endpoints/ep_"));
		this.browser.find(By.id("send-test")).click();
		this.browser.find(By.id("test-sent"));
		this.browser.find(By.id("endpoint-deliveries")).click();
		refreshUntil("#delivery-table tbody tr", "FAILED");
		this.browser.find(By.cssSelector("#delivery-table tbody tr a")).click();
		this.browser.find(By.id("attempts"));
		List<WebElement> attempts = this.browser.driver().findElements(By.cssSelector("#attempts tbody tr"));
		assertThat(attempts).hasSize(4).allSatisfy((attempt) -> assertThat(attempt.getText()).contains("500"));
		assertThat(this.browser.find(By.id("delivery-status")).getText()).isEqualTo("FAILED");
		assertThat(this.browser.driver().findElements(By.id("retried"))).isEmpty();
		this.browser.check("delivery-failed");

		answer = 204;
		this.browser.find(By.id("retry")).click();
		this.browser.find(By.id("retried"));
		refreshUntil("#delivery-status", "SUCCEEDED");
		assertThat(this.browser.driver().findElements(By.cssSelector("#attempts tbody tr"))).hasSize(5);
		this.browser.check("delivery-retried");

		this.browser.find(By.cssSelector("dl a[href^='/dashboard/endpoints/']")).click();
		this.browser.until((driver) -> this.browser.path().startsWith("/dashboard/endpoints/ep_"));
		assertThat(this.browser.find(By.id("stats-summary")).getText()).isEqualTo("6 attempts, 33% succeeded.");
		assertThat(this.browser.find(By.cssSelector("svg.chart title")).getAttribute("textContent"))
			.contains("Success rate");
		this.browser.script("document.getElementById('stats').scrollIntoView();");
		this.browser.check("endpoint-chart");
	}

	/** Reloads the page until the element shows the text: the pages do not poll. */
	private void refreshUntil(String selector, String text) {
		try {
			refreshUntilOrFail(selector, text);
		}
		catch (org.openqa.selenium.TimeoutException ex) {
			this.browser.screenshot("timeout");
			throw new AssertionError("No " + text + " in " + selector + " of " + this.browser.path() + ": "
					+ this.browser.driver().findElement(By.tagName("main")).getText(), ex);
		}
	}

	private void refreshUntilOrFail(String selector, String text) {
		this.browser.until((driver) -> {
			List<WebElement> found = driver.findElements(By.cssSelector(selector));
			if (!found.isEmpty() && found.get(0).getText().contains(text)) {
				return true;
			}
			driver.navigate().refresh();
			return false;
		});
	}

	private String link(Tenant tenant) {
		Map<String, Object> link = this.client.http()
			.post()
			.uri("/v1/applications/{id}/dashboard-links", tenant.applicationId())
			.headers((headers) -> headers.setBearerAuth(operatorToken()))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody();
		String url = (String) link.get("url");
		return "/dashboard/login" + url.substring(url.indexOf('#'));
	}

}
