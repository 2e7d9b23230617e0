package io.hookway.dispatcher.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hookway.core.task.TaskResult;
import io.hookway.dispatcher.queue.Lease;
import io.hookway.dispatcher.queue.Leased;

/**
 * A task row this worker holds under a lease. A task handed over to its upstream (202)
 * has a completion deadline, and a reported result once the upstream has reported. The
 * trace parent is that of the client's call, when the gateway had one. A task claimed for
 * an attempt carries that attempt's completion token, sent to the upstream and never
 * stored.
 */
record ClaimedTask(UUID id, UUID applicationId, String route, String method, String path, @Nullable String query,
		Map<String, List<String>> headers, byte[] body, int attempts, @Nullable Instant completionDeadline,
		@Nullable TaskResult reportedResult, @Nullable String traceParent, @Nullable String completionToken,
		Lease lease) implements Leased {

	/** The bytes of bodies this task holds while it is worked on. */
	@Override
	public long weight() {
		byte[] reported = (this.reportedResult != null) ? this.reportedResult.body() : null;
		return this.body.length + ((reported != null) ? reported.length : 0);
	}

	/** Handed over to its upstream earlier: it is finished, not called again. */
	boolean handedOver() {
		return this.completionDeadline != null;
	}

}
