package io.hookway.portal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.function.Tuple2;

import io.hookway.core.test.PlatformClient;
import io.hookway.core.test.TestDatabase;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token endpoint under hostile input: control characters, forged Host headers,
 * guessed secrets, floods of token requests and a saturated hashing pool.
 */
@SpringBootTest(classes = PortalApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class TokenEndpointHardeningTest {

	private static final String OPERATOR = "hardening-operator";

	private static final String OPERATOR_SECRET = "hardening-operator-secret-0123456789";

	private static final String ISSUER = "https://issuer.hookway.test";

	private static String operatorToken;

	@LocalServerPort
	int port;

	PlatformClient portal;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestDatabase.register(registry);
		registry.add("hookway.portal.operator.client-id", () -> OPERATOR);
		registry.add("hookway.portal.operator.client-secret", () -> OPERATOR_SECRET);
		registry.add("hookway.auth.issuer", () -> ISSUER);
		TestDatabase.keepConnectionsFew(registry);
		registry.add("hookway.portal.limits.failed-authentications", () -> "3");
		registry.add("hookway.portal.limits.failed-authentications-per-address", () -> "6");
		registry.add("hookway.portal.limits.token-requests-per-minute", () -> "10");
		registry.add("hookway.portal.secret-hashing.threads", () -> "1");
		registry.add("hookway.portal.secret-hashing.queue-size", () -> "2");
		// below the pool's 3 places, so that one client's flood always leaves room for
		// others
		registry.add("hookway.portal.secret-hashing.per-client", () -> "1");
	}

	@BeforeEach
	void setUp() {
		this.portal = new PlatformClient(this.port);
		if (operatorToken == null) {
			operatorToken = this.portal.token(OPERATOR, OPERATOR_SECRET);
		}
	}

	@Test
	void controlCharactersInAnyFormParameterAreInvalidRequestAndIssueNothing() {
		Map<String, Object> application = this.portal.createApplication(operatorToken, "control-characters");
		String clientId = (String) application.get("clientId");
		String secret = (String) application.get("clientSecret");
		for (String control : List.of("\u0000", "\r", "\n", "\t", "\u001b", "\u007f")) {
			for (String scope : List.of("tasks:read" + control, control + "tasks:read", "tasks:read" + control + "x")) {
				this.portal.http()
					.post()
					.uri("/oauth2/token")
					.contentType(MediaType.APPLICATION_FORM_URLENCODED)
					.body(BodyInserters.fromFormData("grant_type", "client_credentials")
						.with("client_id", clientId)
						.with("client_secret", secret)
						.with("scope", scope))
					.exchange()
					.expectStatus()
					.isBadRequest()
					.expectBody()
					.jsonPath("$.error")
					.isEqualTo("invalid_request")
					.jsonPath("$.access_token")
					.doesNotExist();
			}
			this.portal.http()
				.post()
				.uri("/oauth2/token")
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData("grant_type", "client_credentials" + control)
					.with("client_id", clientId)
					.with("client_secret", secret))
				.exchange()
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("invalid_request");
			this.portal.tokenRequest(clientId + control, secret, "grant_type=client_credentials")
				.expectStatus()
				.isBadRequest()
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("invalid_request");
		}
	}

	@Test
	void emptyClientSecretIsNeverAccepted() {
		this.portal.tokenRequest(OPERATOR, "", "grant_type=client_credentials")
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
		String clientId = (String) this.portal.createApplication(operatorToken, "empty-secret").get("clientId");
		this.portal.http()
			.post()
			.uri("/oauth2/token")
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "client_credentials")
				.with("client_id", clientId)
				.with("client_secret", ""))
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("invalid_client");
	}

	@Test
	void discoveryNamesTheConfiguredIssuerWhateverHostTheRequestClaims() {
		for (String header : List.of(HttpHeaders.HOST, "X-Forwarded-Host", "Forwarded")) {
			String value = header.equals("Forwarded") ? "host=evil.example;proto=http" : "evil.example";
			this.portal.http()
				.get()
				.uri("/.well-known/openid-configuration")
				.header(header, value)
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.jsonPath("$.issuer")
				.isEqualTo(ISSUER)
				.jsonPath("$.token_endpoint")
				.isEqualTo(ISSUER + "/oauth2/token")
				.jsonPath("$.jwks_uri")
				.isEqualTo(ISSUER + "/oauth2/jwks");
		}
	}

	@Test
	void failedAuthenticationsLockTheClientIdOutAtTheGuessersAddressOnly() {
		Map<String, Object> target = this.portal.createApplication(operatorToken, "guessed");
		Map<String, Object> bystander = this.portal.createApplication(operatorToken, "bystander");
		String clientId = (String) target.get("clientId");
		String secret = (String) target.get("clientSecret");
		PlatformClient guesser = new PlatformClient(this.port, "127.0.0.2");
		for (int i = 0; i < 3; i++) {
			guesser.tokenRequest(clientId, "guess-" + i, "grant_type=client_credentials")
				.expectStatus()
				.isUnauthorized();
		}
		for (String attempt : List.of("guess-4", secret)) {
			expectSlowDown(guesser.tokenRequest(clientId, attempt, "grant_type=client_credentials"));
		}
		// the client itself, elsewhere, is not locked out by a stranger's guesses
		this.portal.token(clientId, secret);
		expectSlowDown(guesser.tokenRequest(clientId, secret, "grant_type=client_credentials"));
		this.portal.token((String) bystander.get("clientId"), (String) bystander.get("clientSecret"));
	}

	@Test
	void failedAuthenticationsFromOneAddressAcrossManyClientIdsLockThatAddressOut() {
		PlatformClient guesser = new PlatformClient(this.port, "127.0.0.5");
		List<Map<String, Object>> applications = Flux.range(0, 7)
			.map((i) -> this.portal.createApplication(operatorToken, "sprayed-" + i))
			.collectList()
			.block();
		// one guess per client id: no client id's own limit is reached
		for (int i = 0; i < 6; i++) {
			guesser.tokenRequest((String) applications.get(i).get("clientId"), "guess", "grant_type=client_credentials")
				.expectStatus()
				.isUnauthorized();
		}
		Map<String, Object> untouched = applications.get(6);
		String clientId = (String) untouched.get("clientId");
		String secret = (String) untouched.get("clientSecret");
		expectSlowDown(guesser.tokenRequest(clientId, "guess", "grant_type=client_credentials"));
		expectSlowDown(guesser.tokenRequest(clientId, secret, "grant_type=client_credentials"));
		this.portal.token(clientId, secret);
	}

	@Test
	void tokenRequestsAreRateLimitedPerClientIdAndAddress() {
		Map<String, Object> busy = this.portal.createApplication(operatorToken, "token-hungry");
		Map<String, Object> bystander = this.portal.createApplication(operatorToken, "token-modest");
		String clientId = (String) busy.get("clientId");
		String secret = (String) busy.get("clientSecret");
		PlatformClient hungry = new PlatformClient(this.port, "127.0.0.3");
		for (int i = 0; i < 10; i++) {
			hungry.token(clientId, secret);
		}
		expectSlowDown(hungry.tokenRequest(clientId, secret, "grant_type=client_credentials"));
		// a flood from one address leaves the client's requests from another alone
		this.portal.token(clientId, secret);
		this.portal.token((String) bystander.get("clientId"), (String) bystander.get("clientSecret"));
	}

	private static void expectSlowDown(WebTestClient.ResponseSpec response) {
		response.expectStatus()
			.isEqualTo(429)
			.expectHeader()
			.value(HttpHeaders.RETRY_AFTER, (seconds) -> assertThat(Integer.parseInt(seconds)).isBetween(1, 60))
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("slow_down")
			.jsonPath("$.access_token")
			.doesNotExist();
	}

	@Test
	void floodOfWrongSecretsIsRefusedWithoutHashingAndOthersStillGetTokens() {
		String flooded = (String) this.portal.createApplication(operatorToken, "flooded").get("clientId");
		Map<String, Object> other = this.portal.createApplication(operatorToken, "flood-bystander");
		PlatformClient flooder = new PlatformClient(this.port, "127.0.0.4");
		Mono<List<Answer>> flood = Flux.range(0, 50)
			.flatMap((i) -> tokenCall(flooder, flooded, "wrong-" + i), 64)
			.collectList();
		Mono<Tuple2<Long, Answer>> bystander = Mono.delay(Duration.ofMillis(50))
			.then(tokenCall(this.portal, (String) other.get("clientId"), (String) other.get("clientSecret")))
			.elapsed();
		Tuple2<List<Answer>, Tuple2<Long, Answer>> answers = Mono.zip(flood, bystander).block(Duration.ofSeconds(30));
		assertThat(answers.getT2().getT2().status()).isEqualTo(200);
		assertThat(answers.getT2().getT1()).as("milliseconds to the bystander's token").isLessThan(5000);
		assertThat(answers.getT1()).allSatisfy((answer) -> {
			assertThat(answer.status()).isIn(401, 429, 503);
			if (answer.status() != 401) {
				assertThat(answer.retryAfter()).isNotNull();
			}
		});
		assertThat(answers.getT1().stream().filter((answer) -> answer.status() != 401).count())
			.as("refused without hashing")
			.isGreaterThanOrEqualTo(40);
	}

	@Test
	void saturatedHashingPoolAnswers503WithRetryAfterInsteadOfQueueingForever() {
		List<Map<String, Object>> applications = Flux.range(0, 8)
			.map((i) -> this.portal.createApplication(operatorToken, "saturating-" + i))
			.collectList()
			.block();
		Map<String, Object> afterwards = this.portal.createApplication(operatorToken, "after-the-flood");
		// each from an address of its own, so that the per-address limit stays out of the
		// way
		List<Answer> answers = Flux.range(0, applications.size()).flatMap((n) -> {
			PlatformClient caller = new PlatformClient(this.port, "127.0.1." + (n + 1));
			return Flux.range(0, 4)
				.flatMap((i) -> tokenCall(caller, (String) applications.get(n).get("clientId"), "wrong-" + i));
		}, 64).collectList().block(Duration.ofSeconds(30));
		assertThat(answers).hasSize(32).allSatisfy((answer) -> assertThat(answer.status()).isIn(401, 429, 503));
		assertThat(answers).filteredOn((answer) -> answer.status() == 503).isNotEmpty().allSatisfy((answer) -> {
			assertThat(answer.retryAfter()).isNotNull();
			assertThat(answer.body()).contains("\"error\":\"temporarily_unavailable\"");
		});
		this.portal.token((String) afterwards.get("clientId"), (String) afterwards.get("clientSecret"));
	}

	private static Mono<Answer> tokenCall(PlatformClient caller, String clientId, String secret) {
		return caller.web()
			.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth(clientId, secret))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.bodyValue("grant_type=client_credentials")
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), body)));
	}

	private record Answer(int status, String retryAfter, String body) {
	}

}
