package io.hookway.dispatcher.queue;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * One queue table as the {@link QueueEngine} drives it: how its rows are claimed, which
 * destination each goes to, the attempt, how its outcome is recorded, and how rows are
 * handed back. The attempt runs inside its destination's slot and breaker; the record
 * runs after the slot is freed.
 *
 * @param <W> a claimed row
 * @param <R> an attempt's outcome
 */
public interface WorkQueue<W extends Leased, R> {

	/**
	 * Makes rows whose time has come claimable (retries due, leases run out); emits how
	 * many. Runs at every poll tick, before the claim.
	 */
	Mono<Long> promote();

	/**
	 * Claims ready rows under the claim's lease, within its room. A claim may come back
	 * short while more rows are ready (it takes a share of each lane it visits): the
	 * engine claims again while claims bring rows and room is left.
	 */
	Mono<Claimed<W>> claim(Claim claim);

	/**
	 * The destination whose slots, breaker and waiting line the row's attempt goes
	 * through; null for work that calls no one.
	 */
	@Nullable Destination destination(W work);

	/**
	 * The attempt. Failures are outcomes, not errors: the destination's breaker judges
	 * the outcome with its own predicate.
	 */
	Mono<R> attempt(W work);

	/**
	 * Writes the attempt's outcome, fenced by the row's lease; a write that fails leaves
	 * the row to its lease, which runs out and lets the work be done again.
	 */
	Mono<Void> record(W work, R outcome);

	/**
	 * Puts rows back, each due again after its delay, without counting their attempt:
	 * fenced by their leases, in one statement.
	 */
	Mono<Void> handBack(List<W> work, List<Duration> delays);

}
