package io.hookway.dispatcher.queue;

import java.util.UUID;

/** A row a worker holds under a lease. */
public interface Leased {

	/** The row's id. */
	UUID id();

	/** The lease it is held under. */
	Lease lease();

	/** Bytes of bodies it holds in memory while worked on. */
	long weight();

}
