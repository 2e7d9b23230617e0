package io.hookway.gateway.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

import io.hookway.core.ratelimit.KeyedRateLimiter;
import io.hookway.core.ratelimit.KeyedRateLimiter.Decision;
import io.hookway.core.route.RouteSettings;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ProblemCode;
import io.hookway.core.web.ProblemResponses;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.PathContainer;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Limits each application's calls to the gateway API to its quota per window, across all
 * gateways ({@link DeploymentRateLimiter}), and tells the client where it stands on every
 * response with the IETF {@code RateLimit-Policy} and {@code RateLimit} fields. Runs
 * after authentication, since the application comes from the verified token.
 */
@Component
class RateLimitFilter implements WebFilter, Ordered {

	private static final String POLICY = "default";

	private final ProblemResponses problems;

	private final RouteSettings routes;

	private final MeterRegistry meters;

	private final DeploymentRateLimiter limiter;

	private final String policy;

	private final String refusal;

	RateLimitFilter(RateLimitSettings settings, ProblemResponses problems, RouteSettings routes, MeterRegistry meters,
			DeploymentRateLimiter limiter) {
		this.problems = problems;
		this.routes = routes;
		this.meters = meters;
		this.limiter = limiter;
		long windowSeconds = KeyedRateLimiter.seconds(Duration.ofNanos(settings.windowNanos()));
		this.policy = "\"" + POLICY + "\";q=" + settings.quota() + ";w=" + windowSeconds;
		this.refusal = "This application made more than " + settings.quota() + " calls in " + windowSeconds
				+ "s; retry after the time in Retry-After.";
	}

	@Override
	public int getOrder() {
		// after Spring Security's filter chain (-100), which establishes the caller
		return 0;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		String path = exchange.getRequest().getPath().pathWithinApplication().value();
		if (!RateLimitDocumentation.limited(path)) {
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
		return this.limiter.admit(application).flatMap((decision) -> answer(decision, exchange, chain));
	}

	private Mono<Void> answer(Decision decision, ServerWebExchange exchange, WebFilterChain chain) {
		long reset = KeyedRateLimiter.seconds(decision.resetAfter());
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set("RateLimit-Policy", this.policy);
		headers.set("RateLimit", "\"" + POLICY + "\";r=" + decision.remaining() + ";t=" + reset);
		if (decision.permitted()) {
			return chain.filter(exchange);
		}
		headers.set(HttpHeaders.RETRY_AFTER, Long.toString(reset));
		this.meters.counter("hookway.rate.limit.rejections", "route", routeTag(exchange)).increment();
		return this.problems.write(exchange, ProblemResponses.problem(ProblemCode.RATE_LIMITED, this.refusal));
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

}
