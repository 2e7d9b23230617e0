package io.hookway.gateway.event;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Statement;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.hookway.core.event.EventEnvelope;
import io.hookway.core.event.FanOut;
import io.hookway.core.id.IdKind;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.core.web.ApiProblem;
import io.hookway.gateway.GatewaySettings;
import io.hookway.gateway.idempotency.IdempotencyKey;
import io.hookway.gateway.store.BoundedTransaction;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Stores a publication as a message and its deliveries, in one statement: the same outbox
 * as task outcomes, fanned out by the one rule ({@link FanOut}), the deliveries due at
 * once. It is checked before ({@link PublicationChecks}), in one round trip; the whole
 * call answers within the gateway's database timeout, a 503 meaning nothing was stored.
 * <p>
 * A key is the publisher's (the token's client id): a repeat finds the first message and
 * is answered with it. Concurrent requests with one key all insert; PostgreSQL makes the
 * later ones wait for the first one's commit and then skip their row, and they read the
 * first message back, so one message is fanned out once.
 */
@Component
class EventPublisher {

	/**
	 * The application is checked again as the row goes in, so that one disabled since the
	 * look-up gets nothing; deliveries are created as a manual retry makes them: pending,
	 * ready and due now.
	 */
	private static final String PUBLISH = """
			with application as (
			    select id from applications where id = $2 and status = 'ACTIVE'
			), message as (
			    insert into webhook_messages (id, application_id, event_type, payload, created_at, publisher,
			                                  idempotency_key, request_hash, trace_parent)
			    select $1, id, $3, $4, $5, $6, $7, $8, $9 from application
			    on conflict (publisher, idempotency_key) where idempotency_key is not null do nothing
			    returning id, application_id, event_type
			), delivered as (
			    insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
			    select m.id, e.id, m.application_id, m.event_type, now()
			    from message m
			    join webhook_endpoints e on %s
			    returning id
			)
			select exists (select 1 from application) as active, exists (select 1 from message) as stored,
			       (select count(*) from delivered) as deliveries""".formatted(FanOut.SUBSCRIBED_ENDPOINTS);

	private final ConnectionFactory connections;

	private final PublicationChecks checks;

	private final QueueNotifier notifier;

	private final Duration databaseTimeout;

	EventPublisher(DatabaseClient database, PublicationChecks checks, QueueNotifier notifier,
			GatewaySettings settings) {
		this.connections = database.getConnectionFactory();
		this.checks = checks;
		this.notifier = notifier;
		this.databaseTimeout = settings.databaseTimeout();
	}

	/**
	 * The committed message, or the one an earlier request with the key published; a 422
	 * naming each field that breaks a rule, with nothing stored.
	 */
	Mono<PublishedMessage> publish(Publication publication, String publisher, @Nullable String key,
			@Nullable String traceParent) {
		long due = System.nanoTime() + this.databaseTimeout.toNanos();
		return withinDeadline(this.checks.lookUp(publication, publisher, key), due).flatMap((found) -> {
			if (found.stored() != null) {
				return Mono.just(replay(found.stored(), publication.requestHash()));
			}
			this.checks.check(found, publication);
			return insert(publication, publisher, key, traceParent, due);
		});
	}

	private Mono<PublishedMessage> insert(Publication publication, String publisher, @Nullable String key,
			@Nullable String traceParent, long due) {
		UUID id = IdKind.newUuid();
		// as stored in created_at, so that a replay says the same time
		Instant timestamp = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		String payload = EventEnvelope.of(publication.type(), timestamp, publication.dataAsString());
		byte[] hash = publication.requestHash();
		long left = due - System.nanoTime();
		if (left <= 0) {
			return Mono.error(new TimeoutException("No time left to store the message"));
		}
		Duration budget = Duration.ofNanos(left);
		return BoundedTransaction.run(this.connections, budget, BoundedTransaction.beginWithin(budget),
				() -> Optional.of(Duration.ofNanos(due - System.nanoTime())), (connection) -> {
					Statement statement = connection.createStatement(PUBLISH)
						.bind(0, id)
						.bind(1, publication.applicationId())
						.bind(2, publication.type())
						.bind(3, payload)
						.bind(4, timestamp)
						.bind(5, publisher);
					bindOrNull(statement, 6, key, String.class);
					bindOrNull(statement, 7, (key != null) ? hash : null, byte[].class);
					bindOrNull(statement, 8, traceParent, String.class);
					return Flux.from(statement.execute())
						.concatMap((result) -> result.map((row) -> new Outcome(Boolean.TRUE.equals(row.get("active")),
								Boolean.TRUE.equals(row.get("stored")), row.get("deliveries", Long.class))))
						.single();
				}, (outcome) -> {
					if (outcome.stored() && outcome.deliveries() > 0) {
						this.notifier.committed(QueueNotifier.DELIVERIES);
					}
				})
			.flatMap((outcome) -> {
				if (outcome.stored()) {
					return Mono.just(new PublishedMessage(id, publication.applicationId(), publication.type(),
							timestamp, outcome.deliveries(), false));
				}
				if (!outcome.active()) {
					return Mono.error(ApiProblem.invalid("applicationId", "names a disabled application"));
				}
				// only a key makes a row be skipped
				return readBack(publisher, Objects.requireNonNull(key), hash, due);
			});
	}

	/** The message a concurrent request with the key committed while this one waited. */
	private Mono<PublishedMessage> readBack(String publisher, String key, byte[] hash, long due) {
		return withinDeadline(this.checks.stored(publisher, key), due).switchIfEmpty(Mono.error(IdempotencyKey::inUse))
			.map((message) -> replay(message, hash));
	}

	private static PublishedMessage replay(PublicationChecks.Stored stored, byte[] hash) {
		if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
			throw IdempotencyKey.reused();
		}
		return new PublishedMessage(stored.id(), stored.applicationId(), stored.type(), stored.createdAt(),
				stored.deliveries(), true);
	}

	private static <T> void bindOrNull(Statement statement, int index, @Nullable T value, Class<T> type) {
		if (value != null) {
			statement.bind(index, value);
		}
		else {
			statement.bindNull(index, type);
		}
	}

	/** The query under what is left of the call's database timeout. */
	private static <T> Mono<T> withinDeadline(Mono<T> query, long due) {
		return Mono.defer(() -> {
			long left = due - System.nanoTime();
			return (left > 0) ? query.timeout(Duration.ofNanos(left))
					: Mono.error(new TimeoutException("No time left for the database"));
		});
	}

	private record Outcome(boolean active, boolean stored, long deliveries) {
	}

}
