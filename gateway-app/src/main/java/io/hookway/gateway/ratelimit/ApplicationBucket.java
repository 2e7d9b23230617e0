package io.hookway.gateway.ratelimit;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.hookway.core.ratelimit.KeyedRateLimiter.Decision;
import io.hookway.gateway.ratelimit.SharedBudget.Grant;

/**
 * One application's permits in this gateway for the current window: leased from the
 * shared budget a chunk at a time and spent one per call, in memory. At most one lease is
 * in flight; calls that find the bucket empty wait for it together, and the next lease
 * asks for as many permits as there are callers waiting. Permits are for their window
 * only: a new window starts empty, and a lease that lands after its window ended is
 * dropped.
 */
final class ApplicationBucket {

	private static final Mono<Boolean> READY = Mono.just(true);

	private final UUID application;

	private final SharedBudget budget;

	private final Windows windows;

	private final int quota;

	private final int chunk;

	private final int fallbackQuota;

	private long window = Long.MIN_VALUE;

	/** Leased by this gateway for the window and not spent yet. */
	private int permits;

	/** Leased by all gateways for the window, as the last lease saw it. */
	private int granted;

	/** Calls this gateway let through in the window, by lease or fallback share. */
	private int spent;

	/** Callers waiting for a lease now. */
	private int waiting;

	private Sinks.@Nullable One<Boolean> lease;

	ApplicationBucket(UUID application, SharedBudget budget, Windows windows, RateLimitSettings settings) {
		this.application = application;
		this.budget = budget;
		this.windows = windows;
		this.quota = settings.quota();
		this.chunk = settings.chunk();
		this.fallbackQuota = settings.fallbackQuota();
	}

	/**
	 * Spends a permit of the window, or refuses the call once the window's quota is all
	 * leased and this gateway's permits spent. Spending the bucket below half a chunk
	 * leases the next chunk in the background, so that busy applications seldom wait.
	 * @return null when permits must be leased first
	 */
	@Nullable Decision take(long now) {
		Decision decision;
		Sinks.One<Boolean> refill = null;
		long window;
		synchronized (this) {
			roll(now);
			window = this.window;
			if (this.permits > 0) {
				this.permits--;
				this.spent++;
				// what no gateway has leased yet, and what this one has left
				decision = new Decision(true, this.quota - this.granted + this.permits, this.windows.left(window));
				if (this.permits <= this.chunk / 2 && this.lease == null && this.granted < this.quota) {
					refill = Sinks.one();
					this.lease = refill;
				}
			}
			else if (this.granted >= this.quota) {
				return new Decision(false, 0, this.windows.left(window));
			}
			else {
				return null;
			}
		}
		if (refill != null) {
			startLease(window, this.chunk, refill);
		}
		return decision;
	}

	/**
	 * Waits for the lease in flight, or starts one; at once when permits came in or the
	 * quota ran out meanwhile.
	 * @return whether the budget answered
	 */
	Mono<Boolean> lease(long now) {
		Sinks.One<Boolean> answer;
		long window;
		int size;
		synchronized (this) {
			roll(now);
			if (this.permits > 0 || this.granted >= this.quota) {
				return READY;
			}
			this.waiting++;
			if (this.lease != null) {
				return this.lease.asMono().doFinally((signal) -> stopWaiting());
			}
			answer = Sinks.one();
			this.lease = answer;
			window = this.window;
			size = Math.min(this.quota, Math.max(this.chunk, this.waiting));
		}
		startLease(window, size, answer);
		return answer.asMono().doFinally((signal) -> stopWaiting());
	}

	/**
	 * Decides the call without the shared budget: lets it through while this gateway has
	 * let through fewer than the fallback share of the quota in the window, leased
	 * permits included.
	 */
	synchronized Decision fallback(long now) {
		roll(now);
		if (this.spent < this.fallbackQuota) {
			this.spent++;
			return new Decision(true, this.fallbackQuota - this.spent, this.windows.left(this.window));
		}
		return new Decision(false, 0, this.windows.left(this.window));
	}

	/**
	 * Never under the bucket's lock: a lease that fails at once fails every lease of its
	 * statement, other buckets' included, on this thread.
	 */
	private void startLease(long window, int size, Sinks.One<Boolean> answer) {
		// its own subscription: a caller that stops waiting does not lose what it leases
		this.budget.lease(this.application, window, size)
			.subscribe((grant) -> credit(answer, grant), (error) -> failed(answer));
	}

	private void credit(Sinks.One<Boolean> answer, Grant grant) {
		synchronized (this) {
			// a new window has dropped the lease, and its permits with it
			if (this.lease == answer) {
				this.permits += grant.leased();
				this.granted = Math.max(this.granted, grant.granted());
				this.lease = null;
			}
		}
		answer.tryEmitValue(true);
	}

	private void failed(Sinks.One<Boolean> answer) {
		synchronized (this) {
			if (this.lease == answer) {
				this.lease = null;
			}
		}
		answer.tryEmitValue(false);
	}

	private synchronized void stopWaiting() {
		this.waiting--;
	}

	private void roll(long now) {
		// never back: a call that read the clock just before another rolled counts in
		// the new window
		if (now > this.window) {
			this.window = now;
			this.permits = 0;
			this.granted = 0;
			this.spent = 0;
			this.lease = null;
		}
	}

}
