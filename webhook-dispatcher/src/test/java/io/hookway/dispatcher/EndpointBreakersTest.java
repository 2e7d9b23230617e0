package io.hookway.dispatcher;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoint breakers are kept while endpoints are delivered to, and forgotten when idle,
 * an open one not before its wait is over.
 */
class EndpointBreakersTest {

	private static final Duration OPEN = Duration.ofSeconds(30);

	private final AtomicLong now = new AtomicLong();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final EndpointBreakers breakers = new EndpointBreakers(
			Breakers.openingFor(OPEN, "endpointId", (name) -> name), OPEN, Duration.ofSeconds(10), this.now::get);

	@Test
	void idleClosedBreakersAreForgottenAndOpenOnesKeptUntilTheirWaitIsOver() {
		Breakers.publishCounts(this.breakers.registry(), this.meters);
		for (int i = 0; i < 100; i++) {
			succeed(this.breakers.get("closed-" + i));
		}
		CircuitBreaker failing = this.breakers.get("failing");
		for (int i = 0; i < 10; i++) {
			fail(failing);
		}
		assertThat(failing.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(count("closed")).isEqualTo(100);
		assertThat(count("open")).isEqualTo(1);

		advance(Duration.ofSeconds(8));
		this.breakers.get("recent");
		advance(Duration.ofSeconds(7));
		this.breakers.sweep();
		assertThat(names()).containsExactlyInAnyOrder("failing", "recent");
		assertThat(count("closed")).isEqualTo(1);
		assertThat(count("open")).isEqualTo(1);

		advance(Duration.ofSeconds(16));
		this.breakers.sweep();
		assertThat(names()).isEmpty();
		assertThat(count("open")).isZero();
		assertThat(this.breakers.get("failing").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void breakersInUseAreKeptAndIdleOnesForgottenWhileOthersAreAskedFor() {
		for (int i = 0; i < 1000; i++) {
			advance(Duration.ofSeconds(1));
			succeed(this.breakers.get("endpoint-" + i));
			succeed(this.breakers.get("steady"));
		}
		// only those asked for within the idle window, give or take a sweep, are left
		assertThat(this.breakers.registry().getAllCircuitBreakers().size()).isLessThanOrEqualTo(15);
		assertThat(names()).contains("steady", "endpoint-999");
	}

	@Test
	void anOpenBreakerAskedForIsKept() {
		CircuitBreaker failing = this.breakers.get("failing");
		for (int i = 0; i < 10; i++) {
			fail(failing);
		}
		for (int i = 0; i < 10; i++) {
			advance(Duration.ofSeconds(20));
			assertThat(this.breakers.get("failing")).isSameAs(failing);
			this.breakers.sweep();
		}
	}

	private void succeed(CircuitBreaker breaker) {
		assertThat(breaker.tryAcquirePermission()).isTrue();
		breaker.onSuccess(1, TimeUnit.MILLISECONDS);
	}

	private void fail(CircuitBreaker breaker) {
		assertThat(breaker.tryAcquirePermission()).isTrue();
		breaker.onError(1, TimeUnit.MILLISECONDS, new IOException("refused"));
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	private java.util.List<String> names() {
		return this.breakers.registry().getAllCircuitBreakers().stream().map(CircuitBreaker::getName).toList();
	}

	private double count(String state) {
		return this.meters.get("hookway.endpoint.breakers").tag("state", state).gauge().value();
	}

}
