package io.hookway.dispatcher;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.HashSet;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import reactor.core.publisher.Mono;

/**
 * Work a worker has claimed and not finished: counted in all and in bytes (what its
 * bodies take in memory), to bound what one process holds, and per key (a route, an
 * endpoint), so that one slow destination cannot take every slot. Each piece of work runs
 * on its own: a batch is not waited for as a whole, so a hanging destination delays
 * nothing but its own work. A key at its limit may keep a short queue of claimed work
 * that starts as soon as one of its slots frees, instead of handing the work back to the
 * database to be claimed again. A key is forgotten once nothing runs or waits for it:
 * endpoints come and go, and {@link #busyKeys()} walks every key on each claim.
 */
public final class InFlight {

	private final int maxTotal;

	private final AtomicInteger total = new AtomicInteger();

	private final AtomicLong bytes = new AtomicLong();

	private final Map<Object, Key> keys = new ConcurrentHashMap<>();

	public InFlight(int maxTotal) {
		this.maxTotal = maxTotal;
	}

	/** How many more rows this worker may claim now. */
	public int capacity() {
		return Math.max(0, this.maxTotal - this.total.get());
	}

	/** Bytes (bodies, payloads) of the work held now. */
	public long bytes() {
		return this.bytes.get();
	}

	/**
	 * Runs the work if its key has a free slot, or queues it behind the key's running
	 * work if fewer than {@code keyQueue} are waiting there; returns false, running
	 * nothing, when the key is full. The work holds the key's slot until it emits what
	 * remains to be done (recording the outcome, say), which then runs outside the slot
	 * but still counted in all; {@code done} is called when that ends, either way, with
	 * whether the key stopped being {@linkplain #busyKeys() busy}.
	 */
	public boolean tryLaunch(Object key, int keyLimit, int keyQueue, long weight, Mono<Mono<Void>> work,
			Consumer<Boolean> done) {
		Waiting waiting = new Waiting(work, weight);
		Admission[] admission = { Admission.REFUSED };
		// admitted under the map's lock for the key, so that a key being dropped as idle
		// cannot take work with it
		this.keys.compute(key, (k, existing) -> {
			Key state = (existing != null) ? existing : new Key();
			synchronized (state) {
				state.limit = keyLimit;
				state.queue = keyQueue;
				if (state.running < keyLimit) {
					state.running++;
					admission[0] = Admission.RUN;
				}
				else if (state.waiting.size() < keyQueue) {
					state.waiting.add(waiting);
					admission[0] = Admission.QUEUED;
				}
				return state.idle() ? null : state;
			}
		});
		if (admission[0] == Admission.REFUSED) {
			return false;
		}
		this.total.incrementAndGet();
		this.bytes.addAndGet(weight);
		if (admission[0] == Admission.RUN) {
			run(key, waiting, done);
		}
		return true;
	}

	/** Keys with work running or queued: the others are forgotten. */
	int keys() {
		return this.keys.size();
	}

	/**
	 * Keys with so much running and queued that claiming more for them now would only
	 * hand rows back: every slot taken and at least half the queue full.
	 */
	public Set<Object> busyKeys() {
		Set<Object> busy = new HashSet<>();
		this.keys.forEach((key, state) -> {
			synchronized (state) {
				if (state.busy()) {
					busy.add(key);
				}
			}
		});
		return busy;
	}

	private void run(Object key, Waiting waiting, Consumer<Boolean> done) {
		AtomicBoolean released = new AtomicBoolean();
		AtomicBoolean keyFreed = new AtomicBoolean();
		Runnable releaseSlot = () -> {
			if (released.compareAndSet(false, true)) {
				Waiting[] next = { null };
				// the key stays in the map while anything runs or waits for it, so it is
				// still there; it leaves it once nothing does
				this.keys.computeIfPresent(key, (k, state) -> {
					synchronized (state) {
						boolean wasBusy = state.busy();
						next[0] = state.waiting.poll();
						if (next[0] == null) {
							state.running--;
						}
						keyFreed.set(wasBusy && !state.busy());
						return state.idle() ? null : state;
					}
				});
				if (next[0] != null) {
					run(key, next[0], done);
				}
			}
		};
		waiting.work().onErrorResume((ex) -> Mono.empty()).defaultIfEmpty(Mono.empty()).flatMap((rest) -> {
			releaseSlot.run();
			return rest;
		}).doFinally((signal) -> {
			releaseSlot.run();
			this.total.decrementAndGet();
			this.bytes.addAndGet(-waiting.weight());
			done.accept(keyFreed.get());
		}).subscribe();
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

	private record Waiting(Mono<Mono<Void>> work, long weight) {
	}

	private enum Admission {

		RUN, QUEUED, REFUSED

	}

	private static final class Key {

		private int running;

		private int limit;

		private int queue;

		private final Queue<Waiting> waiting = new ArrayDeque<>();

		boolean idle() {
			return this.running == 0 && this.waiting.isEmpty();
		}

		boolean busy() {
			return this.running >= this.limit && this.waiting.size() >= (this.queue + 1) / 2;
		}

	}

}
