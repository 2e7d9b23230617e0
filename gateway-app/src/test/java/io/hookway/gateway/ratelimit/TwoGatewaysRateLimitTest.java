package io.hookway.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.test.TestDatabase;
import io.hookway.core.test.TestIssuer;
import io.hookway.gateway.GatewayApplication;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two gateways on one database: an application's calls spread over both are accepted up
 * to its quota per window in all, not up to its quota at each gateway.
 */
class TwoGatewaysRateLimitTest {

	/** One call a second with a burst of 30: a quota of 30 in windows of 30 seconds. */
	private static final int QUOTA = 30;

	/**
	 * Both gateways' clock, standing still: every call falls in one window however long
	 * the calls take.
	 */
	static final Clock CLOCK = Clock.fixed(Instant.now(), ZoneOffset.UTC);

	static ConfigurableApplicationContext first;

	static ConfigurableApplicationContext second;

	@BeforeAll
	static void startTwoGateways() {
		first = start();
		second = start();
	}

	@AfterAll
	static void stop() {
		if (second != null) {
			second.close();
		}
		if (first != null) {
			first.close();
		}
	}

	@Test
	void callsSpreadOverTwoGatewaysAreAcceptedUpToTheQuotaOnceInAll() {
		// one call to each gateway first, of another application: the burst below then
		// finds warm servers, keys and connection pools, and measures only the budget
		String warmUp = TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:read");
		assertThat(call("first", first, warmUp).block(Duration.ofSeconds(30)).status()).isEqualTo(200);
		assertThat(call("second", second, warmUp).block(Duration.ofSeconds(30)).status()).isEqualTo(200);
		String token = TestIssuer.shared().applicationToken(IdKind.newUuid(), "tasks:read");
		List<Answer> answers = Flux.range(0, 2 * QUOTA)
			.flatMap((i) -> (i % 2 == 0) ? call("first", first, token) : call("second", second, token), 8)
			.collectList()
			.block(Duration.ofSeconds(60));

		List<Answer> accepted = answers.stream().filter((answer) -> answer.status() == 200).toList();
		assertThat(accepted).as("accepted calls of both gateways together").hasSize(QUOTA);
		assertThat(accepted).as("both gateways accepted some")
			.anyMatch((answer) -> answer.gateway().equals("first"))
			.anyMatch((answer) -> answer.gateway().equals("second"));
		assertThat(answers).filteredOn((answer) -> answer.status() != 200).hasSize(QUOTA).allSatisfy((refused) -> {
			assertThat(refused.status()).isEqualTo(429);
			assertThat(refused.rateLimit()).startsWith("\"default\";r=0;");
			assertThat(Long.parseLong(refused.retryAfter())).isBetween(1L, 30L);
		});
	}

	private static Mono<Answer> call(String name, ConfigurableApplicationContext gateway, String token) {
		return WebClient.create("http://127.0.0.1:" + gateway.getEnvironment().getProperty("local.server.port"))
			.get()
			.uri("/v1/tasks")
			.headers((headers) -> headers.setBearerAuth(token))
			.exchangeToMono((response) -> response.releaseBody()
				.thenReturn(new Answer(name, response.statusCode().value(),
						String.valueOf(response.headers().asHttpHeaders().getFirst("RateLimit")),
						String.valueOf(response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER)))));
	}

	private static ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(GatewayApplication.class, StoppedClock.class).run("--server.port=0",
				"--management.server.port=0", "--hookway.database.url=" + TestDatabase.url(),
				"--hookway.secrets.allow-development-key=true", "--spring.r2dbc.pool.initial-size=1",
				"--hookway.rate-limit.requests-per-second=1", "--hookway.rate-limit.burst=" + QUOTA,
				// a database slowed by other tests must not push calls to the fallback
				// share
				"--hookway.rate-limit.lease-timeout=20s");
	}

	private record Answer(String gateway, int status, String rateLimit, String retryAfter) {

	}

	/** Not a {@code @Configuration}: other tests' component scans must not find it. */
	static class StoppedClock {

		@Bean
		Clock clock() {
			return CLOCK;
		}

	}

}
