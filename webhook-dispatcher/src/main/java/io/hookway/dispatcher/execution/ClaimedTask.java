package io.hookway.dispatcher.execution;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A task row this worker holds under {@code leaseId}. */
record ClaimedTask(UUID id, UUID applicationId, String route, String method, String path, @Nullable String query,
		Map<String, List<String>> headers, byte[] body, int attempts, @Nullable Instant completionDeadline,
		UUID leaseId) {
}
