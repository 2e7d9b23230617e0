package io.hookway.portal;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.BlockingCalls;

/**
 * BlockHound is installed in this module's test JVM: a blocking call on a Reactor thread
 * is refused, and recorded so that the test making it fails.
 */
class BlockingCallRefusalTest {

	@Test
	void blockingCallOnAReactorThreadIsRefused() {
		BlockingCalls.assertRefusedOnReactorThreads();
	}

}
