package io.hookway.core.queue;

/**
 * A write failed before its commit was sent, or its commit was refused: nothing of it is
 * stored, so the caller may simply try again.
 */
public final class WriteNotStoredException extends RuntimeException {

	public WriteNotStoredException(String message, Throwable cause) {
		super(message, cause);
	}

}
