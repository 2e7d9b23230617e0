package io.hookway.standalone;

import java.time.Duration;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import io.hookway.core.test.BlockingCalls;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BlockHound is installed in this module's test JVM: a blocking call on a Reactor thread
 * is refused, and recorded so that the test making it fails.
 */
class BlockingCallRefusalTest {

	@Test
	void blockingCallOnAReactorThreadIsRefused() {
		Mono<Void> blocking = Mono.<Void>fromRunnable(BlockingCallRefusalTest::sleep)
			.subscribeOn(Schedulers.parallel());
		StepVerifier.create(blocking).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(10));
		// drained here, or the kit's check would fail this test for the call it made on
		// purpose
		assertThat(BlockingCalls.drain()).singleElement(InstanceOfAssertFactories.THROWABLE)
			.isInstanceOf(BlockingOperationError.class)
			.hasMessageContaining("java.lang.Thread.sleep");
	}

	private static void sleep() {
		try {
			Thread.sleep(1);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
