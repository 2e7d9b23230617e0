package io.hookway.portal.token;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.hookway.portal.PortalSettings;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Runs the deliberately slow secret hashing on a small pool of its own, so that a flood
 * of token requests cannot take the threads other work needs (DNS look-ups, deliveries).
 * The pool's queue is bounded, each key (a client id at an address) may have only a few
 * secrets in it at once, and a secret not checked by the deadline is given up: callers
 * get {@link Busy} at once rather than waiting their turn forever.
 */
@Component
public class SecretHasher implements DisposableBean {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

	private final ThreadPoolExecutor pool;

	private final int perKey;

	private final Duration deadline;

	/** Only keys with work in the pool: bounded by the pool's threads and queue. */
	private final ConcurrentHashMap<Object, Integer> inPool = new ConcurrentHashMap<>();

	@Autowired
	SecretHasher(PortalSettings settings) {
		this(settings.secretHashing());
	}

	SecretHasher(PortalSettings.SecretHashing settings) {
		this.perKey = settings.perClient();
		this.deadline = settings.deadline();
		AtomicInteger threads = new AtomicInteger();
		ThreadFactory factory = (runnable) -> {
			Thread thread = new Thread(runnable, "hookway-secret-hash-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
		this.pool = new ThreadPoolExecutor(settings.threads(), settings.threads(), 0, TimeUnit.MILLISECONDS,
				new ArrayBlockingQueue<>(settings.queueSize()), factory, new ThreadPoolExecutor.AbortPolicy());
	}

	/**
	 * The work's result, computed on the hashing pool; {@link Busy} when the key already
	 * has its share of the pool, when the pool's queue is full, or when the deadline
	 * passes first.
	 */
	public <T> Mono<T> run(Object key, Callable<T> work) {
		return Mono.defer(() -> {
			if (!enter(key)) {
				return Mono.error(new Busy(true));
			}
			return Mono.<T>create((sink) -> {
				FutureTask<Void> task = new FutureTask<>(() -> {
					T result;
					try {
						result = work.call();
					}
					catch (Exception ex) {
						sink.error(ex);
						return null;
					}
					sink.success(result);
					return null;
				});
				sink.onCancel(() -> {
					task.cancel(false);
					this.pool.remove(task);
				});
				try {
					this.pool.execute(task);
				}
				catch (RejectedExecutionException ex) {
					sink.error(new Busy(false));
				}
			}).timeout(this.deadline, Mono.error(() -> new Busy(false))).doFinally((signal) -> leave(key));
		}).publishOn(Schedulers.parallel());
	}

	private boolean enter(Object key) {
		if (this.inPool.merge(key, 1, Integer::sum) <= this.perKey) {
			return true;
		}
		leave(key);
		return false;
	}

	private void leave(Object key) {
		this.inPool.computeIfPresent(key, (k, count) -> (count > 1) ? count - 1 : null);
	}

	@Override
	public void destroy() {
		this.pool.shutdownNow();
	}

	/**
	 * The hashing pool cannot take this secret now; retry after {@link #retryAfter()}.
	 */
	public static final class Busy extends RuntimeException {

		private final boolean keyLimit;

		Busy(boolean keyLimit) {
			super(keyLimit ? "Too many secrets of this client are being checked at once"
					: "The secret hashing pool is saturated", null, false, false);
			this.keyLimit = keyLimit;
		}

		/**
		 * Whether the key's own share was used up (the client's doing) rather than the
		 * whole pool.
		 */
		public boolean keyLimit() {
			return this.keyLimit;
		}

		public Duration retryAfter() {
			return RETRY_AFTER;
		}

	}

}
