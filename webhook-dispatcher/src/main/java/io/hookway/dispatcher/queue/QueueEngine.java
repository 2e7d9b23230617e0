package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.List;

import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.hookway.dispatcher.DispatcherSettings;

import org.springframework.context.SmartLifecycle;

/**
 * Drives one {@link WorkQueue}: on every tick it makes the rows whose time has come
 * claimable, and on every tick or wake-up it claims and starts rows until a claim brings
 * none or no room is left ({@link EngineRoom}), then waits. Ticks that arrive while a
 * drain runs are dropped, so there is never more than one drain at a time.
 * <p>
 * Each claimed row runs on its own, through its destination: a free slot and a closed
 * breaker let its attempt run; with every slot taken it waits in the destination's line
 * (and is handed back if the line is full, or once half its lease is gone); an open
 * breaker hands it back until the breaker's wait is over; so does an attempt that fails
 * with {@link NotYet}, for as long as it says. A handed-back row is due again without its
 * attempt counted; hand-backs are written in groups. The outcome is recorded after the
 * slot is freed, and a freed slot starts the next waiting row at once.
 */
public final class QueueEngine<W extends Leased, R> implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(QueueEngine.class);

	/** When a destination's slots and line are full, its rows are due again this soon. */
	static final Duration BUSY_RETRY = Duration.ofSeconds(1);

	private final String name;

	private final WorkQueue<W, R> queue;

	private final Duration pollInterval;

	private final Duration lease;

	private final Duration shutdownGrace;

	private final EngineRoom room;

	private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

	private final HandBacks<W> handBacks;

	private final ApplicationTurns turns = new ApplicationTurns();

	private volatile @Nullable Disposable running;

	public QueueEngine(String name, DispatcherSettings settings, WorkQueue<W, R> queue) {
		this.name = name;
		this.queue = queue;
		this.pollInterval = settings.pollInterval();
		this.lease = settings.lease();
		this.shutdownGrace = settings.shutdownGrace();
		this.room = new EngineRoom(settings.maxInFlight(), settings.maxInFlightBytes().toBytes(), settings.batchSize());
		this.handBacks = new HandBacks<>(queue);
	}

	/** Asks for a drain now instead of at the next tick; a hint, cheap to call often. */
	public void wake() {
		this.wakeups.tryEmitNext(Boolean.FALSE);
	}

	@Override
	public void start() {
		this.running = Flux
			.merge(Flux.interval(Duration.ZERO, this.pollInterval).map((tick) -> Boolean.TRUE), this.wakeups.asFlux())
			.onBackpressureDrop()
			.concatMap(this::drain, 1)
			.subscribe();
	}

	/** A tick (true) also promotes due rows; a wake-up only claims. */
	private Mono<Void> drain(boolean tick) {
		Mono<Long> promoted = tick ? this.queue.promote() : Mono.just(0L);
		return promoted.then(nextClaim())
			.expand((more) -> more ? nextClaim() : Mono.empty())
			.then()
			.onErrorResume((ex) -> {
				logger.warn(this.name + " failed a claim; retrying at the next tick: " + ex);
				return Mono.empty();
			});
	}

	/** Emits whether the claim brought rows: there may be more. */
	private Mono<Boolean> nextClaim() {
		return Mono.defer(() -> {
			EngineRoom.Space space = this.room.forClaim();
			if (space.rows() == 0) {
				return Mono.just(false);
			}
			Claim claim = new Claim(Lease.take(), space.rows(), space.bytes(), space.empty(), this.turns.start());
			return this.queue.claim(claim).map((claimed) -> {
				this.room.claimed(claimed.cutByBytes());
				this.turns.served(claim.start(), claimed.rows());
				claimed.rows().forEach(this::admit);
				return !claimed.rows().isEmpty();
			});
		});
	}

	/**
	 * Starts rows this process already holds under a lease, taken without a claim (as
	 * deliveries inserted leased by a task's completion), as far as the bytes in flight
	 * leave room; the others are handed back at once, for a claim to take when there is.
	 */
	public void adopt(List<W> rows) {
		for (W work : rows) {
			if (this.room.fits(work.weight())) {
				admit(work);
			}
			else {
				this.room.take(work.weight(), true);
				handBack(work, null, Duration.ZERO);
			}
		}
	}

	private void admit(W work) {
		this.room.take(work.weight(), false);
		start(work, this.queue.destination(work), false);
	}

	private void start(W work, @Nullable Destination destination, boolean waited) {
		// work that waited (in a line, or for a completion's rows to be read) for half
		// its
		// lease could still be running when the lease runs out and another worker takes
		// it
		if (work.lease().halfGone(this.lease)) {
			handBack(work, destination, Duration.ZERO);
			return;
		}
		Mono<R> attempt = Mono.defer(() -> this.queue.attempt(work))
			.switchIfEmpty(Mono.error(() -> new IllegalStateException("The attempt gave no outcome")));
		Mono<R> guarded = (destination != null) ? destination.guard(attempt) : attempt;
		guarded.subscribe((outcome) -> attempted(work, destination, outcome),
				(error) -> refused(work, destination, error, waited));
	}

	/** The attempt ended and its slot is free: the next waiting row starts first. */
	private void attempted(W work, @Nullable Destination destination, R outcome) {
		attemptOver(destination);
		this.room.recordingStarted();
		Mono.defer(() -> this.queue.record(work, outcome)).onErrorResume((ex) -> {
			// left to the lease, which runs out: the work is done again
			logger.warn(this.name + " could not record an outcome: " + ex);
			return Mono.empty();
		}).doFinally((signal) -> {
			this.room.recordingEnded();
			finish(work);
		}).subscribe();
	}

	private void refused(W work, @Nullable Destination destination, Throwable error, boolean waited) {
		if (destination != null && error instanceof BulkheadFullException) {
			Runnable again = () -> start(work, destination, true);
			if (waited) {
				destination.awaitAgain(again);
			}
			else if (!destination.await(work.applicationId(), again)) {
				handBack(work, destination, BUSY_RETRY);
				return;
			}
			// a slot may have freed before the work joined the line, with no one left to
			// start it
			startWaiting(destination);
		}
		else if (destination != null && error instanceof CallNotPermittedException) {
			handBack(work, destination, destination.openFor());
		}
		else if (error instanceof NotYet notYet) {
			handBack(work, destination, notYet.delay());
		}
		else {
			logger.warn(this.name + " failed an attempt; its lease runs out and it is tried again: " + error);
			attemptOver(destination);
			finish(work);
		}
	}

	private void attemptOver(@Nullable Destination destination) {
		boolean roomAgain = this.room.attemptOver();
		if (destination != null) {
			// the slot is already given back: busy before means this was the only free
			// one
			boolean wasBusy = destination.busyButForOneSlot();
			destination.release();
			startWaiting(destination);
			if (wasBusy && !destination.busy()) {
				wake();
				return;
			}
		}
		if (roomAgain) {
			wake();
		}
	}

	private void startWaiting(Destination destination) {
		Runnable next;
		while ((next = destination.next()) != null) {
			next.run();
		}
	}

	private void handBack(W work, @Nullable Destination destination, Duration delay) {
		attemptOver(destination);
		this.handBacks.handBack(work, delay).onErrorResume((ex) -> {
			logger.debug(this.name + " could not hand a row back; its lease runs out instead: " + ex);
			return Mono.empty();
		}).doFinally((signal) -> finish(work)).subscribe();
	}

	/** Finished work makes room; it is worth a claim when the last one was cut short. */
	private void finish(W work) {
		if (this.room.finished(work.weight())) {
			wake();
		}
	}

	/** Rows claimed and not yet recorded or handed back. */
	public int held() {
		return this.room.held();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	/**
	 * Stops claiming, then calls back once the work in flight is done or the grace is
	 * over.
	 */
	@Override
	public void stop(Runnable callback) {
		stop();
		Mono.defer(() -> (this.room.held() == 0) ? Mono.just(true) : Mono.empty())
			.repeatWhenEmpty((attempts) -> attempts.delayElements(Duration.ofMillis(50)))
			.timeout(this.shutdownGrace, Mono.just(false))
			.doFinally((signal) -> callback.run())
			.subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
