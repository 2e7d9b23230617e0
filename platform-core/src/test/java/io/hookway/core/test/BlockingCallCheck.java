package io.hookway.core.test;

import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which BlockHound refused a blocking call on a Reactor thread, with
 * the first refusal as the cause. Registered for every test through the JUnit Platform's
 * extension auto-detection (the root pom turns it on); without BlockHound installed
 * nothing is ever recorded.
 */
public final class BlockingCallCheck implements BeforeEachCallback, AfterEachCallback {

	@Override
	public void beforeEach(ExtensionContext context) {
		// a refusal from a thread a previous test left running is not this test's
		BlockingCalls.drain();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		List<Throwable> refused = BlockingCalls.drain();
		if (!refused.isEmpty()) {
			AssertionError failure = new AssertionError(
					refused.size() + " blocking call(s) on a Reactor thread, the first: " + refused.get(0));
			refused.forEach(failure::addSuppressed);
			throw failure;
		}
	}

}
