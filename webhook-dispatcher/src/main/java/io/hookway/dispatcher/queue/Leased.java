package io.hookway.dispatcher.queue;

import java.util.UUID;

/** A row a worker holds under a lease. */
public interface Leased {

	/** The row's id. */
	UUID id();

	/** The lease it is held under. */
	Lease lease();

	/**
	 * The application whose work it is: claims begin with applications in turns, and a
	 * destination shared by several (a route) serves its waiting line in turns.
	 */
	UUID applicationId();

	/** Bytes of bodies it holds in memory while worked on. */
	long weight();

}
