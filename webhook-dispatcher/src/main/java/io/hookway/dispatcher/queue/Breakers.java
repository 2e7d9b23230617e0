package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Circuit breakers per destination (a route, an endpoint): counted over the last 20
 * calls, open at 50% failures once there have been 10, and let two calls through to probe
 * after the open period. An attempt's outcome is a value, not an error: the breaker
 * counts it as a failure when the destination's predicate says so. Work put off
 * ({@link NotYet}) was not sent, and is not counted at all.
 */
public final class Breakers {

	private static final Logger logger = LoggerFactory.getLogger(Breakers.class);

	private static final List<CircuitBreaker.State> PUBLISHED = List.of(CircuitBreaker.State.CLOSED,
			CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);

	private Breakers() {
	}

	/**
	 * @param key what a breaker's name is, in its log events ({@code route},
	 * {@code endpointId})
	 * @param display a breaker's name as logged
	 * @param failed which attempt outcomes count as failures
	 */
	public static CircuitBreakerRegistry openingFor(Duration open, String key, UnaryOperator<String> display,
			Predicate<Object> failed) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(20)
			.minimumNumberOfCalls(10)
			.failureRateThreshold(50)
			.waitDurationInOpenState(open)
			.permittedNumberOfCallsInHalfOpenState(2)
			.recordResult(failed)
			.ignoreExceptions(NotYet.class)
			.writableStackTraceEnabled(false)
			.build());
		registry.getEventPublisher()
			.onEntryAdded((added) -> added.getAddedEntry()
				.getEventPublisher()
				.onStateTransition((event) -> logTransition(event, key, display.apply(event.getCircuitBreakerName()))));
		return registry;
	}

	/**
	 * Opening is what an operator wants to hear about; closing again, that it is over.
	 */
	private static void logTransition(CircuitBreakerOnStateTransitionEvent event, String key, String name) {
		CircuitBreaker.State to = event.getStateTransition().getToState();
		logger.atLevel((to == CircuitBreaker.State.OPEN) ? Level.WARN : Level.INFO)
			.addKeyValue(key, name)
			.addKeyValue("breakerState", name(to))
			.log("Circuit breaker of {} {} is now {}", key, name, name(to));
	}

	/**
	 * {@code hookway.route.breaker.state}: per route and state, 1 for the state its
	 * breaker is in and 0 for the others. Routes are few and fixed by configuration.
	 */
	public static void publishPerRoute(CircuitBreakerRegistry breakers, Collection<String> routes,
			MeterRegistry meters) {
		for (String route : routes) {
			CircuitBreaker breaker = breakers.circuitBreaker(route);
			for (CircuitBreaker.State state : PUBLISHED) {
				Gauge.builder("hookway.route.breaker.state", breaker, (b) -> (b.getState() == state) ? 1 : 0)
					.tag("route", route)
					.tag("state", name(state))
					.description("1 for the state the route's circuit breaker is in")
					.register(meters);
			}
		}
	}

	/**
	 * {@code hookway.endpoint.breakers}: how many endpoint breakers are in each state. A
	 * series per endpoint would grow with every endpoint ever delivered to; which
	 * endpoints are open is logged when they open.
	 */
	public static void publishCounts(CircuitBreakerRegistry breakers, MeterRegistry meters) {
		for (CircuitBreaker.State state : PUBLISHED) {
			Gauge
				.builder("hookway.endpoint.breakers", breakers,
						(registry) -> registry.getAllCircuitBreakers()
							.stream()
							.filter((breaker) -> breaker.getState() == state)
							.count())
				.tag("state", name(state))
				.description("endpoint circuit breakers in this state")
				.register(meters);
		}
	}

	private static String name(CircuitBreaker.State state) {
		return state.name().toLowerCase(Locale.ROOT);
	}

}
