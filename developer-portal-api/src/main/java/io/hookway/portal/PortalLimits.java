package io.hookway.portal;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

import io.hookway.core.web.ApiProblem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The portal's per-application and per-client limits ({@code hookway.portal.limits.*}),
 * and the problems that refuse what goes over them.
 */
@Component
public class PortalLimits {

	private final PortalSettings.Limits settings;

	private final KeyedRateLimiter endpointTests;

	private final KeyedRateLimiter deliveryRetries;

	private final KeyedRateLimiter tokenRequests;

	PortalLimits(PortalSettings settings) {
		this.settings = settings.limits();
		this.endpointTests = new KeyedRateLimiter("endpoint-tests", this.settings.endpointTestsPerMinute(),
				this.settings.trackedKeys());
		this.deliveryRetries = new KeyedRateLimiter("delivery-retries", this.settings.deliveryRetriesPerMinute(),
				this.settings.trackedKeys());
		this.tokenRequests = new KeyedRateLimiter("token-requests", this.settings.tokenRequestsPerMinute(),
				this.settings.trackedKeys());
	}

	/** Throws a 429 problem when the application sent too many test events. */
	public void endpointTest(UUID applicationId) {
		this.endpointTests.acquire(applicationId)
			.ifPresent((wait) -> refuse(wait, this.settings.endpointTestsPerMinute() + " test events a minute"));
	}

	/** Throws a 429 problem when the application retried too many deliveries by hand. */
	public void deliveryRetry(UUID applicationId) {
		this.deliveryRetries.acquire(applicationId)
			.ifPresent((wait) -> refuse(wait, this.settings.deliveryRetriesPerMinute() + " retries by hand a minute"));
	}

	/**
	 * Takes one token request of the client id from the address: keyed by both, so that a
	 * flood from one address cannot use up the client's requests from another.
	 * @param clientId the client id the request claims
	 * @param address the address the request came from
	 * @return empty when permitted, otherwise how long until the next one would be
	 */
	public Optional<Duration> tokenRequest(String clientId, String address) {
		return this.tokenRequests.acquire(new ClientAtAddress(clientId, address));
	}

	public int maxEndpointsPerApplication() {
		return this.settings.maxEndpointsPerApplication();
	}

	public ApiProblem endpointLimitReached() {
		int limit = this.settings.maxEndpointsPerApplication();
		ApiProblem problem = new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "endpoint_limit_reached",
				"An application may have at most " + limit
						+ " webhook endpoints (hookway.portal.limits.max-endpoints-per-application); "
						+ "delete one before adding another.");
		problem.getBody().setProperty("limit", limit);
		return problem;
	}

	private record ClientAtAddress(String clientId, String address) {
	}

	private static void refuse(Duration wait, String limit) {
		ApiProblem problem = new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
				"This application may make at most " + limit + "; retry after the time in Retry-After.");
		problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(KeyedRateLimiter.seconds(wait)));
		throw problem;
	}

}
