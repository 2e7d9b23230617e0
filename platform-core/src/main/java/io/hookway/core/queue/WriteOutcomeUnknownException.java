package io.hookway.core.queue;

/**
 * A write's commit was sent but its answer never came: the rows may or may not be stored.
 * Rare (the database or the network went away in the middle of a commit), and the one
 * case where a caller cannot be told either way.
 */
public final class WriteOutcomeUnknownException extends RuntimeException {

	public WriteOutcomeUnknownException(String message, Throwable cause) {
		super(message, cause);
	}

}
