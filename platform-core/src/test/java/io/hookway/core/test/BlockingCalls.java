package io.hookway.core.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.assertj.core.api.InstanceOfAssertFactories;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blocking calls BlockHound refused in this test JVM since the current test started.
 * A refusal on a Netty event loop is often swallowed (logged, or turned into a 500 the
 * test did not look at), so {@link BlockingCallCheck} fails the test from this record.
 */
public final class BlockingCalls {

	private static final List<Throwable> REFUSED = new ArrayList<>();

	private BlockingCalls() {
	}

	static synchronized void record(Throwable refusal) {
		REFUSED.add(refusal);
	}

	/** The refusals recorded since the last call, which forgets them. */
	public static synchronized List<Throwable> drain() {
		List<Throwable> refused = List.copyOf(REFUSED);
		REFUSED.clear();
		return refused;
	}

	/**
	 * Asserts that BlockHound is installed in this test JVM: a sleep on a Reactor thread
	 * is refused and recorded. The record is drained here, or the kit's check would fail
	 * the calling test for the call it made on purpose.
	 */
	public static void assertRefusedOnReactorThreads() {
		Mono<Void> blocking = Mono.<Void>fromRunnable(BlockingCalls::sleep).subscribeOn(Schedulers.parallel());
		StepVerifier.create(blocking).expectError(BlockingOperationError.class).verify(Duration.ofSeconds(10));
		assertThat(drain()).singleElement(InstanceOfAssertFactories.THROWABLE)
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
