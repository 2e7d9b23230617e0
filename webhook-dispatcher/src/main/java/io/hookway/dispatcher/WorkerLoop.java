package io.hookway.dispatcher;

import java.time.Duration;
import java.util.function.Supplier;

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
 * batch comes back short, then waits. Ticks that arrive while a drain runs are dropped,
 * so there is never more than one drain per loop at a time.
 */
public final class WorkerLoop implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(WorkerLoop.class);

	private final String name;

	private final Duration pollInterval;

	private final int batchSize;

	private final Supplier<Mono<Integer>> batch;

	private final Sinks.Many<Boolean> wakeups = Sinks.many().multicast().directBestEffort();

	private volatile @Nullable Disposable running;

	public WorkerLoop(String name, Duration pollInterval, int batchSize, Supplier<Mono<Integer>> batch) {
		this.name = name;
		this.pollInterval = pollInterval;
		this.batchSize = batchSize;
		this.batch = batch;
	}

	/** Asks for a drain now instead of at the next tick; a hint, cheap to call often. */
	public void wake() {
		this.wakeups.tryEmitNext(Boolean.TRUE);
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
		return Mono.defer(this.batch)
			.expand((count) -> (count >= this.batchSize) ? Mono.defer(this.batch) : Mono.empty())
			.then()
			.onErrorResume((ex) -> {
				logger.warn(this.name + " failed a batch; retrying at the next tick: " + ex);
				return Mono.empty();
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
	public void stopAfter(InFlight inFlight, Duration grace, Runnable callback) {
		stop();
		inFlight.drained(grace).doFinally((signal) -> callback.run()).subscribe();
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
