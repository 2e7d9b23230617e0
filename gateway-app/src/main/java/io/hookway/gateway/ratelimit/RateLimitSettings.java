package io.hookway.gateway.ratelimit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The per-application rate limit of the gateway's API.
 *
 * @param requestsPerSecond the sustained rate an application may call at
 * @param burst how many calls an application may make at once; the quota is refilled
 * whole every {@code burst / requestsPerSecond} seconds; defaults to one second's worth
 * @param trackedApplications most applications whose limiter is kept at once; the least
 * recently used beyond it, and any idle for a whole window, are forgotten
 */
@ConfigurationProperties("hookway.rate-limit")
public record RateLimitSettings(@DefaultValue("100") int requestsPerSecond, @Nullable Integer burst,
		@DefaultValue("100000") int trackedApplications) {

	public RateLimitSettings {
		if (requestsPerSecond < 1 || (burst != null && burst < 1) || trackedApplications < 1) {
			throw new IllegalArgumentException("hookway.rate-limit values must be positive");
		}
	}

	int quota() {
		return (this.burst != null) ? this.burst : this.requestsPerSecond;
	}

	long windowNanos() {
		return quota() * 1_000_000_000L / this.requestsPerSecond;
	}

}
