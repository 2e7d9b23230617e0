package io.hookway.dispatcher;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

/**
 * Work a worker has claimed and not finished: counted in all, to bound what one process
 * holds, and per key (a route, an endpoint), so that one slow destination cannot take
 * every slot. Each piece of work runs on its own: a batch is not waited for as a whole,
 * so a hanging destination delays nothing but its own work.
 */
public final class InFlight {

	private final int maxTotal;

	private final AtomicInteger total = new AtomicInteger();

	private final Map<Object, AtomicInteger> perKey = new ConcurrentHashMap<>();

	public InFlight(int maxTotal) {
		this.maxTotal = maxTotal;
	}

	/** How many more rows this worker may claim now. */
	public int capacity() {
		return Math.max(0, this.maxTotal - this.total.get());
	}

	/**
	 * Runs the work if its key has a free slot, calling {@code done} when it ends either
	 * way; returns false, running nothing, when the key is at its limit.
	 */
	public boolean tryLaunch(Object key, int keyLimit, Mono<Void> work, Runnable done) {
		AtomicInteger count = this.perKey.computeIfAbsent(key, (k) -> new AtomicInteger());
		if (count.incrementAndGet() > keyLimit) {
			count.decrementAndGet();
			return false;
		}
		this.total.incrementAndGet();
		work.doFinally((signal) -> {
			count.decrementAndGet();
			this.total.decrementAndGet();
			done.run();
		}).subscribe();
		return true;
	}

	/**
	 * Waits, without blocking a thread, until nothing is in flight or the grace period is
	 * over.
	 */
	public Mono<Void> drained(Duration grace) {
		return Mono.defer(() -> (this.total.get() == 0) ? Mono.just(true) : Mono.empty())
			.repeatWhenEmpty((attempts) -> attempts.delayElements(Duration.ofMillis(50)))
			.timeout(grace, Mono.just(false))
			.then();
	}

}
