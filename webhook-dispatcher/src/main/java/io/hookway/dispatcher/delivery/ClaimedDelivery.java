package io.hookway.dispatcher.delivery;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hookway.core.webhook.WebhookSecret;
import io.hookway.dispatcher.queue.Lease;
import io.hookway.dispatcher.queue.Leased;

/**
 * A delivery this worker holds under a lease, with what sending it takes: the message's
 * payload and trace, the endpoint's URL, its state and its still-valid secrets.
 */
record ClaimedDelivery(UUID id, UUID messageId, UUID endpointId, UUID applicationId, int attempt, String payload,
		String url, boolean endpointActive, boolean endpointFailing, List<WebhookSecret> secrets,
		@Nullable String traceParent, Lease lease) implements Leased {

	/** Payloads carry task results, up to the response limit each. */
	@Override
	public long weight() {
		return this.payload.length();
	}

}
