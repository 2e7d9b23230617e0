package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;

/**
 * The destinations of one queue, made on first use. Destinations that come and go
 * (endpoints) are forgotten once idle: nothing held for an idle window, and an open
 * breaker not before its wait is over; and when more than {@code maxTracked} are kept,
 * the longest unused go first. A destination forgotten and used again starts afresh:
 * closed breaker, free slots. The window should be longer than any attempt.
 */
public final class Destinations {

	private final CircuitBreakerRegistry breakers;

	private final BulkheadConfig slots;

	private final Duration openFor;

	private final int maxWaiting;

	private final long idleNanos;

	private final int maxTracked;

	private final LongSupplier ticker;

	private final Map<Object, Destination> destinations = new ConcurrentHashMap<>();

	private final Set<Destination> inUse = ConcurrentHashMap.newKeySet();

	private final AtomicLong lastSweep;

	Destinations(CircuitBreakerRegistry breakers, int slots, Duration openFor, int maxWaiting, Duration idle,
			int maxTracked, LongSupplier ticker) {
		this.breakers = breakers;
		this.slots = BulkheadConfig.custom()
			.maxConcurrentCalls(slots)
			.maxWaitDuration(Duration.ZERO)
			.writableStackTraceEnabled(false)
			.build();
		this.openFor = openFor;
		this.maxWaiting = maxWaiting;
		this.idleNanos = idle.toNanos();
		this.maxTracked = maxTracked;
		this.ticker = ticker;
		this.lastSweep = new AtomicLong(ticker.getAsLong());
	}

	/**
	 * Destinations kept for good, such as the configured routes.
	 * @param slots attempts at once per destination
	 * @param maxWaiting claimed work that may wait for a slot
	 */
	public static Destinations kept(CircuitBreakerRegistry breakers, int slots, Duration openFor, int maxWaiting) {
		return new Destinations(breakers, slots, openFor, maxWaiting, Duration.ofNanos(Long.MAX_VALUE),
				Integer.MAX_VALUE, System::nanoTime);
	}

	/**
	 * Destinations forgotten when idle for the window, and beyond {@code maxTracked} the
	 * longest unused first.
	 */
	public static Destinations forgettingIdle(CircuitBreakerRegistry breakers, int slots, Duration openFor,
			int maxWaiting, Duration idle, int maxTracked) {
		return new Destinations(breakers, slots, openFor, maxWaiting, idle, maxTracked, System::nanoTime);
	}

	/**
	 * The destination, made if need be, held for one piece of work until
	 * {@link Destination#release()}; now and then forgets idle ones first.
	 * @param slots the destination's own number of slots, if not the default
	 */
	public Destination hold(Object key, int slots) {
		long now = this.ticker.getAsLong();
		long last = this.lastSweep.get();
		if ((now - last >= Math.min(this.idleNanos, this.openFor.toNanos()) / 4
				|| this.destinations.size() > this.maxTracked + (long) this.maxTracked / 8)
				&& this.lastSweep.compareAndSet(last, now)) {
			sweep(now);
		}
		// held inside the map's lock for the key, so that a sweep cannot forget it
		// between
		// being found and being held
		return this.destinations.compute(key, (k, existing) -> {
			Destination destination = (existing != null) ? existing : create(k, slots);
			destination.hold(now);
			return destination;
		});
	}

	/** As {@link #hold(Object, int)} with the default number of slots. */
	public Destination hold(Object key) {
		return hold(key, this.slots.getMaxConcurrentCalls());
	}

	private Destination create(Object key, int slots) {
		BulkheadConfig config = (slots == this.slots.getMaxConcurrentCalls()) ? this.slots
				: BulkheadConfig.from(this.slots).maxConcurrentCalls(slots).build();
		String name = key.toString();
		return new Destination(key, Bulkhead.of(name, config), this.breakers.circuitBreaker(name), this.openFor,
				this.maxWaiting, this.inUse, this.ticker);
	}

	/**
	 * Slots free now at the destination: all of {@code slots} when it is not kept.
	 */
	public int freeSlots(Object key, int slots) {
		Destination destination = this.destinations.get(key);
		return (destination != null) ? destination.freeSlots() : slots;
	}

	/** Keys whose destinations are {@linkplain Destination#busy() busy}. */
	public Set<Object> busy() {
		Set<Object> busy = new HashSet<>();
		for (Destination destination : this.inUse) {
			if (destination.busy()) {
				busy.add(destination.key());
			}
		}
		return busy;
	}

	/**
	 * Rows each destination with work here can still take: its free slots and the room in
	 * its line.
	 */
	public Map<Object, Integer> rooms() {
		Map<Object, Integer> rooms = new HashMap<>();
		for (Destination destination : this.inUse) {
			rooms.put(destination.key(), destination.room());
		}
		return rooms;
	}

	/** Destinations kept now. */
	public int size() {
		return this.destinations.size();
	}

	/** The breakers of the destinations kept now. */
	public CircuitBreakerRegistry breakers() {
		return this.breakers;
	}

	/** Forgets the idle destinations now. */
	void sweep() {
		sweep(this.ticker.getAsLong());
	}

	private void sweep(long now) {
		this.destinations.keySet().forEach((key) -> forgetIf(key, (destination) -> idle(destination, now)));
		int excess = this.destinations.size() - this.maxTracked;
		if (excess > 0) {
			this.destinations.values()
				.stream()
				.filter((destination) -> !destination.inUse())
				.sorted(Comparator.comparingLong(Destination::lastUsedNanos))
				.limit(excess)
				.forEach((destination) -> forgetIf(destination.key(), (candidate) -> !candidate.inUse()));
		}
	}

	private boolean idle(Destination destination, long now) {
		long idle = now - destination.lastUsedNanos();
		// a breaker opens while an attempt is held, so an open one has been idle no
		// longer than it has been open
		return !destination.inUse() && idle >= this.idleNanos
				&& (idle >= this.openFor.toNanos() || destination.breaker().getState() != CircuitBreaker.State.OPEN);
	}

	private void forgetIf(Object key, java.util.function.Predicate<Destination> forget) {
		this.destinations.computeIfPresent(key, (k, destination) -> {
			if (!forget.test(destination)) {
				return destination;
			}
			this.breakers.remove(destination.name());
			return null;
		});
	}

}
