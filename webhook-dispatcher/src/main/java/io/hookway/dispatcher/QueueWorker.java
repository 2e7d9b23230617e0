package io.hookway.dispatcher;

import java.time.Duration;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.context.SmartLifecycle;

/**
 * Drives one queue: on every tick or wake-up it claims and processes batches until a
 * batch comes back short, then waits. What a worker holds is bounded by count
 * ({@code max-in-flight}) and by the bytes of the bodies it holds
 * ({@code max-in-flight-bytes}). Ticks that arrive while a drain runs are dropped, so
 * there is never more than one drain per worker at a time. Claimed rows run on their own,
 * counted in {@link InFlight}; stopping stops claiming and gives them the shutdown grace
 * to finish.
 */
public abstract class QueueWorker implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(QueueWorker.class);

	private final String name;

	private final Duration pollInterval;

	private final int batchSize;

	private final Duration shutdownGrace;

	private final InFlight inFlight;

	private final int refillThreshold;

	private volatile boolean roomLimited;

	private final long maxBytes;

	private volatile boolean bytesLimited;

	private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

	private volatile @Nullable Disposable running;

	protected QueueWorker(String name, DispatcherSettings settings) {
		this.name = name;
		this.pollInterval = settings.pollInterval();
		this.batchSize = settings.batchSize();
		this.shutdownGrace = settings.shutdownGrace();
		this.inFlight = new InFlight(settings.maxInFlight());
		this.refillThreshold = Math.max(1, Math.min(this.batchSize, settings.maxInFlight()) / 2);
		this.maxBytes = settings.maxInFlightBytes().toBytes();
	}

	/**
	 * Claims at most {@code room.rows()} rows (free slots, up to the batch size) whose
	 * bodies sum to at most {@code room.bytes()} (one row even if larger when
	 * {@code room.atLeastOne()}), and launches each; emits how many it claimed. A batch
	 * that filled its room makes the worker ask again at once.
	 */
	protected abstract Mono<Claimed> runBatch(Room room);

	/** Asks for a drain now instead of at the next tick; a hint, cheap to call often. */
	public void wake() {
		this.wakeups.tryEmitNext(Boolean.TRUE);
	}

	/**
	 * Runs the work on its own if its key has a free slot, or queues it behind the key's
	 * running work if fewer than {@code keyQueue} wait there; false, running nothing, if
	 * neither. The work holds its key's slot until it emits the rest, which runs outside
	 * it (see {@link InFlight#tryLaunch}).
	 */
	protected final boolean launch(Object key, int keyLimit, int keyQueue, long weight, Mono<Mono<Void>> work) {
		return this.inFlight.tryLaunch(key, keyLimit, keyQueue, weight, work, this::finished);
	}

	/**
	 * Keys (routes, endpoints) the next claim should leave out: their rows would only be
	 * handed back.
	 */
	protected final Set<Object> busyKeys() {
		return this.inFlight.busyKeys();
	}

	/**
	 * Finished work makes room; it is worth a claim only when the last drain stopped for
	 * want of room or left a busy key's rows behind. Claiming after every finished row
	 * would cost a query per row, so the worker waits until a worthwhile batch fits.
	 */
	private void finished(boolean keyFreed) {
		if (keyFreed || (this.roomLimited && this.inFlight.capacity() >= this.refillThreshold)
				|| (this.bytesLimited && this.inFlight.bytes() <= this.maxBytes / 2)) {
			wake();
		}
	}

	@Override
	public void start() {
		this.running = Flux
			.merge(Flux.interval(Duration.ZERO, this.pollInterval).map((tick) -> Boolean.TRUE), this.wakeups.asFlux())
			.onBackpressureDrop()
			.concatMap((tick) -> drain(), 1)
			.subscribe();
	}

	private Mono<Void> drain() {
		return nextBatch().expand((full) -> full ? nextBatch() : Mono.empty()).then().onErrorResume((ex) -> {
			logger.warn(this.name + " failed a batch; retrying at the next tick: " + ex);
			return Mono.empty();
		});
	}

	/** Emits whether the batch filled the room it had. */
	private Mono<Boolean> nextBatch() {
		return Mono.defer(() -> {
			long held = this.inFlight.bytes();
			int rows = (held >= this.maxBytes) ? 0 : Math.min(this.batchSize, this.inFlight.capacity());
			Room room = new Room(rows, Math.max(0, this.maxBytes - held), held == 0);
			this.roomLimited = rows < this.refillThreshold;
			this.bytesLimited = held >= this.maxBytes;
			if (rows == 0) {
				return Mono.just(false);
			}
			return runBatch(room).map((claimed) -> {
				this.bytesLimited = claimed.cutByBytes();
				return claimed.rows() == rows;
			});
		});
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
		this.inFlight.drained(this.shutdownGrace).doFinally((signal) -> callback.run()).subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

	/**
	 * What one claim may take: rows, and bytes of their bodies; with nothing held, one
	 * row however large, so that a body over the budget is still worked on.
	 *
	 * @param rows most rows
	 * @param bytes most bytes of bodies (payloads) summed over the rows
	 * @param atLeastOne whether the first row is taken whatever its size
	 */
	public record Room(int rows, long bytes, boolean atLeastOne) {
	}

	/**
	 * What a claim took.
	 *
	 * @param rows rows claimed
	 * @param cutByBytes whether due rows were left for want of bytes: the worker then
	 * claims again once half its bytes are free rather than at the next tick
	 */
	public record Claimed(int rows, boolean cutByBytes) {
	}

}
