package io.hookway.core.ratelimit;

import java.time.Duration;
import java.util.function.LongSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A fixed-window limit per key (an application, a client id at an address), kept in this
 * process: a key may take {@code quota} permits in a window, and its window starts with
 * its first call after the previous one ended. Keys live in a bounded cache and are
 * forgotten after a window without calls, by when they would have refilled anyway; the
 * least recently used go first when the cache is full.
 *
 * @param <K> the key
 */
public final class KeyedRateLimiter<K> {

	private final int quota;

	private final long windowNanos;

	private final LongSupplier nanoTime;

	private final Cache<K, Window> windows;

	/**
	 * @param quota permits per window; zero refuses everything
	 * @param window how long a window lasts
	 * @param maxKeys most keys remembered at once
	 */
	public KeyedRateLimiter(int quota, Duration window, int maxKeys) {
		this(quota, window, maxKeys, System::nanoTime);
	}

	KeyedRateLimiter(int quota, Duration window, int maxKeys, LongSupplier nanoTime) {
		if (quota < 0 || window.isNegative() || window.isZero() || maxKeys < 1) {
			throw new IllegalArgumentException("quota must not be negative, window and maxKeys must be positive");
		}
		this.quota = quota;
		this.windowNanos = window.toNanos();
		this.nanoTime = nanoTime;
		this.windows = Caffeine.newBuilder()
			.maximumSize(maxKeys)
			.expireAfterAccess(window)
			.ticker(nanoTime::getAsLong)
			.build();
	}

	/** Takes one permit of the key's window, if one is left. */
	public Decision acquire(K key) {
		long now = this.nanoTime.getAsLong();
		return this.windows.get(key, (k) -> new Window(now)).take(now);
	}

	/** Keys remembered now. */
	public long trackedKeys() {
		this.windows.cleanUp();
		return this.windows.estimatedSize();
	}

	/** Whole seconds, rounded up, at least one: for {@code Retry-After} and the like. */
	public static long seconds(Duration duration) {
		return Math.max(1, (duration.toNanos() + 999_999_999L) / 1_000_000_000L);
	}

	/**
	 * What a limit answered for one call.
	 *
	 * @param permitted whether the call may go on
	 * @param remaining permits left in the window after this call
	 * @param resetAfter how long until the window ends and the permits come back
	 */
	public record Decision(boolean permitted, int remaining, Duration resetAfter) {

	}

	private final class Window {

		private long start;

		private int taken;

		Window(long start) {
			this.start = start;
		}

		synchronized Decision take(long now) {
			long windowNanos = KeyedRateLimiter.this.windowNanos;
			int quota = KeyedRateLimiter.this.quota;
			if (now - this.start >= windowNanos) {
				this.start = now;
				this.taken = 0;
			}
			Duration resetAfter = Duration.ofNanos(this.start + windowNanos - now);
			if (this.taken < quota) {
				this.taken++;
				return new Decision(true, quota - this.taken, resetAfter);
			}
			return new Decision(false, 0, resetAfter);
		}

	}

}
