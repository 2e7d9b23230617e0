package io.hookway.core.lifecycle;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.context.SmartLifecycle;

/**
 * Work a service repeats in the background while it runs: never two runs at once (a tick
 * that comes while one runs is dropped), and a failed run is logged and tried again at
 * the next tick.
 */
public abstract class PeriodicJob implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(PeriodicJob.class);

	private final String name;

	private final Duration firstRunAfter;

	private final Duration interval;

	private volatile @Nullable Disposable running;

	protected PeriodicJob(String name, Duration firstRunAfter, Duration interval) {
		this.name = name;
		this.firstRunAfter = firstRunAfter;
		this.interval = interval;
	}

	/** One run. */
	protected abstract Mono<?> runOnce();

	@Override
	public void start() {
		this.running = Flux.interval(this.firstRunAfter, this.interval)
			.onBackpressureDrop()
			.concatMap((tick) -> runOnce().onErrorResume((ex) -> {
				logger.warn(this.name + " failed; trying again at the next interval: " + ex);
				return Mono.empty();
			}))
			.subscribe();
	}

	@Override
	public void stop() {
		Disposable current = this.running;
		if (current != null) {
			current.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
