package io.hookway.dispatcher.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.event.EventEnvelope;
import io.hookway.core.event.FanOut;
import io.hookway.core.event.PlatformEventType;
import io.hookway.core.id.IdKind;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.dispatcher.OperationsSettings;

/**
 * The platform's own events about deliveries (API §9), published to the application
 * {@code hookway.operations.application-id} names: {@code delivery.exhausted} when a
 * delivery fails its last scheduled attempt ({@link AttemptLog}),
 * {@code endpoint.disabled} when an endpoint is disabled ({@link EndpointHealth}). Each
 * is written in the transaction that fails the delivery or disables the endpoint, so that
 * neither is committed without its event; it fans out by {@link FanOut}'s rule and is
 * delivered, signed, like any message. Nothing is published about the operations
 * application's own endpoints and deliveries: each event about one of those would be
 * followed by another.
 */
final class OperationalEvents {

	/**
	 * One delivery, due now, per endpoint subscribed to each message of a CTE named
	 * {@code announced} with {@code id}, {@code application_id} and {@code event_type}.
	 */
	static final String FAN_OUT = """
			insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
			select m.id, e.id, m.application_id, m.event_type, now()
			from announced m join webhook_endpoints e on %s""".formatted(FanOut.SUBSCRIBED_ENDPOINTS);

	private final @Nullable UUID application;

	private final JsonMapper json;

	private final QueueNotifier notifier;

	OperationalEvents(OperationsSettings settings, JsonMapper json, QueueNotifier notifier) {
		this.application = settings.application();
		this.json = json;
		this.notifier = notifier;
	}

	/** Whether events are published about the delivery and its endpoint. */
	boolean about(ClaimedDelivery delivery) {
		return this.application != null && !this.application.equals(delivery.applicationId());
	}

	/** The operations application; only asked for once {@link #about} said yes. */
	UUID application() {
		return Objects.requireNonNull(this.application, "no operations application");
	}

	/** {@code delivery.exhausted}'s payload, for the delivery's last attempt. */
	String exhausted(ClaimedDelivery delivery, Attempt last) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("applicationId", IdKind.APPLICATION.format(delivery.applicationId()));
		data.put("endpointId", IdKind.ENDPOINT.format(delivery.endpointId()));
		data.put("deliveryId", IdKind.DELIVERY.format(delivery.id()));
		data.put("messageId", IdKind.MESSAGE.format(delivery.messageId()));
		data.put("eventType", delivery.eventType());
		data.put("attempts", delivery.attempt());
		data.put("lastError",
				(last.statusCode() != null) ? "The endpoint answered " + last.statusCode() + "." : last.error());
		return EventEnvelope.of(PlatformEventType.DELIVERY_EXHAUSTED.type(), Instant.now(),
				this.json.writeValueAsString(data));
	}

	/**
	 * {@code endpoint.disabled}'s payload, stamped with the time the endpoint was
	 * disabled.
	 */
	String disabled(ClaimedDelivery delivery, String url, @Nullable String reason, Instant disabledAt) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("applicationId", IdKind.APPLICATION.format(delivery.applicationId()));
		data.put("endpointId", IdKind.ENDPOINT.format(delivery.endpointId()));
		data.put("url", url);
		data.put("reason", reason);
		data.put("disabledAt", EventEnvelope.TIMESTAMP.format(disabledAt));
		return EventEnvelope.of(PlatformEventType.ENDPOINT_DISABLED.type(), disabledAt,
				this.json.writeValueAsString(data));
	}

	/** Events were committed with their deliveries: deliverers are woken for them. */
	void published() {
		this.notifier.committed(QueueNotifier.DELIVERIES);
	}

}
