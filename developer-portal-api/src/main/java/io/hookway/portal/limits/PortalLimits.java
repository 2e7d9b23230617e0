package io.hookway.portal.limits;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.hookway.core.ratelimit.KeyedRateLimiter;
import io.hookway.core.ratelimit.KeyedRateLimiter.Decision;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ProblemCode;
import io.hookway.portal.PortalSettings;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

/**
 * The portal's per-application and per-client limits ({@code hookway.portal.limits.*}),
 * and the problems that refuse what goes over them.
 */
@Component
public class PortalLimits {

	private static final Duration MINUTE = Duration.ofMinutes(1);

	private final PortalSettings.Limits settings;

	/**
	 * Per process: these are throttles against floods and guessing, not quotas a
	 * deployment sells, so replicas need not share them.
	 */
	private final KeyedRateLimiter<UUID> endpointTests;

	private final KeyedRateLimiter<UUID> deliveryRetries;

	private final KeyedRateLimiter<ClientAtAddress> tokenRequests;

	PortalLimits(PortalSettings settings) {
		this.settings = settings.limits();
		this.endpointTests = perMinute(this.settings.endpointTestsPerMinute());
		this.deliveryRetries = perMinute(this.settings.deliveryRetriesPerMinute());
		this.tokenRequests = perMinute(this.settings.tokenRequestsPerMinute());
	}

	private <K> KeyedRateLimiter<K> perMinute(int quota) {
		return new KeyedRateLimiter<>(quota, MINUTE, this.settings.trackedKeys());
	}

	/** Throws a 429 problem when the application sent too many test events. */
	public void endpointTest(UUID applicationId) {
		Decision decision = this.endpointTests.acquire(applicationId);
		if (!decision.permitted()) {
			refuse(decision.resetAfter(), this.settings.endpointTestsPerMinute() + " test events a minute");
		}
	}

	/**
	 * Throws a 429 problem when the application retried too many deliveries by hand; a
	 * recovery counts as one retry.
	 */
	public void deliveryRetry(UUID applicationId) {
		Decision decision = this.deliveryRetries.acquire(applicationId);
		if (!decision.permitted()) {
			refuse(decision.resetAfter(), this.settings.deliveryRetriesPerMinute() + " retries by hand a minute");
		}
	}

	/**
	 * Takes one token request of the client id from the address: keyed by both, so that a
	 * flood from one address cannot use up the client's requests from another.
	 * @param clientId the client id the request claims
	 * @param address the address the request came from
	 * @return empty when permitted, otherwise how long until the next one would be
	 */
	public Optional<Duration> tokenRequest(String clientId, String address) {
		Decision decision = this.tokenRequests.acquire(new ClientAtAddress(clientId, address));
		return decision.permitted() ? Optional.empty() : Optional.of(decision.resetAfter());
	}

	public int maxEndpointsPerApplication() {
		return this.settings.maxEndpointsPerApplication();
	}

	public ApiProblem endpointLimitReached() {
		int limit = this.settings.maxEndpointsPerApplication();
		ApiProblem problem = new ApiProblem(ProblemCode.ENDPOINT_LIMIT_REACHED,
				"An application may have at most " + limit
						+ " webhook endpoints (hookway.portal.limits.max-endpoints-per-application); "
						+ "delete one before adding another.");
		problem.getBody().setProperty("limit", limit);
		return problem;
	}

	private record ClientAtAddress(String clientId, String address) {
	}

	private static void refuse(Duration wait, String limit) {
		ApiProblem problem = new ApiProblem(ProblemCode.RATE_LIMITED,
				"This application may make at most " + limit + "; retry after the time in Retry-After.");
		problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(KeyedRateLimiter.seconds(wait)));
		throw problem;
	}

}
