package io.hookway.core.test;

import java.util.ArrayList;
import java.util.List;

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

}
