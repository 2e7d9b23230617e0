package io.hookway.gateway.ratelimit;

import java.time.Duration;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import io.hookway.core.ratelimit.KeyedRateLimiter.Decision;

import org.springframework.stereotype.Component;

/**
 * Each application's rate limit across all gateways. A call spends a permit its gateway
 * leased from the shared budget, in memory; only when the gateway has none left for the
 * window does the call wait for a new lease, at most the lease timeout. When the budget
 * does not answer in time the call is decided by the gateway's fallback share: while the
 * database is out of reach the deployment fails open, up to that share of the quota per
 * gateway and window.
 */
@Component
class DeploymentRateLimiter {

	private final SharedBudget budget;

	private final Windows windows;

	private final RateLimitSettings settings;

	private final Duration leaseTimeout;

	/**
	 * Bounded and forgotten when idle: application ids come from tokens, which an
	 * external issuer may mint for any number of applications. A bucket idle for a whole
	 * window holds nothing that is still valid, so forgetting it changes no answer.
	 */
	private final Cache<UUID, ApplicationBucket> buckets;

	private final Counter fallbackDecisions;

	DeploymentRateLimiter(RateLimitSettings settings, SharedBudget budget, MeterRegistry meters) {
		this.budget = budget;
		this.windows = budget.windows();
		this.settings = settings;
		this.leaseTimeout = settings.leaseTimeout();
		this.buckets = Caffeine.newBuilder()
			.maximumSize(settings.trackedApplications())
			.expireAfterAccess(Duration.ofNanos(settings.windowNanos()).plusSeconds(1))
			.build();
		this.fallbackDecisions = meters.counter("hookway.rate.limit.fallback.decisions");
	}

	/** Takes one permit of the application's quota, if one is left. */
	Mono<Decision> admit(UUID application) {
		ApplicationBucket bucket = this.buckets.get(application, this::newBucket);
		Decision decision = bucket.take(this.windows.current());
		if (decision != null) {
			return Mono.just(decision);
		}
		return afterLease(bucket).timeout(this.leaseTimeout, Mono.fromSupplier(() -> fallback(bucket)));
	}

	private Mono<Decision> afterLease(ApplicationBucket bucket) {
		return bucket.lease(this.windows.current()).flatMap((answered) -> {
			if (!answered) {
				return Mono.just(fallback(bucket));
			}
			// others waiting for the same lease may have spent it: then lease again
			Decision decision = bucket.take(this.windows.current());
			return (decision != null) ? Mono.just(decision) : afterLease(bucket);
		});
	}

	private Decision fallback(ApplicationBucket bucket) {
		this.fallbackDecisions.increment();
		return bucket.fallback(this.windows.current());
	}

	private ApplicationBucket newBucket(UUID application) {
		return new ApplicationBucket(application, this.budget, this.windows, this.settings);
	}

	/** Applications whose bucket is kept now. */
	long trackedApplications() {
		this.buckets.cleanUp();
		return this.buckets.estimatedSize();
	}

}
