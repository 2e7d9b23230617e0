package io.hookway.dispatcher;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * Circuit breakers per destination (a route, an endpoint): counted over the last 20
 * calls, open at 50% failures once there have been 10, and let two calls through to probe
 * after the open period.
 */
public final class Breakers {

	private Breakers() {
	}

	public static CircuitBreakerRegistry openingFor(Duration open) {
		return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.waitDurationInOpenState(open)
			.permittedNumberOfCallsInHalfOpenState(2)
			.writableStackTraceEnabled(false)
			.build());
	}

}
