package io.hookway.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import io.hookway.core.route.RouteSettings;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ProblemResponses;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Limits each application's calls to the gateway API with a Resilience4j rate limiter of
 * its own, and tells the client where it stands on every response with the IETF
 * {@code RateLimit-Policy} and {@code RateLimit} fields. Runs after authentication, since
 * the application comes from the verified token.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

	private static final String POLICY = "default";

	private final RateLimitSettings settings;

	private final ProblemResponses problems;

	private final RateLimiterConfig config;

	private final RouteSettings routes;

	private final MeterRegistry meters;

	/**
	 * Bounded and forgotten when idle: application ids come from tokens, which an
	 * external issuer may mint for any number of applications. A limiter idle for a whole
	 * window has refilled, so forgetting it changes no answer.
	 */
	private final Cache<UUID, Limiter> limiters;

	RateLimitFilter(RateLimitSettings settings, ProblemResponses problems, RouteSettings routes, MeterRegistry meters) {
		this.settings = settings;
		this.problems = problems;
		this.routes = routes;
		this.meters = meters;
		this.config = RateLimiterConfig.custom()
			.limitForPeriod(settings.quota())
			.limitRefreshPeriod(Duration.ofNanos(settings.windowNanos()))
			.timeoutDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build();
		this.limiters = Caffeine.newBuilder()
			.maximumSize(settings.trackedApplications())
			.expireAfterAccess(Duration.ofNanos(settings.windowNanos()).plusSeconds(1))
			.build();
	}

	/** Applications whose limiter is kept now. */
	long trackedApplications() {
		this.limiters.cleanUp();
		return this.limiters.estimatedSize();
	}

	@Override
	public int getOrder() {
		// after Spring Security's filter chain (-100), which establishes the caller
		return 0;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!path.startsWith("/api/") && !path.startsWith("/v1/tasks")) {
			return chain.filter(exchange);
		}
		return ReactiveSecurityContextHolder.getContext()
			.map((context) -> (context.getAuthentication() instanceof JwtAuthenticationToken jwt)
					? Caller.of(jwt.getToken()).applicationId() : Optional.<UUID>empty())
			.defaultIfEmpty(Optional.empty())
			.flatMap((application) -> application.isPresent() ? limit(application.get(), exchange, chain)
					: chain.filter(exchange));
	}

	private Mono<Void> limit(UUID application, ServerWebExchange exchange, WebFilterChain chain) {
		Limiter limiter = this.limiters.get(application, this::newLimiter);
		boolean permitted = limiter.rateLimiter().acquirePermission(1);
		long windowNanos = this.settings.windowNanos();
		long resetNanos = windowNanos - ((System.nanoTime() - limiter.startNanos()) % windowNanos);
		int remaining = Math.max(0, limiter.rateLimiter().getMetrics().getAvailablePermissions());
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set("RateLimit-Policy",
				"\"" + POLICY + "\";q=" + this.settings.quota() + ";w=" + ceilSeconds(windowNanos));
		headers.set("RateLimit", "\"" + POLICY + "\";r=" + remaining + ";t=" + ceilSeconds(resetNanos));
		if (permitted) {
			return chain.filter(exchange);
		}
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(ceilSeconds(resetNanos)));
		this.meters.counter("hookway.rate.limit.rejections", "route", routeTag(exchange)).increment();
		return this.problems.write(exchange,
				ProblemResponses.problem(HttpStatus.TOO_MANY_REQUESTS, "rate_limited",
						"This application made more than " + this.settings.quota() + " calls in "
								+ ceilSeconds(windowNanos) + "s; retry after the time in Retry-After."));
	}

	/**
	 * The configured route a refused call was for, or {@code none} for task reads and
	 * unknown routes: a tag taken from the path as sent would let callers mint series.
	 */
	private String routeTag(ServerWebExchange exchange) {
		List<PathContainer.Element> elements = exchange.getRequest().getPath().pathWithinApplication().elements();
		// elements alternate separators and segments: /, api, /, {route}
		if (elements.size() >= 4 && elements.get(1).value().equals("api")) {
			String route = elements.get(3).value();
			if (this.routes.route(route).isPresent()) {
				return route;
			}
		}
		return "none";
	}

	private Limiter newLimiter(UUID application) {
		// the limiter's cycles start at its creation: remember when, to tell clients when
		// the quota resets
		long start = System.nanoTime();
		return new Limiter(new AtomicRateLimiter(application.toString(), this.config, Map.of(), System::nanoTime),
				start);
	}

	private static long ceilSeconds(long nanos) {
		return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
	}

	private record Limiter(AtomicRateLimiter rateLimiter, long startNanos) {
	}

}
