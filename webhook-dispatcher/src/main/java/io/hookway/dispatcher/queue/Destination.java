package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Where attempts go (a route's upstream, a webhook endpoint), and what this process keeps
 * for it: a bulkhead of slots, so that one slow destination cannot take every slot; a
 * circuit breaker, so that a failing one is left alone for a while; and a short line of
 * claimed work waiting for a slot, which starts as soon as one frees instead of going
 * back to the database to be claimed again.
 */
public final class Destination {

	private final Object key;

	private final String name;

	private final LongSupplier ticker;

	private final Bulkhead slots;

	private final CircuitBreaker breaker;

	private final Duration openFor;

	private final int maxWaiting;

	private final WaitingLine waiting;

	/** Work admitted for this destination whose attempt has not ended. */
	private int held;

	/** The destinations with work held, which this one joins while it has some. */
	private final Set<Destination> inUse;

	private volatile long lastUsedNanos;

	Destination(Object key, Bulkhead slots, CircuitBreaker breaker, Duration openFor, int maxWaiting,
			Set<Destination> inUse, LongSupplier ticker) {
		this.key = key;
		this.name = key.toString();
		this.ticker = ticker;
		this.inUse = inUse;
		this.slots = slots;
		this.breaker = breaker;
		this.openFor = openFor;
		this.maxWaiting = maxWaiting;
		this.waiting = new WaitingLine(maxWaiting);
	}

	/** What the destination is known by: a route's name, an endpoint's id. */
	public Object key() {
		return this.key;
	}

	public String name() {
		return this.name;
	}

	public CircuitBreaker breaker() {
		return this.breaker;
	}

	/** How long work refused by an open breaker stays away. */
	Duration openFor() {
		return this.openFor;
	}

	/**
	 * The attempt inside a slot and the breaker: a slot is taken first, then the
	 * breaker's permission, so that a half-open breaker's probes go to attempts that run.
	 * Both are given back as soon as the attempt emits its outcome, before anything
	 * downstream of it runs. Fails with {@code BulkheadFullException} when every slot is
	 * taken, {@code CallNotPermittedException} when the breaker is open.
	 */
	<R> Mono<R> guard(Mono<R> attempt) {
		return attempt.transform(CircuitBreakerOperator.of(this.breaker)).transform(BulkheadOperator.of(this.slots));
	}

	/**
	 * Lines the owner's work up for a free slot, if fewer than the line's length wait;
	 * owners take turns.
	 */
	synchronized boolean await(Object owner, Runnable start) {
		return this.waiting.offer(owner, start);
	}

	/** Puts work that lost the race for a slot back at the head of the line. */
	synchronized void awaitAgain(Runnable start) {
		this.waiting.offerFirst(start);
	}

	/** The next waiting work if a slot is free, taken off the line. */
	synchronized @Nullable Runnable next() {
		return (this.slots.getMetrics().getAvailableConcurrentCalls() > 0) ? this.waiting.poll() : null;
	}

	/**
	 * Whether claiming more for this destination now would only hand rows back: every
	 * slot taken and at least half the line full.
	 */
	synchronized boolean busy() {
		return this.slots.getMetrics().getAvailableConcurrentCalls() == 0
				&& this.waiting.size() >= (this.maxWaiting + 1) / 2;
	}

	/** Work this destination can take now: free slots and room in the line. */
	synchronized int room() {
		return freeSlots() + Math.max(0, this.maxWaiting - this.waiting.size());
	}

	/** Slots free now. */
	int freeSlots() {
		return this.slots.getMetrics().getAvailableConcurrentCalls();
	}

	/**
	 * Whether the destination would be {@linkplain #busy() busy} with one more slot
	 * taken: what it was before an attempt that just gave its slot back.
	 */
	synchronized boolean busyButForOneSlot() {
		return freeSlots() <= 1 && this.waiting.size() >= (this.maxWaiting + 1) / 2;
	}

	/** Slots taken now. */
	int running() {
		return this.slots.getBulkheadConfig().getMaxConcurrentCalls()
				- this.slots.getMetrics().getAvailableConcurrentCalls();
	}

	synchronized int waiting() {
		return this.waiting.size();
	}

	synchronized void hold(long now) {
		if (this.held++ == 0) {
			this.inUse.add(this);
		}
		this.lastUsedNanos = now;
	}

	/** The attempt of work held here has ended (or the work was handed back). */
	public synchronized void release() {
		this.lastUsedNanos = this.ticker.getAsLong();
		if (--this.held == 0) {
			this.inUse.remove(this);
		}
	}

	synchronized boolean inUse() {
		return this.held > 0;
	}

	long lastUsedNanos() {
		return this.lastUsedNanos;
	}

}
