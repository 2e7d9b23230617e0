package io.hookway.gateway.ingest;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A committed task as the 202 describes it; the request hash only when read back for a
 * key.
 */
record StoredTask(UUID id, String route, Instant createdAt, byte @Nullable [] requestHash) {
}
