package io.hookway.gateway.ratelimit;

import java.time.Clock;
import java.time.Duration;

/**
 * The rate-limit windows: consecutive spans of one length counted from the Unix epoch, so
 * gateways whose clocks agree agree on which window a call falls in and when it ends. A
 * window is named by its number since the epoch.
 */
record Windows(long lengthNanos, Clock clock) {

	long current() {
		return Math.floorDiv(nowNanos(), this.lengthNanos);
	}

	/** How long until the window ends; zero once it has. */
	Duration left(long window) {
		return Duration.ofNanos(Math.max(0, (window + 1) * this.lengthNanos - nowNanos()));
	}

	/**
	 * When the window starts, in microseconds since the epoch (the database's precision).
	 */
	long startMicros(long window) {
		return window * this.lengthNanos / 1_000L;
	}

	private long nowNanos() {
		return this.clock.millis() * 1_000_000L;
	}

}
