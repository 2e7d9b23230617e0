package io.hookway.core.webhook;

import java.util.Optional;

/**
 * Where a webhook delivery stands, as stored in {@code webhook_deliveries.status} and
 * shown to clients.
 */
public enum DeliveryStatus {

	PENDING, SUCCEEDED, FAILED;

	/** The status of that name, if it is one. */
	public static Optional<DeliveryStatus> parse(String name) {
		for (DeliveryStatus status : values()) {
			if (status.name().equals(name)) {
				return Optional.of(status);
			}
		}
		return Optional.empty();
	}

}
