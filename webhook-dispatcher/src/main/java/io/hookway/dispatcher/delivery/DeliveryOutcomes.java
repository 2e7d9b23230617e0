package io.hookway.dispatcher.delivery;

import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.webhook.DeliveryStatus;
import io.hookway.dispatcher.queue.RetryPolicy;

/**
 * Writes what a delivery attempt came to, fenced by its lease: delivered, failed for good
 * (a 410, the last attempt, a disabled endpoint), or due again when the retry policy
 * says; then the endpoint's health when it changes.
 */
final class DeliveryOutcomes {

	/** Under the deliverer's name, which operators know the delivery lines by. */
	private static final Logger logger = LoggerFactory.getLogger(WebhookDeliverer.class);

	private final RetryPolicy policy;

	private final AttemptLog attempts;

	private final EndpointHealth health;

	private final OperationalEvents events;

	private final MeterRegistry meters;

	DeliveryOutcomes(RetryPolicy policy, AttemptLog attempts, EndpointHealth health, OperationalEvents events,
			MeterRegistry meters) {
		this.policy = policy;
		this.attempts = attempts;
		this.health = health;
		this.events = events;
		this.meters = meters;
	}

	Mono<Void> record(ClaimedDelivery delivery, Attempt attempt) {
		if (!delivery.endpointActive()) {
			return write(delivery, attempt, DeliveryStatus.FAILED, null, null);
		}
		this.meters.counter("hookway.webhook.attempts", "outcome", attempt.succeeded() ? "succeeded" : "failed")
			.increment();
		Mono<Void> written;
		if (attempt.succeeded()) {
			written = write(delivery, attempt, DeliveryStatus.SUCCEEDED, null, null);
		}
		else if (attempt.gone()) {
			written = write(delivery, attempt, DeliveryStatus.FAILED, null, null);
		}
		else {
			RetryPolicy.Next next = this.policy.next(delivery.attempt(), attempt.retryAfter());
			if (next.givesUp()) {
				written = write(delivery, attempt, DeliveryStatus.FAILED, null,
						this.events.about(delivery) ? this.events.exhausted(delivery, attempt) : null);
			}
			else {
				written = write(delivery, attempt, DeliveryStatus.PENDING, next.delay(), null);
			}
		}
		return written.onErrorResume((ex) -> {
			// the attempt could not be recorded: the lease runs out and the delivery is
			// sent again
			String deliveryId = IdKind.DELIVERY.format(delivery.id());
			logger.atWarn()
				.addKeyValue("deliveryId", deliveryId)
				.addKeyValue("messageId", IdKind.MESSAGE.format(delivery.messageId()))
				.log("Could not record delivery {}: {}", deliveryId, ex.toString());
			return Mono.empty();
		});
	}

	/**
	 * Logs the attempt and the delivery's new state (with the event that it is exhausted,
	 * if one is published), then the endpoint's health.
	 */
	private Mono<Void> write(ClaimedDelivery delivery, Attempt attempt, DeliveryStatus status, @Nullable Duration delay,
			@Nullable String exhaustedEvent) {
		log(delivery, attempt, status, delay);
		AttemptLog.Entry entry = new AttemptLog.Entry(delivery.id(), delivery.lease().id(), delivery.attempt(),
				attempt.at().toEpochMilli(), attempt.statusCode(), attempt.durationMs(), attempt.error(), status,
				(delay != null) ? delay.toMillis() / 1000.0 : 0.0, exhaustedEvent);
		boolean healthChanges = EndpointHealth.changes(delivery, attempt);
		return this.attempts.record(entry)
			.flatMap((recorded) -> (recorded && healthChanges) ? this.health.record(delivery, attempt) : Mono.empty());
	}

	/**
	 * Successes at debug level, failures at info, an endpoint disabled by its 410 as a
	 * warning. Never the payload, the URL or a secret: the ids lead to them.
	 */
	private static void log(ClaimedDelivery delivery, Attempt attempt, DeliveryStatus status,
			@Nullable Duration delay) {
		Level level = attempt.succeeded() ? Level.DEBUG : attempt.gone() ? Level.WARN : Level.INFO;
		if (!logger.isEnabledForLevel(level)) {
			return;
		}
		String deliveryId = IdKind.DELIVERY.format(delivery.id());
		String messageId = IdKind.MESSAGE.format(delivery.messageId());
		String endpointId = IdKind.ENDPOINT.format(delivery.endpointId());
		String outcome = (attempt.statusCode() != null) ? "status " + attempt.statusCode() : attempt.error();
		String next = switch (status) {
			case SUCCEEDED -> "delivered";
			case PENDING -> "next attempt in " + delay;
			default -> attempt.gone() ? "the endpoint answered 410 and is disabled" : "given up";
		};
		logger.atLevel(level)
			.addKeyValue("deliveryId", deliveryId)
			.addKeyValue("messageId", messageId)
			.addKeyValue("endpointId", endpointId)
			.addKeyValue("attempt", delivery.attempt())
			.addKeyValue("statusCode", attempt.statusCode())
			.addKeyValue("deliveryStatus", status.name())
			.log("Delivery {} of message {} to endpoint {}, attempt {}: {}; {}", deliveryId, messageId, endpointId,
					delivery.attempt(), outcome, next);
	}

}
