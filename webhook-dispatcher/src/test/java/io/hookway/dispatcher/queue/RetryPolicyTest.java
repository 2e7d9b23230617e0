package io.hookway.dispatcher.queue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.hookway.core.outbound.WebhookSettings;
import io.hookway.core.route.RouteSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Retry policies as data: what the default settings give, jitter within its bounds, the
 * cap, {@code Retry-After} honoured up to its maximum, and the final step.
 */
class RetryPolicyTest {

	private static final WebhookSettings WEBHOOKS = new WebhookSettings(Duration.ofSeconds(15),
			List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2),
					Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)),
			Duration.ofDays(5), false, false, 10);

	@Test
	void webhookScheduleGivesEachListedDelayThenGivesUpAfterTheLastAttempt() {
		RetryPolicy policy = RetryPolicy.of(WEBHOOKS);
		assertThat(policy.maxAttempts()).isEqualTo(8);
		assertThat(delay(policy, 1, 0.5)).isEqualTo(Duration.ofSeconds(5));
		assertThat(delay(policy, 2, 0.5)).isEqualTo(Duration.ofMinutes(5));
		assertThat(delay(policy, 7, 0.5)).isEqualTo(Duration.ofHours(10));
		assertThat(policy.next(8, null).givesUp()).isTrue();
		assertThat(policy.next(8, Duration.ofSeconds(1)).givesUp()).as("Retry-After does not add attempts").isTrue();
	}

	@Test
	void jitterMovesADelayByAtMostAFifthEitherWay() {
		RetryPolicy policy = RetryPolicy.of(WEBHOOKS);
		assertThat(delay(policy, 1, 0.0)).isEqualTo(Duration.ofSeconds(4));
		assertThat(delay(policy, 1, 0.999999)).isBetween(Duration.ofMillis(5999), Duration.ofSeconds(6));
		for (int i = 0; i < 1000; i++) {
			assertThat(policy.next(2, null).delay()).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(6));
		}
	}

	@Test
	void routeBackoffDoublesFromItsBaseUpToAnHourAndGivesUpAtMaxAttempts() {
		RetryPolicy policy = RetryPolicy.of(route(Duration.ofSeconds(1), 5));
		assertThat(policy.maxAttempts()).isEqualTo(5);
		assertThat(delay(policy, 1, 0.5)).isEqualTo(Duration.ofSeconds(1));
		assertThat(delay(policy, 2, 0.5)).isEqualTo(Duration.ofSeconds(2));
		assertThat(delay(policy, 4, 0.5)).isEqualTo(Duration.ofSeconds(8));
		assertThat(policy.next(5, null).givesUp()).isTrue();

		RetryPolicy patient = RetryPolicy.of(route(Duration.ofSeconds(1), 40));
		assertThat(delay(patient, 13, 0.0)).as("4096 s less a fifth").isEqualTo(Duration.ofMillis(3_276_800));
		assertThat(delay(patient, 13, 0.99)).as("capped after jitter").isEqualTo(Duration.ofHours(1));
		assertThat(delay(patient, 39, 0.5)).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void longerRetryAfterIsHonouredUpToItsMaximumAndShorterOneIgnored() {
		RetryPolicy webhooks = RetryPolicy.of(WEBHOOKS);
		assertThat(webhooks.next(1, Duration.ofMinutes(2), () -> 0.5).delay()).isEqualTo(Duration.ofMinutes(2));
		assertThat(webhooks.next(1, Duration.ofSeconds(1), () -> 0.5).delay()).isEqualTo(Duration.ofSeconds(5));
		assertThat(webhooks.next(1, Duration.ofDays(3), () -> 0.5).delay()).isEqualTo(Duration.ofHours(24));

		RetryPolicy route = RetryPolicy.of(route(Duration.ofMillis(50), 3));
		assertThat(route.next(1, Duration.ofSeconds(2), () -> 0.5).delay()).isEqualTo(Duration.ofSeconds(2));
		assertThat(route.next(1, Duration.ofHours(5), () -> 0.5).delay()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void keepRetryingRepeatsTheLastDelayInsteadOfGivingUp() {
		RetryPolicy policy = new RetryPolicy(
				new RetryPolicy.Schedule(List.of(Duration.ofSeconds(1), Duration.ofMinutes(1))), 0, Duration.ofHours(1),
				Duration.ofHours(1), RetryPolicy.FinalStep.KEEP_RETRYING);
		assertThat(policy.next(1, null).delay()).isEqualTo(Duration.ofSeconds(1));
		assertThat(policy.next(2, null).delay()).isEqualTo(Duration.ofMinutes(1));
		assertThat(policy.next(3, null).delay()).isEqualTo(Duration.ofMinutes(1));
		assertThat(policy.next(300, null).delay()).isEqualTo(Duration.ofMinutes(1));
	}

	@Test
	void exponentialDelaysGrowByTheirFactor() {
		RetryPolicy policy = new RetryPolicy(new RetryPolicy.Exponential(Duration.ofMillis(100), 3, 6), 0,
				Duration.ofMinutes(1), Duration.ofMinutes(1), RetryPolicy.FinalStep.FAIL);
		assertThat(List.of(1, 2, 3, 4, 5).stream().map((attempt) -> policy.next(attempt, null).delay()))
			.containsExactly(Duration.ofMillis(100), Duration.ofMillis(300), Duration.ofMillis(900),
					Duration.ofMillis(2700), Duration.ofMillis(8100));
		assertThat(policy.next(6, null).givesUp()).isTrue();
	}

	@Test
	void nonsenseIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy.Exponential(Duration.ofSeconds(1), 0.5, 3));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RetryPolicy.Schedule(List.of(Duration.ofSeconds(-1))));
		assertThatIllegalArgumentException().isThrownBy(() -> new RetryPolicy(new RetryPolicy.Schedule(List.of()), 1.5,
				Duration.ofHours(1), Duration.ofHours(1), RetryPolicy.FinalStep.FAIL));
	}

	private static Duration delay(RetryPolicy policy, int attempt, double random) {
		return policy.next(attempt, null, () -> random).delay();
	}

	private static RouteSettings.Route route(Duration backoff, int maxAttempts) {
		return new RouteSettings.Route(URI.create("http://upstream:8080"), Duration.ofSeconds(30), maxAttempts, backoff,
				Set.of("POST"), Duration.ofHours(24), 64);
	}

}
