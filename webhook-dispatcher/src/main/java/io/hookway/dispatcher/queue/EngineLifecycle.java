package io.hookway.dispatcher.queue;

import org.springframework.context.SmartLifecycle;

/**
 * A queue bean started and stopped with the application through its {@link QueueEngine}:
 * stopping stops claiming and calls back once the work in flight is done or the shutdown
 * grace is over. Phase and auto-start are the defaults, so queue beans that depend on one
 * another start and stop in their dependency order.
 */
public abstract class EngineLifecycle implements SmartLifecycle {

	/** The engine that drives this queue. */
	protected abstract QueueEngine<?, ?> engine();

	@Override
	public final void start() {
		engine().start();
	}

	@Override
	public final void stop() {
		engine().stop();
	}

	@Override
	public final void stop(Runnable callback) {
		engine().stop(callback);
	}

	@Override
	public final boolean isRunning() {
		return engine().isRunning();
	}

}
