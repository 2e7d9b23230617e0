package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import reactor.core.publisher.Mono;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.outbound.WebhookSettings;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.dispatcher.Breakers;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.QueueSignals;
import io.hookway.dispatcher.queue.Claim;
import io.hookway.dispatcher.queue.Claimed;
import io.hookway.dispatcher.queue.Destination;
import io.hookway.dispatcher.queue.Destinations;
import io.hookway.dispatcher.queue.Lanes;
import io.hookway.dispatcher.queue.QueueEngine;
import io.hookway.dispatcher.queue.RetryPolicy;
import io.hookway.dispatcher.queue.WorkQueue;

import org.springframework.context.SmartLifecycle;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Delivers webhook messages on the {@link QueueEngine}: each endpoint is a destination
 * with {@code max-concurrency-per-endpoint} slots, a line of up to two claim batches and
 * a breaker (30 s open); an attempt is sent by {@link WebhookSender}, logged by
 * {@link AttemptLog}, and retried by the {@code retry-schedule}'s {@link RetryPolicy};
 * after the last one the delivery is FAILED and stays listed.
 */
@Component
public class WebhookDeliverer implements WorkQueue<ClaimedDelivery, Attempt>, SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDeliverer.class);

	/**
	 * How long an endpoint whose breaker opened is left alone before it is tried again.
	 */
	private static final Duration BREAKER_OPEN = Duration.ofSeconds(30);

	/**
	 * An endpoint's state is forgotten after this long without deliveries, or twice the
	 * attempt timeout if that is longer, so that none is dropped with a call pending.
	 */
	private static final Duration ENDPOINT_IDLE = Duration.ofMinutes(10);

	/** Endpoints whose state (breaker, slots, decrypted secrets) is kept at most. */
	private static final int TRACKED_ENDPOINTS = 10_000;

	private static final String DISABLED = "The endpoint is disabled or deleted.";

	private final RetryPolicy policy;

	private final DeliveryClaims claims;

	private final WebhookSender sender;

	private final AttemptLog attempts;

	private final EndpointHealth health;

	private final MeterRegistry meters;

	private final Destinations endpoints;

	private final QueueEngine<ClaimedDelivery, Attempt> engine;

	private final int perEndpoint;

	WebhookDeliverer(DatabaseClient database, DispatcherSettings settings, WebhookSettings webhooks,
			SecretCipher cipher, OutboundUrlGuard guard, WebClient.Builder builder, QueueSignals signals,
			MeterRegistry meters, ObservationRegistry observations) {
		// an attempt outliving its lease would be sent a second time by the worker that
		// takes the row over
		if (webhooks.timeout().multipliedBy(4).compareTo(settings.lease().multipliedBy(3)) >= 0) {
			throw new IllegalStateException("hookway.webhooks.timeout (" + webhooks.timeout()
					+ ") must be under three quarters of hookway.dispatcher.lease (" + settings.lease() + ")");
		}
		this.policy = RetryPolicy.of(webhooks);
		this.claims = new DeliveryClaims(database, settings, cipher, TRACKED_ENDPOINTS);
		this.sender = new WebhookSender(webhooks, guard, builder, observations);
		this.attempts = new AttemptLog(database, 256, 2);
		this.health = new EndpointHealth(database, webhooks);
		this.meters = meters;
		Duration idle = webhooks.timeout().multipliedBy(2);
		this.endpoints = Destinations.forgettingIdle(
				Breakers.openingFor(BREAKER_OPEN, "endpointId", (name) -> IdKind.ENDPOINT.format(UUID.fromString(name)),
						(outcome) -> outcome instanceof Attempt attempt && !attempt.succeeded()),
				webhooks.maxConcurrencyPerEndpoint(), BREAKER_OPEN, 2 * settings.batchSize(),
				(idle.compareTo(ENDPOINT_IDLE) > 0) ? idle : ENDPOINT_IDLE, TRACKED_ENDPOINTS);
		Breakers.publishCounts(this.endpoints.breakers(), meters);
		this.perEndpoint = webhooks.maxConcurrencyPerEndpoint() + 2 * settings.batchSize();
		this.engine = new QueueEngine<>("webhook deliverer", settings, this);
		signals.onSignal(QueueNotifier.DELIVERIES, this.engine::wake);
	}

	/**
	 * Sends deliveries inserted leased to this process, without claiming them; those it
	 * cannot read are left to their lease.
	 */
	public void deliverLeased(LeasedDeliveries deliveries) {
		if (!deliveries.ids().isEmpty()) {
			this.claims.leased(deliveries)
				.subscribe(this.engine::adopt,
						(ex) -> logger.debug(
								"Could not read deliveries leased to this process; their lease runs out instead: {}",
								ex.toString()));
		}
	}

	@Override
	public Mono<Long> promote() {
		return Lanes.promoteAll(this.claims::promote);
	}

	/**
	 * Claims ready deliveries, leaving out endpoints that are busy here, and no more of
	 * one endpoint than its slots and line hold.
	 */
	@Override
	public Mono<Claimed<ClaimedDelivery>> claim(Claim claim) {
		return this.claims.claim(claim, this.endpoints.busy(), this.endpoints.rooms(), this.perEndpoint);
	}

	/** A disabled or deleted endpoint is no destination: its delivery fails unsent. */
	@Override
	public @Nullable Destination destination(ClaimedDelivery delivery) {
		return delivery.endpointActive() ? this.endpoints.hold(delivery.endpointId()) : null;
	}

	@Override
	public Mono<Attempt> attempt(ClaimedDelivery delivery) {
		return delivery.endpointActive() ? this.sender.send(delivery) : Mono.just(Attempt.notSent(DISABLED));
	}

	@Override
	public Mono<Void> record(ClaimedDelivery delivery, Attempt attempt) {
		if (!delivery.endpointActive()) {
			return write(delivery, attempt, "FAILED", null);
		}
		this.meters.counter("hookway.webhook.attempts", "outcome", attempt.succeeded() ? "succeeded" : "failed")
			.increment();
		Mono<Void> written;
		if (attempt.succeeded()) {
			written = write(delivery, attempt, "SUCCEEDED", null);
		}
		else if (attempt.gone()) {
			written = write(delivery, attempt, "FAILED", null);
		}
		else {
			RetryPolicy.Next next = this.policy.next(delivery.attempt(), attempt.retryAfter());
			written = next.givesUp() ? write(delivery, attempt, "FAILED", null)
					: write(delivery, attempt, "PENDING", next.delay());
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

	@Override
	public Mono<Void> handBack(List<ClaimedDelivery> deliveries, List<Duration> delays) {
		return this.claims.handBack(deliveries, delays);
	}

	/** Logs the attempt and the delivery's new state, then the endpoint's health. */
	private Mono<Void> write(ClaimedDelivery delivery, Attempt attempt, String status, @Nullable Duration delay) {
		log(delivery, attempt, status, delay);
		AttemptLog.Entry entry = new AttemptLog.Entry(delivery.id(), delivery.lease().id(), delivery.attempt(),
				attempt.at().toEpochMilli(), attempt.statusCode(), attempt.durationMs(), attempt.error(), status,
				(delay != null) ? delay.toMillis() / 1000.0 : 0.0);
		boolean healthChanges = EndpointHealth.changes(delivery, attempt);
		return this.attempts.record(entry)
			.flatMap((recorded) -> (recorded && healthChanges) ? this.health.record(delivery.endpointId(), attempt)
					: Mono.empty());
	}

	/**
	 * Successes at debug level, failures at info, an endpoint disabled by its 410 as a
	 * warning. Never the payload, the URL or a secret: the ids lead to them.
	 */
	private static void log(ClaimedDelivery delivery, Attempt attempt, String status, @Nullable Duration delay) {
		Level level = attempt.succeeded() ? Level.DEBUG : attempt.gone() ? Level.WARN : Level.INFO;
		if (!logger.isEnabledForLevel(level)) {
			return;
		}
		String deliveryId = IdKind.DELIVERY.format(delivery.id());
		String messageId = IdKind.MESSAGE.format(delivery.messageId());
		String endpointId = IdKind.ENDPOINT.format(delivery.endpointId());
		String outcome = (attempt.statusCode() != null) ? "status " + attempt.statusCode() : attempt.error();
		String next = switch (status) {
			case "SUCCEEDED" -> "delivered";
			case "PENDING" -> "next attempt in " + delay;
			default -> attempt.gone() ? "the endpoint answered 410 and is disabled" : "given up";
		};
		logger.atLevel(level)
			.addKeyValue("deliveryId", deliveryId)
			.addKeyValue("messageId", messageId)
			.addKeyValue("endpointId", endpointId)
			.addKeyValue("attempt", delivery.attempt())
			.addKeyValue("statusCode", attempt.statusCode())
			.addKeyValue("deliveryStatus", status)
			.log("Delivery {} of message {} to endpoint {}, attempt {}: {}; {}", deliveryId, messageId, endpointId,
					delivery.attempt(), outcome, next);
	}

	@Override
	public void start() {
		this.engine.start();
	}

	@Override
	public void stop() {
		this.engine.stop();
	}

	@Override
	public void stop(Runnable callback) {
		this.engine.stop(callback);
	}

	@Override
	public boolean isRunning() {
		return this.engine.isRunning();
	}

}
