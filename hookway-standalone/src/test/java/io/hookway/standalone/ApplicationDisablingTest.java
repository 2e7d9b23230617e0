package io.hookway.standalone;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A disabled application's tokens stop working within seconds, though they have not
 * expired.
 */
class ApplicationDisablingTest extends StandaloneIntegrationTest {

	@Test
	void tokensOfADisabledApplicationAreRefusedWithinSeconds() {
		Tenant tenant = newTenant("to-be-disabled");
		assertThat(listStatus(tenant)).isEqualTo(200);

		this.client.http()
			.delete()
			.uri("/v1/applications/{id}", tenant.applicationId())
			.headers((headers) -> headers.setBearerAuth(operatorToken()))
			.exchange()
			.expectStatus()
			.isNoContent();

		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> listStatus(tenant) == 401);
		this.client.http()
			.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
		Tenant other = newTenant("still-enabled");
		assertThat(listStatus(other)).isEqualTo(200);
	}

	private int listStatus(Tenant tenant) {
		return this.client.http()
			.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(tenant.token()))
			.exchange()
			.returnResult(String.class)
			.getStatus()
			.value();
	}

}
