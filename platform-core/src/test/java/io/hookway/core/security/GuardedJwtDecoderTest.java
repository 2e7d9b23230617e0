package io.hookway.core.security;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.r2dbc.spi.ConnectionFactories;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verified tokens are remembered until they expire, within a count and a byte budget:
 * large tokens cannot fill the heap however few the count says.
 */
class GuardedJwtDecoderTest {

	private final AtomicInteger verifications = new AtomicInteger();

	private final ReactiveJwtDecoder verifier = (token) -> {
		this.verifications.incrementAndGet();
		Instant now = Instant.now();
		return Mono.just(Jwt.withTokenValue(token)
			.header("alg", "RS256")
			.subject("cli_test")
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofMinutes(10)))
			.build());
	};

	private final DisabledApplications disabled = new DisabledApplications(
			DatabaseClient.create(ConnectionFactories.get("r2dbc:postgresql://unused@127.0.0.1:1/unused")),
			Duration.ofHours(1));

	@Test
	void largeTokensAreRememberedWithinTheByteBudget() {
		long budget = 256 * 1024;
		GuardedJwtDecoder decoder = new GuardedJwtDecoder(this.verifier, this.disabled, 100_000, budget, "app_id");
		String padding = "x".repeat(4000);
		for (int i = 0; i < 2000; i++) {
			decoder.decode("token-" + i + "." + padding).block(Duration.ofSeconds(5));
		}
		assertThat(decoder.cachedBytes()).isBetween(1L, budget);
		int before = this.verifications.get();
		for (int i = 0; i < 2000; i++) {
			decoder.decode("token-" + i + "." + padding).block(Duration.ofSeconds(5));
		}
		long remembered = 2000 - (this.verifications.get() - before);
		assertThat(remembered).as("tokens still remembered")
			.isLessThanOrEqualTo(budget / GuardedJwtDecoder.weight("token-0." + padding));
	}

	@Test
	void theCountStillBoundsSmallTokens() {
		GuardedJwtDecoder decoder = new GuardedJwtDecoder(this.verifier, this.disabled, 10, 32 * 1024 * 1024, "app_id");
		for (int i = 0; i < 100; i++) {
			decoder.decode("t" + i).block(Duration.ofSeconds(5));
		}
		assertThat(decoder.cachedBytes()).isLessThanOrEqualTo(32L * 1024 * 1024);
		int before = this.verifications.get();
		for (int i = 0; i < 100; i++) {
			decoder.decode("t" + i).block(Duration.ofSeconds(5));
		}
		assertThat(100 - (this.verifications.get() - before)).as("tokens still remembered").isLessThanOrEqualTo(10);
	}

}
