package io.hookway.gateway.ratelimit;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-application rate limit of the gateway's API, for the whole deployment: every
 * gateway takes its permits from one budget per application and window in the database.
 *
 * @param requestsPerSecond the sustained rate an application may call at
 * @param burst how many calls an application may make at once; the quota is refilled
 * whole every {@code burst / requestsPerSecond} seconds; defaults to one second's worth
 * @param trackedApplications most applications whose limiter is kept at once; the least
 * recently used beyond it, and any idle for a whole window, are forgotten
 * @param leaseSize permits a gateway takes from the shared budget at once and then spends
 * in memory; defaults to a tenth of the quota, at least one. Larger means fewer database
 * statements, but permits a gateway leased and did not spend by the window's end are lost
 * to the others
 * @param leaseTimeout longest a call waits for its gateway to lease permits; after it the
 * call is decided by the fallback share
 * @param fallbackShare the share of the quota each gateway grants on its own, per window,
 * while the shared budget does not answer: 1 keeps the whole quota per gateway (fail
 * open), 0 refuses every call (fail closed)
 * @param purgeInterval how often a gateway deletes the budget rows of ended windows
 */
@ConfigurationProperties("hookway.rate-limit")
public record RateLimitSettings(@DefaultValue("100") int requestsPerSecond, @Nullable Integer burst,
		@DefaultValue("100000") int trackedApplications, @Nullable Integer leaseSize,
		@DefaultValue("100ms") Duration leaseTimeout, @DefaultValue("1") double fallbackShare,
		@DefaultValue("1m") Duration purgeInterval) {

	private static final long MIN_WINDOW_NANOS = 1_000_000L;

	public RateLimitSettings {
		if (requestsPerSecond < 1 || (burst != null && burst < 1) || trackedApplications < 1) {
			throw new IllegalArgumentException("hookway.rate-limit values must be positive");
		}
		int quota = (burst != null) ? burst : requestsPerSecond;
		if (leaseSize != null && (leaseSize < 1 || leaseSize > quota)) {
			throw new IllegalArgumentException(
					"hookway.rate-limit.lease-size must be between 1 and the quota (" + quota + ")");
		}
		if (!positive(leaseTimeout) || !positive(purgeInterval)) {
			throw new IllegalArgumentException("hookway.rate-limit.lease-timeout and purge-interval must be positive");
		}
		if (!(fallbackShare >= 0 && fallbackShare <= 1)) {
			throw new IllegalArgumentException("hookway.rate-limit.fallback-share must be between 0 and 1");
		}
		if (quota * 1_000_000_000L / requestsPerSecond < MIN_WINDOW_NANOS) {
			throw new IllegalArgumentException(
					"hookway.rate-limit window (burst / requests-per-second) must be at least 1 ms");
		}
	}

	private static boolean positive(Duration duration) {
		return !duration.isNegative() && !duration.isZero();
	}

	int quota() {
		return (this.burst != null) ? this.burst : this.requestsPerSecond;
	}

	long windowNanos() {
		return quota() * 1_000_000_000L / this.requestsPerSecond;
	}

	int chunk() {
		return (this.leaseSize != null) ? this.leaseSize : Math.max(1, (quota() + 9) / 10);
	}

	int fallbackQuota() {
		// rounded up, but not for the rounding error of the product (400 * 0.025 is not
		// quite 10 in binary)
		return (int) Math.ceil(quota() * this.fallbackShare - 1e-9);
	}

}
