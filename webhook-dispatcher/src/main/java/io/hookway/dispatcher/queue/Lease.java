package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.UUID;

import io.hookway.core.crypto.SecureRandoms;

/**
 * A claim's hold on its rows: the fencing id written with them (an outcome is written
 * only where the row still carries it, so a worker whose lease ran out cannot overwrite
 * the one that took over) and when it was taken, on this process's clock.
 *
 * @param id the fencing id, {@code lease_id} of the rows
 * @param claimedAtNanos {@link System#nanoTime()} when the claim was sent
 */
public record Lease(UUID id, long claimedAtNanos) {

	/** A new lease, taken now. */
	public static Lease take() {
		return new Lease(SecureRandoms.randomUuid(), System.nanoTime());
	}

	/**
	 * Whether more than half of a lease of this length has passed: work not started by
	 * then is handed back rather than risk running while another worker takes it over.
	 */
	public boolean halfGone(Duration length) {
		return System.nanoTime() - this.claimedAtNanos > length.toNanos() / 2;
	}

	/** How long ago the lease was taken. */
	public Duration age() {
		return Duration.ofNanos(System.nanoTime() - this.claimedAtNanos);
	}

}
