package io.hookway.dispatcher.queue;

import java.util.function.IntFunction;

import reactor.core.publisher.Mono;

/**
 * How far one fair claim reaches: a lane is an application's rows for one destination (an
 * endpoint, a route). A claim visits at most {@link #MAX_APPLICATIONS} applications, at
 * most {@link #PER_APPLICATION} lanes of each and {@link #MAX_LANES} in all, so that its
 * cost stays a few index probes per lane however large the backlog; the next claim starts
 * past the last application this one served.
 */
public final class Lanes {

	public static final int MAX_APPLICATIONS = 64;

	public static final int PER_APPLICATION = 4;

	public static final int MAX_LANES = 64;

	/** Rows made ready by one statement. */
	static final int PROMOTE_BATCH = 1000;

	private Lanes() {
	}

	/**
	 * Runs a promoting statement (given its batch size, emitting rows changed) batch
	 * after batch while batches come back full; emits how many rows it made ready.
	 */
	public static Mono<Long> promoteAll(IntFunction<Mono<Long>> promote) {
		return promote.apply(PROMOTE_BATCH)
			.expand((promoted) -> (promoted == PROMOTE_BATCH) ? promote.apply(PROMOTE_BATCH) : Mono.empty())
			.reduce(0L, Long::sum);
	}

}
