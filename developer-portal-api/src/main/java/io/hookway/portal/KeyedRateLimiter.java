package io.hookway.portal;

import java.time.Duration;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * A Resilience4j rate limiter per key (an application, a client id), as the gateway
 * limits its API. The limiters live in a bounded cache and are forgotten after a minute
 * without calls: by then a forgotten limiter would have refilled anyway.
 */
public final class KeyedRateLimiter {

	private static final Duration PERIOD = Duration.ofMinutes(1);

	private final String name;

	private final RateLimiterConfig config;

	private final Cache<Object, AtomicRateLimiter> limiters;

	public KeyedRateLimiter(String name, int perMinute, int maxKeys) {
		this.name = name;
		this.config = RateLimiterConfig.custom()
			.limitForPeriod(perMinute)
			.limitRefreshPeriod(PERIOD)
			.timeoutDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build();
		this.limiters = Caffeine.newBuilder().maximumSize(maxKeys).expireAfterAccess(PERIOD).build();
	}

	/**
	 * Takes one permission for the key.
	 * @return empty when permitted, otherwise how long until the next call would be
	 */
	public Optional<Duration> acquire(Object key) {
		AtomicRateLimiter limiter = this.limiters.get(key, (k) -> new AtomicRateLimiter(this.name, this.config));
		if (limiter.acquirePermission()) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofNanos(Math.max(1, limiter.getDetailedMetrics().getNanosToWait())));
	}

	/** For a {@code Retry-After} field: whole seconds, rounded up, at least one. */
	public static long seconds(Duration wait) {
		return Math.max(1, (wait.toNanos() + 999_999_999L) / 1_000_000_000L);
	}

}
