package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-destination state: slots and breakers as Resilience4j operators around the attempt,
 * and destinations kept while used and forgotten when idle, an open breaker not before
 * its wait is over, never more than the tracked maximum of unused ones.
 */
class DestinationsTest {

	private static final Duration OPEN = Duration.ofSeconds(30);

	private final AtomicLong now = new AtomicLong();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Destinations destinations = new Destinations(
			Breakers.openingFor(OPEN, "endpointId", (name) -> name, (outcome) -> Boolean.FALSE.equals(outcome)), 2,
			OPEN, 4, Duration.ofSeconds(10), 100, this.now::get);

	@Test
	void idleDestinationsAreForgottenAndOpenBreakersKeptUntilTheirWaitIsOver() {
		Breakers.publishCounts(this.destinations.breakers(), this.meters);
		for (int i = 0; i < 50; i++) {
			use("closed-" + i, true);
		}
		for (int i = 0; i < 10; i++) {
			use("failing", false);
		}
		assertThat(breaker("failing").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(count("closed")).isEqualTo(50);
		assertThat(count("open")).isEqualTo(1);

		advance(Duration.ofSeconds(8));
		use("recent", true);
		advance(Duration.ofSeconds(7));
		this.destinations.sweep();
		assertThat(names()).containsExactlyInAnyOrder("failing", "recent");
		assertThat(count("closed")).isEqualTo(1);

		advance(Duration.ofSeconds(16));
		this.destinations.sweep();
		assertThat(names()).isEmpty();
		assertThat(count("open")).isZero();
		Destination again = this.destinations.hold("failing");
		assertThat(again.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		again.release();
	}

	@Test
	void aDestinationHeldByWorkIsNeverForgotten() {
		Destination held = this.destinations.hold("slow");
		advance(Duration.ofMinutes(30));
		this.destinations.sweep();
		assertThat(this.destinations.hold("slow")).isSameAs(held);
		held.release();
		held.release();
		advance(Duration.ofSeconds(11));
		this.destinations.sweep();
		assertThat(this.destinations.size()).isZero();
	}

	@Test
	void beyondTheTrackedMaximumTheLongestUnusedAreForgottenFirst() {
		for (int i = 0; i < 1000; i++) {
			advance(Duration.ofMillis(1));
			use("endpoint-" + i, true);
		}
		assertThat(this.destinations.size()).isLessThanOrEqualTo(100 + 100 / 8 + 1);
		this.destinations.sweep();
		assertThat(this.destinations.size()).isEqualTo(100);
		assertThat(names()).contains("endpoint-999", "endpoint-900").doesNotContain("endpoint-899");
	}

	@Test
	void slotsBoundAttemptsAtOnceAndAreFreeAgainBeforeTheOutcomeIsHandledDownstream() {
		Destination destination = this.destinations.hold("narrow");
		Sinks.One<Boolean> first = Sinks.one();
		Sinks.One<Boolean> second = Sinks.one();
		AtomicInteger freeWhenHandled = new AtomicInteger(-1);
		destination.guard(first.asMono()).subscribe((outcome) -> freeWhenHandled.set(2 - destination.running()));
		destination.guard(second.asMono()).subscribe();
		StepVerifier.create(destination.guard(Mono.just(true))).expectError(BulkheadFullException.class).verify();
		assertThat(destination.running()).isEqualTo(2);

		first.tryEmitValue(true);
		assertThat(freeWhenHandled.get()).isEqualTo(1);
		StepVerifier.create(destination.guard(Mono.just(true))).expectNext(true).verifyComplete();
		second.tryEmitValue(true);
		assertThat(destination.running()).isZero();
	}

	@Test
	void failedOutcomesOpenTheBreakerWithoutBeingErrorsAndAnOpenBreakerRefusesAttempts() {
		Destination destination = this.destinations.hold("failing");
		for (int i = 0; i < 10; i++) {
			StepVerifier.create(destination.guard(Mono.just(false))).expectNext(false).verifyComplete();
		}
		assertThat(destination.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		AtomicInteger attempted = new AtomicInteger();
		StepVerifier.create(destination.guard(Mono.fromCallable(attempted::incrementAndGet)))
			.expectError(CallNotPermittedException.class)
			.verify();
		assertThat(attempted).hasValue(0);
		assertThat(destination.running()).as("the slot is given back").isZero();
	}

	@Test
	void aDestinationIsBusyWithEverySlotTakenAndHalfItsLineFull() {
		Destination destination = this.destinations.hold("busy");
		destination.guard(Mono.never()).subscribe();
		destination.guard(Mono.never()).subscribe();
		assertThat(this.destinations.busy()).isEmpty();
		assertThat(destination.await("owner", () -> {
		})).isTrue();
		assertThat(destination.await("owner", () -> {
		})).isTrue();
		assertThat(this.destinations.busy()).containsExactly("busy");
		assertThat(destination.await("owner", () -> {
		})).isTrue();
		assertThat(destination.await("owner", () -> {
		})).isTrue();
		assertThat(destination.await("owner", () -> {
		})).as("the line holds four").isFalse();
		assertThat(destination.next()).as("no slot free").isNull();
	}

	private void use(String name, boolean outcome) {
		Destination destination = this.destinations.hold(name);
		StepVerifier.create(destination.guard(Mono.just(outcome))).expectNext(outcome).verifyComplete();
		destination.release();
	}

	private CircuitBreaker breaker(String name) {
		return this.destinations.breakers().circuitBreaker(name);
	}

	private void advance(Duration duration) {
		this.now.addAndGet(duration.toNanos());
	}

	private List<String> names() {
		return this.destinations.breakers().getAllCircuitBreakers().stream().map(CircuitBreaker::getName).toList();
	}

	private double count(String state) {
		return this.meters.get("hookway.endpoint.breakers").tag("state", state).gauge().value();
	}

}
