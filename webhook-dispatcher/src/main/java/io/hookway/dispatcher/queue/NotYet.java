package io.hookway.dispatcher.queue;

import java.time.Duration;

/**
 * What an attempt fails with when its work is not to be done yet, such as a delivery over
 * its endpoint's rate limit: the engine hands the row back, due again after the delay,
 * without its attempt counted. Breakers ignore it: nothing was sent.
 */
public final class NotYet extends RuntimeException {

	private final Duration delay;

	public NotYet(Duration delay) {
		super("not yet: due again in " + delay, null, false, false);
		this.delay = delay;
	}

	/** How long until the work is due again. */
	public Duration delay() {
		return this.delay;
	}

}
