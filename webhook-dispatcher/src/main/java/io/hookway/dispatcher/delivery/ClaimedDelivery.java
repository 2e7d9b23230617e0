package io.hookway.dispatcher.delivery;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hookway.core.webhook.WebhookSecret;
import io.hookway.dispatcher.queue.Lease;
import io.hookway.dispatcher.queue.Leased;

/**
 * A delivery this worker holds under a lease, with what sending it takes: the message's
 * type, payload and trace, the endpoint's URL, its state, its still-valid secrets, its
 * static headers and its rate limit.
 *
 * @param headers the endpoint's static headers; null when they could not be read
 * @param rateLimit most deliveries per second to the endpoint; null for no limit
 */
record ClaimedDelivery(UUID id, UUID messageId, UUID endpointId, UUID applicationId, String eventType, int attempt,
		String payload, String url, boolean endpointActive, boolean endpointFailing, List<WebhookSecret> secrets,
		@Nullable Map<String, String> headers, @Nullable Integer rateLimit, @Nullable String traceParent,
		Lease lease) implements Leased {

	/** Payloads carry task results, up to the response limit each. */
	@Override
	public long weight() {
		return this.payload.length();
	}

}
