package io.hookway.dispatcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keys (endpoints, routes) are held while work runs or waits for them and forgotten
 * after, however many come and go.
 */
class InFlightTest {

	@Test
	void keysAreForgottenOnceTheirWorkEnds() {
		InFlight inFlight = new InFlight(1000);
		List<Sinks.Empty<Void>> running = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			Sinks.Empty<Void> finish = Sinks.empty();
			running.add(finish);
			assertThat(inFlight.tryLaunch(UUID.randomUUID(), 1, 1, 10, holding(finish), (freed) -> {
			})).isTrue();
		}
		assertThat(inFlight.keys()).isEqualTo(200);
		running.forEach(Sinks.Empty::tryEmitEmpty);
		await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.capacity() == 1000);
		assertThat(inFlight.keys()).isZero();
		assertThat(inFlight.busyKeys()).isEmpty();
	}

	@Test
	void aKeyStaysWhileWorkWaitsForItsSlot() {
		InFlight inFlight = new InFlight(10);
		Sinks.Empty<Void> first = Sinks.empty();
		Sinks.Empty<Void> second = Sinks.empty();
		assertThat(inFlight.tryLaunch("endpoint", 1, 1, 1, holding(first), (freed) -> {
		})).isTrue();
		assertThat(inFlight.tryLaunch("endpoint", 1, 1, 1, holding(second), (freed) -> {
		})).isTrue();
		assertThat(inFlight.tryLaunch("endpoint", 1, 1, 1, Mono.just(Mono.empty()), (freed) -> {
		})).isFalse();
		assertThat(inFlight.busyKeys()).containsExactly("endpoint");

		first.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.capacity() == 9);
		assertThat(inFlight.keys()).isEqualTo(1);
		assertThat(inFlight.busyKeys()).isEmpty();

		second.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> inFlight.capacity() == 10);
		assertThat(inFlight.keys()).isZero();
	}

	@Test
	void workRefusedOnAKeyLeavesNothingBehind() {
		InFlight inFlight = new InFlight(10);
		assertThat(inFlight.tryLaunch("endpoint", 0, 0, 1, Mono.just(Mono.empty()), (freed) -> {
		})).isFalse();
		assertThat(inFlight.keys()).isZero();
		assertThat(inFlight.capacity()).isEqualTo(10);
	}

	/** Work that holds its key's slot until the sink completes. */
	private static Mono<Mono<Void>> holding(Sinks.Empty<Void> finish) {
		return finish.asMono().thenReturn(Mono.empty());
	}

}
