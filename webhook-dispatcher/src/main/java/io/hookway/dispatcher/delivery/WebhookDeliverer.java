package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.outbound.WebhookSettings;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.OperationsSettings;
import io.hookway.dispatcher.queue.Breakers;
import io.hookway.dispatcher.queue.Claim;
import io.hookway.dispatcher.queue.Claimed;
import io.hookway.dispatcher.queue.Destination;
import io.hookway.dispatcher.queue.Destinations;
import io.hookway.dispatcher.queue.EngineLifecycle;
import io.hookway.dispatcher.queue.Lanes;
import io.hookway.dispatcher.queue.QueueEngine;
import io.hookway.dispatcher.queue.QueueSignals;
import io.hookway.dispatcher.queue.RetryPolicy;
import io.hookway.dispatcher.queue.WorkQueue;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Delivers webhook messages on the {@link QueueEngine}: each endpoint is a destination
 * with {@code max-concurrency-per-endpoint} slots, a line of up to two claim batches and
 * a breaker (30 s open); an endpoint with a rate limit is kept to it by
 * {@link EndpointPace}; an attempt is sent by {@link WebhookSender}, logged by
 * {@link AttemptLog}, and retried by the {@code retry-schedule}'s {@link RetryPolicy};
 * after the last one the delivery is FAILED and stays listed.
 */
@Component
public class WebhookDeliverer extends EngineLifecycle implements WorkQueue<ClaimedDelivery, Attempt> {

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

	static final String DISABLED = "The endpoint is disabled or deleted.";

	static final String UNREADABLE_HEADERS = "The endpoint's headers could not be read.";

	private final DeliveryClaims claims;

	private final WebhookSender sender;

	private final EndpointPace pace;

	private final DeliveryOutcomes outcomes;

	private final Destinations endpoints;

	private final QueueEngine<ClaimedDelivery, Attempt> engine;

	private final int perEndpoint;

	WebhookDeliverer(DatabaseClient database, TransactionalOperator transaction, DispatcherSettings settings,
			WebhookSettings webhooks, OperationsSettings operations, SecretCipher cipher, JsonMapper json,
			OutboundUrlGuard guard, WebClient.Builder builder, QueueSignals signals, QueueNotifier notifier,
			MeterRegistry meters, ObservationRegistry observations) {
		// an attempt outliving its lease would be sent a second time by the worker that
		// takes the row over
		if (webhooks.timeout().multipliedBy(4).compareTo(settings.lease().multipliedBy(3)) >= 0) {
			throw new IllegalStateException("hookway.webhooks.timeout (" + webhooks.timeout()
					+ ") must be under three quarters of hookway.dispatcher.lease (" + settings.lease() + ")");
		}
		this.claims = new DeliveryClaims(database, settings,
				new DeliveryRows(cipher, json, settings.trackedEndpoints()));
		this.sender = new WebhookSender(webhooks, guard, builder, observations);
		this.pace = new EndpointPace(database, settings.lease(), webhooks.timeout());
		OperationalEvents events = new OperationalEvents(operations, json, notifier);
		this.outcomes = new DeliveryOutcomes(RetryPolicy.of(webhooks), new AttemptLog(database, 256, 2, events),
				new EndpointHealth(database, transaction, webhooks, events), events, meters);
		Duration idle = webhooks.timeout().multipliedBy(2);
		this.endpoints = Destinations.forgettingIdle(
				Breakers.openingFor(BREAKER_OPEN, "endpointId", (name) -> IdKind.ENDPOINT.format(UUID.fromString(name)),
						(outcome) -> outcome instanceof Attempt attempt && !attempt.succeeded()),
				webhooks.maxConcurrencyPerEndpoint(), BREAKER_OPEN, 2 * settings.batchSize(),
				(idle.compareTo(ENDPOINT_IDLE) > 0) ? idle : ENDPOINT_IDLE, settings.trackedEndpoints());
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

	/**
	 * Sent at once, or at the endpoint's next turn when it has a rate limit; the turn is
	 * waited for in the delivery's slot.
	 */
	@Override
	public Mono<Attempt> attempt(ClaimedDelivery delivery) {
		if (!delivery.endpointActive()) {
			return Mono.just(Attempt.notSent(DISABLED));
		}
		if (delivery.headers() == null) {
			return Mono.just(Attempt.notSent(UNREADABLE_HEADERS));
		}
		Integer rateLimit = delivery.rateLimit();
		return (rateLimit != null)
				? this.pace.turn(delivery, rateLimit).then(Mono.defer(() -> this.sender.send(delivery)))
				: this.sender.send(delivery);
	}

	@Override
	public Mono<Void> record(ClaimedDelivery delivery, Attempt attempt) {
		return this.outcomes.record(delivery, attempt);
	}

	@Override
	public Mono<Void> handBack(List<ClaimedDelivery> deliveries, List<Duration> delays) {
		return this.claims.handBack(deliveries, delays);
	}

	@Override
	protected QueueEngine<?, ?> engine() {
		return this.engine;
	}

}
