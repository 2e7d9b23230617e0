package io.hookway.dispatcher.execution;

import org.jspecify.annotations.Nullable;

/**
 * What one attempt at a task came to: the upstream's answer, the error that stopped the
 * call, or neither for a handed-over task that is only finished.
 */
record TaskAttempt(@Nullable UpstreamResponse response, @Nullable Throwable error) {

	static final TaskAttempt NO_CALL = new TaskAttempt(null, null);

	/**
	 * What says the upstream is in trouble, for its route's breaker: 5xx, 408, 429,
	 * timeouts and connection failures; a client's 4xx does not.
	 */
	boolean upstreamInTrouble() {
		if (this.error != null) {
			return true;
		}
		return this.response != null && transientStatus(this.response.statusCode());
	}

	static boolean transientStatus(int status) {
		return status == 408 || status == 429 || status >= 500;
	}

}
