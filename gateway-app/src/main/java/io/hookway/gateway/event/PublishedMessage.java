package io.hookway.gateway.event;

import java.time.Instant;
import java.util.UUID;

/**
 * A committed message as the 202 describes it, and whether an earlier request with the
 * same Idempotency-Key published it.
 */
record PublishedMessage(UUID id, UUID applicationId, String type, Instant timestamp, long deliveries,
		boolean replayed) {
}
