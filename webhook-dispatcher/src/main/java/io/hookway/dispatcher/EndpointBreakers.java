package io.hookway.dispatcher;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * Circuit breakers of destinations that come and go (endpoints), each forgotten once it
 * has been neither asked for nor changed state for an idle window: otherwise every
 * endpoint ever delivered to would keep one. An open breaker is kept at least until its
 * wait is over. The window should be longer than any call, so that no breaker is dropped
 * while an outcome is pending. A breaker forgotten then asked for again starts closed and
 * empty.
 */
public final class EndpointBreakers {

	private final CircuitBreakerRegistry registry;

	private final long idleNanos;

	private final long openNanos;

	private final LongSupplier ticker;

	/** When each breaker in the registry was last asked for or changed state. */
	private final Map<String, Long> lastActive = new ConcurrentHashMap<>();

	private final AtomicLong lastSweep;

	public EndpointBreakers(CircuitBreakerRegistry registry, Duration open, Duration idle) {
		this(registry, open, idle, System::nanoTime);
	}

	EndpointBreakers(CircuitBreakerRegistry registry, Duration open, Duration idle, LongSupplier ticker) {
		this.registry = registry;
		this.idleNanos = idle.toNanos();
		this.openNanos = open.toNanos();
		this.ticker = ticker;
		this.lastSweep = new AtomicLong(ticker.getAsLong());
		registry.getEventPublisher()
			.onEntryAdded((added) -> added.getAddedEntry()
				.getEventPublisher()
				.onStateTransition((event) -> touch(event.getCircuitBreakerName())));
	}

	/** What the breakers are counted from: only the ones not forgotten. */
	public CircuitBreakerRegistry registry() {
		return this.registry;
	}

	/**
	 * The breaker of the destination, created closed if there is none; now and then,
	 * forgets the idle ones first.
	 */
	public CircuitBreaker get(String name) {
		long now = this.ticker.getAsLong();
		long last = this.lastSweep.get();
		if (now - last >= Math.min(this.idleNanos, this.openNanos) / 4 && this.lastSweep.compareAndSet(last, now)) {
			sweep(now);
		}
		// marked active before it is looked up, so that a sweep running now either sees
		// it active or has already dropped it from the registry
		this.lastActive.put(name, now);
		return this.registry.circuitBreaker(name);
	}

	/** Forgets the breakers idle for the window. */
	void sweep() {
		sweep(this.ticker.getAsLong());
	}

	private void sweep(long now) {
		this.lastActive.forEach((name, active) -> {
			long idle = now - active;
			// a breaker changing state is active: one that opened has been idle no longer
			// than it has been open
			if (idle >= this.idleNanos && (idle >= this.openNanos || !open(name))
					&& this.lastActive.remove(name, active)) {
				this.registry.remove(name);
			}
		});
	}

	private boolean open(String name) {
		return this.registry.find(name).map((breaker) -> breaker.getState() == CircuitBreaker.State.OPEN).orElse(false);
	}

	private void touch(String name) {
		// a transition of a breaker already dropped (its last call ending) is no activity
		this.lastActive.computeIfPresent(name, (key, active) -> this.ticker.getAsLong());
	}

}
