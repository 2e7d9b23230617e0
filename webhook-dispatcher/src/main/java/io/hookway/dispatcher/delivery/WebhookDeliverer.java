package io.hookway.dispatcher.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.common.KeyValue;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientRequest;
import reactor.netty.resources.ConnectionProvider;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.core.outbound.GuardedAddressResolverGroup;
import io.hookway.core.outbound.HostLookup;
import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.outbound.WebhookSettings;
import io.hookway.core.tracing.Traces;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.core.webhook.WebhookSigner;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.Breakers;
import io.hookway.dispatcher.EndpointBreakers;
import io.hookway.dispatcher.QueueWorker;
import io.hookway.dispatcher.QueueSignals;
import io.hookway.dispatcher.RetryAfter;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Delivers webhook messages: claims due deliveries under a lease, signs each message with
 * every still-valid secret of its endpoint (Standard Webhooks), POSTs it, and records the
 * attempt. A failed attempt is scheduled again from the retry schedule; after the last
 * one the delivery is FAILED and stays listed.
 */
@Component
public class WebhookDeliverer extends QueueWorker {

	private static final Logger logger = LoggerFactory.getLogger(WebhookDeliverer.class);

	private static final Duration MAX_RETRY_AFTER = Duration.ofHours(24);

	/**
	 * How long an endpoint whose breaker opened is left alone before it is tried again.
	 */
	private static final Duration BREAKER_OPEN = Duration.ofSeconds(30);

	/**
	 * An endpoint's breaker is forgotten after this long without deliveries, or twice the
	 * attempt timeout if that is longer, so that none is dropped with a call pending.
	 */
	private static final Duration BREAKER_IDLE = Duration.ofMinutes(10);

	/**
	 * When an endpoint already has its share of deliveries in flight, look again this
	 * soon.
	 */
	private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

	private static final Exception FAILED_ATTEMPT = new Exception("delivery attempt failed", null, false, false) {
	};

	private final DatabaseClient database;

	private final DispatcherSettings settings;

	private final WebhookSettings webhooks;

	private final SecretCipher cipher;

	private final OutboundUrlGuard guard;

	private final WebClient client;

	private final MeterRegistry meters;

	private final EndpointBreakers breakers;

	private final AttemptLog attempts;

	private final ObservationRegistry observations;

	WebhookDeliverer(DatabaseClient database, DispatcherSettings settings, WebhookSettings webhooks,
			SecretCipher cipher, OutboundUrlGuard guard, WebClient.Builder builder, QueueSignals signals,
			MeterRegistry meters, ObservationRegistry observations) {
		super("webhook deliverer", settings);
		// an attempt outliving its lease would be sent a second time by the worker that
		// takes the row over
		if (webhooks.timeout().multipliedBy(4).compareTo(settings.lease().multipliedBy(3)) >= 0) {
			throw new IllegalStateException("hookway.webhooks.timeout (" + webhooks.timeout()
					+ ") must be under three quarters of hookway.dispatcher.lease (" + settings.lease() + ")");
		}
		this.meters = meters;
		this.database = database;
		this.settings = settings;
		this.webhooks = webhooks;
		this.cipher = cipher;
		this.guard = guard;
		HttpClient http = HttpClient.create(ConnectionProvider.builder("hookway-webhooks").maxConnections(512).build())
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(webhooks.timeout().toMillis(), 10_000))
			.resolver(new GuardedAddressResolverGroup(guard))
			.followRedirect(false);
		this.client = builder.clone()
			.clientConnector(new ReactorClientHttpConnector(http))
			.observationConvention(new WebhookClientConvention())
			.build();
		this.observations = observations;
		Duration idle = webhooks.timeout().multipliedBy(2);
		this.breakers = new EndpointBreakers(
				Breakers.openingFor(BREAKER_OPEN, "endpointId",
						(name) -> IdKind.ENDPOINT.format(UUID.fromString(name))),
				BREAKER_OPEN, (idle.compareTo(BREAKER_IDLE) > 0) ? idle : BREAKER_IDLE);
		Breakers.publishCounts(this.breakers.registry(), meters);
		this.attempts = new AttemptLog(database, 256, 2);
		signals.onSignal(QueueNotifier.DELIVERIES, this::wake);
	}

	/**
	 * Claims as many due deliveries as there are free slots, leaving out endpoints that
	 * are busy here, and starts each on its own; emits how many it claimed. An endpoint
	 * that already has its share in flight queues up to two batches more, which start as
	 * its slots free; an endpoint whose breaker is open, or whose queue is full too, gets
	 * its delivery back for later without an attempt being counted.
	 */
	@Override
	protected Mono<Claimed> runBatch(Room room) {
		UUID leaseId = UUID.randomUUID();
		AtomicBoolean cut = new AtomicBoolean();
		return claim(leaseId, room, cut).collectList().flatMap((deliveries) -> {
			List<Mono<Void>> deferred = new ArrayList<>();
			for (ClaimedDelivery delivery : deliveries) {
				CircuitBreaker breaker = this.breakers.get(delivery.endpointId().toString());
				if (!breaker.tryAcquirePermission()) {
					deferred.add(putBack(delivery, BREAKER_OPEN));
				}
				else if (!launch(delivery.endpointId(), this.webhooks.maxConcurrencyPerEndpoint(),
						2 * this.settings.batchSize(), delivery.payload().length(), deliver(delivery, breaker))) {
					breaker.releasePermission();
					deferred.add(putBack(delivery, BUSY_RETRY));
				}
			}
			Claimed claimed = new Claimed(deliveries.size(), cut.get());
			return Flux.concat(deferred).then(Mono.just(claimed));
		});
	}

	/**
	 * Hands a claimed delivery back, due again after the delay, its attempt not counted.
	 */
	private Mono<Void> putBack(ClaimedDelivery delivery, Duration delay) {
		return this.database
			.sql("update webhook_deliveries set next_attempt_at = now() + make_interval(secs => :delay), "
					+ "attempt_count = attempt_count - 1, locked_by = null, lease_id = null, updated_at = now() "
					+ "where id = :id and lease_id = :leaseId")
			.bind("delay", delay.toMillis() / 1000.0)
			.bind("id", delivery.id())
			.bind("leaseId", delivery.leaseId())
			.then();
	}

	/**
	 * Payloads carry task results, up to the response limit each: a claim stops before
	 * the payload bytes it would hold pass what the worker has room for.
	 */
	private Flux<ClaimedDelivery> claim(UUID leaseId, Room room, AtomicBoolean cut) {
		return this.database
			.sql("""
					with due as (
					    select id, message_id, next_attempt_at from webhook_deliveries
					    where status = 'PENDING' and next_attempt_at <= now() and endpoint_id <> all(:busy)
					    order by next_attempt_at
					    limit :limit
					    for update skip locked
					), sized as (
					    select due.id,
					           ((row_number() over w = 1 and :atLeastOne) or sum(octet_length(m.payload)) over w <= :bytes)
					               as fits
					    from due join webhook_messages m on m.id = due.message_id
					    window w as (order by due.next_attempt_at, due.id)
					), claimed as (
					    update webhook_deliveries d
					    set attempt_count = d.attempt_count + 1, next_attempt_at = now() + make_interval(secs => :lease),
					        locked_by = :worker, lease_id = :leaseId, updated_at = now()
					    from sized where d.id = sized.id and sized.fits
					    returning d.id, d.message_id, d.endpoint_id, d.attempt_count
					)
					select c.id, c.message_id, c.endpoint_id, c.attempt_count, m.payload, e.url,
					       m.trace_parent, e.enabled and e.deleted_at is null as active,
					       e.failing_since is not null as failing, e.secret_encrypted,
					       case when e.previous_secret_expires_at > now() then e.previous_secret_encrypted end as previous_secret,
					       exists (select 1 from sized where not sized.fits) as cut
					from claimed c
					join webhook_messages m on m.id = c.message_id
					join webhook_endpoints e on e.id = c.endpoint_id""")
			.bind("limit", room.rows())
			.bind("atLeastOne", room.atLeastOne())
			.bind("bytes", room.bytes())
			.bind("busy", busyKeys().toArray(UUID[]::new))
			.bind("lease", this.settings.leaseSeconds())
			.bind("worker", this.settings.workerId())
			.bind("leaseId", leaseId)
			.map((row, metadata) -> {
				if (Boolean.TRUE.equals(row.get("cut", Boolean.class))) {
					cut.set(true);
				}
				return claimed(row, leaseId);
			})
			.all();
	}

	/**
	 * Sends the delivery; emits the recording of the attempt, which runs after the
	 * endpoint's slot is freed for the next delivery. Queued behind the endpoint's
	 * running deliveries for so long that its lease is half gone, it is handed back
	 * unsent rather than risk a second worker sending it at the same time.
	 */
	private Mono<Mono<Void>> deliver(ClaimedDelivery delivery, CircuitBreaker breaker) {
		if (!delivery.endpointActive()) {
			breaker.releasePermission();
			return Mono.just(record(delivery, Attempt.notSent("The endpoint is disabled or deleted."), "FAILED", null));
		}
		return Mono.defer(() -> {
			if (System.nanoTime() - delivery.claimedAtNanos() > this.settings.lease().toNanos() / 2) {
				breaker.releasePermission();
				return Mono.just(putBack(delivery, Duration.ZERO));
			}
			return this.guard.violation(delivery.url())
				// a name server that does not answer fails this attempt; the schedule
				// retries it
				.onErrorResume(HostLookup.LookupTimeoutException.class, (ex) -> Mono.just(ex.getMessage()))
				.map(Attempt::notSent)
				.switchIfEmpty(Mono.defer(() -> send(delivery)))
				.map((attempt) -> {
					this.meters
						.counter("hookway.webhook.attempts", "outcome", attempt.succeeded() ? "succeeded" : "failed")
						.increment();
					if (attempt.succeeded()) {
						breaker.onSuccess(attempt.durationMs(), TimeUnit.MILLISECONDS);
					}
					else {
						breaker.onError(attempt.durationMs(), TimeUnit.MILLISECONDS, FAILED_ATTEMPT);
					}
					return outcome(delivery, attempt).onErrorResume((ex) -> {
						// the attempt could not be recorded: the lease runs out and the
						// delivery is sent again
						String deliveryId = IdKind.DELIVERY.format(delivery.id());
						logger.atWarn()
							.addKeyValue("deliveryId", deliveryId)
							.addKeyValue("messageId", IdKind.MESSAGE.format(delivery.messageId()))
							.log("Could not record delivery {}: {}", deliveryId, ex.toString());
						return Mono.empty();
					});
				});
		});
	}

	private Mono<Void> outcome(ClaimedDelivery delivery, Attempt attempt) {
		if (attempt.succeeded()) {
			return record(delivery, attempt, "SUCCEEDED", null);
		}
		if (attempt.gone()) {
			return record(delivery, attempt, "FAILED", null);
		}
		Duration delay = nextDelay(delivery.attempt(), attempt.retryAfter());
		return (delay != null) ? record(delivery, attempt, "PENDING", delay)
				: record(delivery, attempt, "FAILED", null);
	}

	/**
	 * One attempt, observed as {@code hookway.webhook} (a timer by outcome, and a span in
	 * the trace of the task the message reports on), so the receiver gets a
	 * {@code traceparent} of that trace.
	 */
	private Mono<Attempt> send(ClaimedDelivery delivery) {
		Observation observation = Traces.continuing("hookway.webhook", delivery.traceParent(), this.observations)
			.contextualName("webhook delivery")
			.lowCardinalityKeyValue("outcome", "error")
			.highCardinalityKeyValue("hookway.delivery.id", IdKind.DELIVERY.format(delivery.id()))
			.highCardinalityKeyValue("hookway.message.id", IdKind.MESSAGE.format(delivery.messageId()));
		return Traces.within(observation, post(delivery).doOnNext((attempt) -> {
			if (attempt.statusCode() != null) {
				observation.lowCardinalityKeyValue("outcome", Traces.statusClass(attempt.statusCode()));
			}
		}));
	}

	private Mono<Attempt> post(ClaimedDelivery delivery) {
		String messageId = IdKind.MESSAGE.format(delivery.messageId());
		long timestamp = Instant.now().getEpochSecond();
		String signature = WebhookSigner.signatureHeader(delivery.secrets(), messageId, timestamp, delivery.payload());
		Instant started = Instant.now();
		return this.client.post()
			.uri(delivery.url())
			.contentType(MediaType.APPLICATION_JSON)
			.header("webhook-id", messageId)
			.header("webhook-timestamp", Long.toString(timestamp))
			.header("webhook-signature", signature)
			.header(HttpHeaders.USER_AGENT, "Hookway-Webhooks/1")
			.bodyValue(delivery.payload())
			.httpRequest(
					(request) -> request.<HttpClientRequest>getNativeRequest().responseTimeout(this.webhooks.timeout()))
			.exchangeToMono((response) -> response.releaseBody()
				.thenReturn(Attempt.answered(started, response.statusCode().value(),
						RetryAfter.of(response.headers().asHttpHeaders()))))
			.timeout(this.webhooks.timeout())
			.onErrorResume((ex) -> Mono.just(Attempt.failed(started, describe(ex))));
	}

	/** The delay before the next attempt, or null when the schedule is exhausted. */
	private @Nullable Duration nextDelay(int attempt, @Nullable Duration retryAfter) {
		List<Duration> schedule = this.webhooks.retrySchedule();
		if (attempt > schedule.size()) {
			return null;
		}
		Duration scheduled = schedule.get(attempt - 1);
		long jittered = (long) (scheduled.toMillis() * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
		Duration delay = Duration.ofMillis(jittered);
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = (retryAfter.compareTo(MAX_RETRY_AFTER) > 0) ? MAX_RETRY_AFTER : retryAfter;
		}
		return delay;
	}

	/**
	 * Logs the attempt and the delivery's new state; the endpoint's health is written
	 * only when it changes (a failure, a 410, or a success after failures), so that a
	 * busy, healthy endpoint's row is not updated on every delivery.
	 */
	private Mono<Void> record(ClaimedDelivery delivery, Attempt attempt, String status, @Nullable Duration delay) {
		log(delivery, attempt, status, delay);
		AttemptLog.Entry entry = new AttemptLog.Entry(delivery.id(), delivery.leaseId(), delivery.attempt(),
				attempt.at().toEpochMilli(), attempt.statusCode(), attempt.durationMs(), attempt.error(), status,
				(delay != null) ? delay.toMillis() / 1000.0 : 0.0);
		boolean healthChanges = !attempt.succeeded() || delivery.endpointFailing();
		return this.attempts.record(entry)
			.flatMap((recorded) -> (recorded && healthChanges) ? recordHealth(delivery, attempt) : Mono.empty());
	}

	private Mono<Void> recordHealth(ClaimedDelivery delivery, Attempt attempt) {
		return this.database.sql("""
				update webhook_endpoints e
				set failing_since = case when :succeeded then null else coalesce(e.failing_since, now()) end,
				    enabled = e.enabled and not (:gone or (not :succeeded
				              and coalesce(e.failing_since < now() - make_interval(secs => :disableAfter), false))),
				    disabled_reason = case
				        when not e.enabled then e.disabled_reason
				        when :gone then 'The endpoint answered 410 Gone.'
				        when not :succeeded and e.failing_since < now() - make_interval(secs => :disableAfter)
				            then 'Every delivery failed since ' || to_char(e.failing_since at time zone 'UTC',
				                 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || '.'
				        else e.disabled_reason end,
				    updated_at = now()
				where e.id = :endpointId""")
			.bind("succeeded", attempt.succeeded())
			.bind("gone", attempt.gone())
			.bind("disableAfter", (double) this.webhooks.disableAfter().toSeconds())
			.bind("endpointId", delivery.endpointId())
			.then();
	}

	/**
	 * Successes at debug level, failures at info, an endpoint disabled by its 410 as a
	 * warning. Never the payload, the URL or a secret: the ids lead to them.
	 */
	private static void log(ClaimedDelivery delivery, Attempt attempt, String status, @Nullable Duration delay) {
		String deliveryId = IdKind.DELIVERY.format(delivery.id());
		String messageId = IdKind.MESSAGE.format(delivery.messageId());
		String endpointId = IdKind.ENDPOINT.format(delivery.endpointId());
		String outcome = (attempt.statusCode() != null) ? "status " + attempt.statusCode() : attempt.error();
		String next = switch (status) {
			case "SUCCEEDED" -> "delivered";
			case "PENDING" -> "next attempt in " + delay;
			default -> attempt.gone() ? "the endpoint answered 410 and is disabled" : "given up";
		};
		Level level = attempt.succeeded() ? Level.DEBUG : attempt.gone() ? Level.WARN : Level.INFO;
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

	private ClaimedDelivery claimed(Readable row, UUID leaseId) {
		List<WebhookSecret> secrets = new ArrayList<>();
		secrets.add(secret(row.get("secret_encrypted", byte[].class)));
		byte[] previous = row.get("previous_secret", byte[].class);
		if (previous != null) {
			secrets.add(secret(previous));
		}
		return new ClaimedDelivery(row.get("id", UUID.class), row.get("message_id", UUID.class),
				row.get("endpoint_id", UUID.class), row.get("attempt_count", Integer.class),
				row.get("payload", String.class), row.get("url", String.class),
				Boolean.TRUE.equals(row.get("active", Boolean.class)),
				Boolean.TRUE.equals(row.get("failing", Boolean.class)), secrets, row.get("trace_parent", String.class),
				leaseId, System.nanoTime());
	}

	private WebhookSecret secret(byte @Nullable [] sealed) {
		if (sealed == null) {
			throw new IllegalStateException("An endpoint has no secret");
		}
		return WebhookSecret.ofKey(this.cipher.decrypt(WebhookSecret.CIPHER_PURPOSE, sealed));
	}

	private String describe(Throwable ex) {
		if (ex instanceof TimeoutException || ex instanceof io.netty.handler.timeout.ReadTimeoutException
				|| ex.getCause() instanceof io.netty.handler.timeout.ReadTimeoutException) {
			return "No response within " + this.webhooks.timeout() + ".";
		}
		if (ex.getCause() instanceof java.net.ConnectException || ex instanceof java.net.ConnectException) {
			return "Connection refused.";
		}
		// the endpoint's own host name: its look-up timed out, failed, or gave a
		// forbidden address
		for (Throwable cause = ex; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof java.net.UnknownHostException unknown) {
				return unknown.getMessage() + ".";
			}
		}
		return "Request failed: " + ex.getClass().getSimpleName() + ".";
	}

	/**
	 * Names every webhook request's client {@code webhooks} in
	 * {@code http.client.requests}: the host, the default, would add series for every
	 * endpoint host any application ever registered.
	 */
	private static final class WebhookClientConvention extends DefaultClientRequestObservationConvention {

		@Override
		protected KeyValue clientName(ClientRequestObservationContext context) {
			return KeyValue.of("client.name", "webhooks");
		}

	}

	private record ClaimedDelivery(UUID id, UUID messageId, UUID endpointId, int attempt, String payload, String url,
			boolean endpointActive, boolean endpointFailing, List<WebhookSecret> secrets, @Nullable String traceParent,
			UUID leaseId, long claimedAtNanos) {
	}

	/**
	 * One attempt's outcome; only a 2xx counts as delivered, redirects included as
	 * failures.
	 */
	private record Attempt(Instant at, @Nullable Integer statusCode, int durationMs, @Nullable String error,
			@Nullable Duration retryAfter) {

		static Attempt answered(Instant started, int statusCode, @Nullable Duration retryAfter) {
			boolean honoured = statusCode == 429 || statusCode == 503;
			return new Attempt(started, statusCode, elapsed(started), null, honoured ? retryAfter : null);
		}

		static Attempt failed(Instant started, String error) {
			return new Attempt(started, null, elapsed(started), error, null);
		}

		static Attempt notSent(String reason) {
			return new Attempt(Instant.now(), null, 0, reason, null);
		}

		boolean succeeded() {
			return this.statusCode != null && this.statusCode >= 200 && this.statusCode < 300;
		}

		/** 410 Gone: the receiver says the endpoint is no more; it is disabled. */
		boolean gone() {
			return this.statusCode != null && this.statusCode == 410;
		}

		private static int elapsed(Instant started) {
			return (int) Duration.between(started, Instant.now()).toMillis();
		}

	}

}
