package io.hookway.portal;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The issuer replaces its signing key when it is older than the rotation period; tokens
 * signed with the old key keep working until they expire, because the old key stays
 * published.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SigningKeyRotationTest {

	@LocalServerPort
	int port;

	PlatformClient portal;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> "rotation-operator");
		registry.add("hookway.portal.operator.client-secret", () -> "rotation-operator-secret-0123456789");
		registry.add("hookway.portal.signing-key-rotation", () -> "2s");
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
	}

	@Test
	void rotatedKeyReplacesTheOldOneWhichStaysPublishedForTheTokensItSigned() {
		String before = token();
		String oldKid = kid(before);
		String after = await().atMost(Duration.ofSeconds(20))
			.pollInterval(Duration.ofMillis(250))
			.until(this::token, (token) -> !kid(token).equals(oldKid));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> keys = (List<Map<String, Object>>) this.portal.http()
			.get()
			.uri("/oauth2/jwks")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(PlatformClient.JSON)
			.returnResult()
			.getResponseBody()
			.get("keys");
		assertThat(keys.stream().map((key) -> key.get("kid"))).contains(oldKid, kid(after));
		for (String token : List.of(before, after)) {
			this.portal.http()
				.get()
				.uri("/v1/applications")
				.headers((headers) -> headers.setBearerAuth(token))
				.exchange()
				.expectStatus()
				.isOk();
		}
	}

	private String token() {
		return this.portal.token("rotation-operator", "rotation-operator-secret-0123456789");
	}

	private static String kid(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
		return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
	}

}
