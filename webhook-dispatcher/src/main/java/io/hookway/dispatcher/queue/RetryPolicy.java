package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

import org.jspecify.annotations.Nullable;

import io.hookway.core.outbound.WebhookSettings;
import io.hookway.core.route.RouteSettings;

/**
 * When a failed attempt is tried again, as data: the delays (a fixed schedule, or
 * exponential from a base by a factor), the jitter applied to each, the cap, how far a
 * destination's {@code Retry-After} is honoured, and the final step after the last
 * attempt. One value per queue (webhooks) or per route (tasks), built from their
 * settings.
 *
 * @param delays the delay before each retry
 * @param jitter the share by which a delay is moved at random either way (0.2 is ±20%)
 * @param cap the longest delay the schedule itself gives, after jitter
 * @param maxRetryAfter the longest {@code Retry-After} honoured; a longer one waits this
 * long
 * @param finalStep what happens once the attempts are used up
 */
public record RetryPolicy(Delays delays, double jitter, Duration cap, Duration maxRetryAfter, FinalStep finalStep) {

	/** Jitter of every built-in policy: ±20%. */
	public static final double JITTER = 0.2;

	/** Longest delay and longest {@code Retry-After} of a route's retries. */
	static final Duration ROUTE_CAP = Duration.ofHours(1);

	/** Longest {@code Retry-After} a webhook receiver is granted. */
	static final Duration WEBHOOK_MAX_RETRY_AFTER = Duration.ofHours(24);

	public RetryPolicy {
		if (jitter < 0 || jitter >= 1) {
			throw new IllegalArgumentException("jitter must be at least 0 and under 1");
		}
	}

	/**
	 * {@code hookway.webhooks.retry-schedule}: a fixed schedule, ±20%, a receiver's
	 * {@code Retry-After} up to a day; after the last attempt the delivery fails.
	 */
	public static RetryPolicy of(WebhookSettings webhooks) {
		return new RetryPolicy(new Schedule(webhooks.retrySchedule()), JITTER, Duration.ofMillis(Long.MAX_VALUE),
				WEBHOOK_MAX_RETRY_AFTER, FinalStep.FAIL);
	}

	/**
	 * {@code hookway.routes.<name>.backoff} and {@code max-attempts}: doubling from the
	 * backoff, ±20%, capped at an hour, as is an upstream's {@code Retry-After}; after
	 * the last attempt the task fails.
	 */
	public static RetryPolicy of(RouteSettings.Route route) {
		return new RetryPolicy(new Exponential(route.backoff(), 2, route.maxAttempts()), JITTER, ROUTE_CAP, ROUTE_CAP,
				FinalStep.FAIL);
	}

	/** Attempts in all, the first included. */
	public int maxAttempts() {
		return this.delays.retries() + 1;
	}

	/**
	 * What follows the failed attempt number {@code attempt} (1 for the first).
	 * @param retryAfter what the destination asked for, if anything; honoured when it is
	 * longer than the scheduled delay
	 */
	public Next next(int attempt, @Nullable Duration retryAfter) {
		return next(attempt, retryAfter, () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
	}

	/** As {@link #next(int, Duration)}, with the random draw in [0, 1) given. */
	Next next(int attempt, @Nullable Duration retryAfter, DoubleSupplier random) {
		int retry = attempt;
		if (retry > this.delays.retries()) {
			if (this.finalStep == FinalStep.FAIL) {
				return Next.GIVE_UP;
			}
			retry = this.delays.retries();
		}
		long scheduled = (retry < 1) ? 0 : this.delays.before(retry).toMillis();
		long jittered = (long) (scheduled * (1 - this.jitter + 2 * this.jitter * random.getAsDouble()));
		Duration delay = Duration.ofMillis(Math.min(jittered, this.cap.toMillis()));
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = (retryAfter.compareTo(this.maxRetryAfter) > 0) ? this.maxRetryAfter : retryAfter;
		}
		return new Next(delay);
	}

	/**
	 * The delay before the next attempt, or none: the final step applies.
	 *
	 * @param delay how long until the next attempt; null when there is none
	 */
	public record Next(@Nullable Duration delay) {

		static final Next GIVE_UP = new Next(null);

		public boolean givesUp() {
			return this.delay == null;
		}

	}

	/** What happens after the last attempt. */
	public enum FinalStep {

		/** The work ends failed (and is kept, listed, for its retention period). */
		FAIL,

		/**
		 * The work is tried again at the last delay for as long as it is claimed: for
		 * webhooks, until the endpoint is disabled for failing too long.
		 */
		KEEP_RETRYING

	}

	/** The delays before retries. */
	public sealed interface Delays permits Schedule, Exponential {

		/** Retries there are, after the first attempt. */
		int retries();

		/** The delay before retry {@code retry} (1 for the second attempt). */
		Duration before(int retry);

	}

	/** One delay per retry, as listed. */
	public record Schedule(List<Duration> delays) implements Delays {

		public Schedule {
			delays = List.copyOf(delays);
			if (delays.stream().anyMatch(Duration::isNegative)) {
				throw new IllegalArgumentException("a retry schedule has no negative delays");
			}
		}

		@Override
		public int retries() {
			return this.delays.size();
		}

		@Override
		public Duration before(int retry) {
			return this.delays.get(retry - 1);
		}

	}

	/**
	 * {@code base × factor^(retry-1)}, for {@code attempts - 1} retries.
	 *
	 * @param base the delay before the first retry
	 * @param factor how much each delay grows over the last
	 * @param attempts attempts in all, the first included
	 */
	public record Exponential(Duration base, double factor, int attempts) implements Delays {

		public Exponential {
			if (base.isNegative() || factor < 1 || attempts < 1) {
				throw new IllegalArgumentException("exponential delays need a base of 0 or more, a factor of 1 or more "
						+ "and at least one attempt");
			}
		}

		@Override
		public int retries() {
			return this.attempts - 1;
		}

		@Override
		public Duration before(int retry) {
			double millis = this.base.toMillis() * Math.pow(this.factor, Math.min(retry - 1, 62));
			return Duration.ofMillis((millis >= Long.MAX_VALUE) ? Long.MAX_VALUE : (long) millis);
		}

	}

}
