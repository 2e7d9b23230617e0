package io.hookway.portal.delivery;

import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import io.hookway.core.webhook.DeliveryStatus;

/**
 * A delivery of a message to an endpoint, with every attempt (API.md §5).
 *
 * @param nextAttemptAt when the next attempt is due, while {@code PENDING}
 */
@Schema(name = "Delivery")
public record DeliveryView(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String messageId,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String endpointId,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String eventType,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DeliveryStatus status,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<Attempt> attempts, @Nullable Instant nextAttemptAt,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt) {

	/**
	 * One attempt: the endpoint's status code, or the error when it gave none.
	 *
	 * @param at when the attempt was made (RFC 3339)
	 */
	@Schema(name = "DeliveryAttempt")
	record Attempt(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int attempt,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, format = "date-time") String at,
			@Nullable Integer statusCode, @Nullable Long durationMs, @Nullable String error) {
	}

	/** The answer to a retry: the delivery is due again now. */
	@Schema(name = "DeliveryRetry")
	public record Retry(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String id,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) DeliveryStatus status) {
	}

}
