package io.hookway.dispatcher.delivery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.queue.GroupedWriter;
import io.hookway.core.webhook.DeliveryStatus;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * Records delivery attempts in groups: for every attempt of a group, in one statement,
 * the delivery's new state (fenced by its lease) and the attempt's row in the log. A
 * delivery whose lease was lost to another worker is left alone, and its attempt is not
 * logged. A delivery that failed its last attempt is published as
 * {@code delivery.exhausted} by the same statement, when {@link OperationalEvents} says
 * so.
 * <p>
 * These commits do not wait for the disk ({@code synchronous_commit} off for their own
 * transaction only): one lost in a crash leaves its delivery leased, the lease runs out
 * and the webhook is sent again with the same {@code webhook-id}, which receivers dedupe
 * on. Nothing else is written this way but a {@code delivery.exhausted} message, lost
 * only with the failure it reports and then published when the delivery fails again.
 */
final class AttemptLog {

	private static final String RECORD = """
			with unsynced as materialized (
			    select set_config('synchronous_commit', 'off', true)
			), a as (
			    select u.* from unsynced, unnest(:ids, :leases, :attempts, :attemptedAtMillis, :statusCodes, :durations, :errors,
			                         :statuses, :delays%s)
			        as u(id, lease_id, attempt, attempted_at_ms, status_code, duration_ms, error, status, delay%s)
			), recorded as (
			    update webhook_deliveries d
			    set status = a.status,
			        next_attempt_at = case when a.status = 'PENDING' then now() + make_interval(secs => a.delay) end,
			        ready = false,
			        locked_by = null, lease_id = null, updated_at = now()
			    from a where d.id = a.id and d.lease_id = a.lease_id
			    returning d.id
			)%s
			insert into delivery_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error)
			select a.id, a.attempt, to_timestamp(a.attempted_at_ms / 1000.0), a.status_code, a.duration_ms, a.error
			from a join recorded r on r.id = a.id
			returning delivery_id""";

	private static final String RECORD_ONLY = RECORD.formatted("", "", "");

	/**
	 * As {@link #RECORD_ONLY}, and for each recorded delivery that was exhausted, its
	 * {@code delivery.exhausted} message and that message's deliveries.
	 */
	private static final String RECORD_AND_PUBLISH = RECORD.formatted(", :eventIds, :events", ", event_id, event", """
			, announced as (
			    insert into webhook_messages (id, application_id, event_type, payload)
			    select a.event_id, :operations, 'delivery.exhausted', a.event
			    from a join recorded r on r.id = a.id
			    where a.event_id is not null
			    returning id, application_id, event_type
			), published as (
			%s
			)""".formatted(OperationalEvents.FAN_OUT));

	private final DatabaseClient database;

	private final GroupedWriter<Entry, Boolean> writer;

	private final OperationalEvents events;

	AttemptLog(DatabaseClient database, int batchSize, int writers, OperationalEvents events) {
		this.database = database;
		this.events = events;
		this.writer = new GroupedWriter<>(batchSize, writers, Integer.MAX_VALUE, this::write);
	}

	/** Emits whether the attempt was recorded, that is whether the lease still held. */
	Mono<Boolean> record(Entry entry) {
		return this.writer.submit(entry).defaultIfEmpty(false);
	}

	private Mono<Map<Entry, Boolean>> write(List<Entry> batch) {
		int size = batch.size();
		UUID[] ids = new UUID[size];
		UUID[] leases = new UUID[size];
		Integer[] attempts = new Integer[size];
		Long[] attemptedAtMillis = new Long[size];
		Integer[] statusCodes = new Integer[size];
		Integer[] durations = new Integer[size];
		String[] errors = new String[size];
		String[] statuses = new String[size];
		Double[] delays = new Double[size];
		UUID[] eventIds = new UUID[size];
		String[] events = new String[size];
		boolean publishing = batch.stream().anyMatch((entry) -> entry.exhaustedEvent() != null);
		for (int i = 0; i < size; i++) {
			Entry entry = batch.get(i);
			ids[i] = entry.deliveryId();
			leases[i] = entry.leaseId();
			attempts[i] = entry.attempt();
			attemptedAtMillis[i] = entry.attemptedAtMillis();
			statusCodes[i] = entry.statusCode();
			durations[i] = entry.durationMs();
			errors[i] = entry.error();
			statuses[i] = entry.status().name();
			delays[i] = entry.delaySeconds();
			if (entry.exhaustedEvent() != null) {
				eventIds[i] = IdKind.newUuid();
				events[i] = entry.exhaustedEvent();
			}
		}
		GenericExecuteSpec statement = this.database.sql(publishing ? RECORD_AND_PUBLISH : RECORD_ONLY);
		if (publishing) {
			statement = statement.bind("eventIds", eventIds)
				.bind("events", events)
				.bind("operations", this.events.application());
		}
		return statement.bind("ids", ids)
			.bind("leases", leases)
			.bind("attempts", attempts)
			.bind("attemptedAtMillis", attemptedAtMillis)
			.bind("statusCodes", statusCodes)
			.bind("durations", durations)
			.bind("errors", errors)
			.bind("statuses", statuses)
			.bind("delays", delays)
			.map((row, metadata) -> row.get("delivery_id", UUID.class))
			.all()
			.collectList()
			.doOnNext((recorded) -> {
				if (publishing) {
					this.events.published();
				}
			})
			.map((recorded) -> {
				Set<UUID> done = new HashSet<>(recorded);
				Map<Entry, Boolean> results = new HashMap<>(size * 2);
				for (Entry entry : batch) {
					results.put(entry, done.contains(entry.deliveryId()));
				}
				return results;
			});
	}

	/**
	 * One attempt and the delivery's state after it.
	 *
	 * @param status the delivery's new status; a PENDING one is due again after
	 * {@code delaySeconds}
	 * @param exhaustedEvent the {@code delivery.exhausted} payload to publish with a
	 * delivery failed after its last attempt, if events are published about it
	 */
	record Entry(UUID deliveryId, UUID leaseId, int attempt, long attemptedAtMillis, @Nullable Integer statusCode,
			int durationMs, @Nullable String error, DeliveryStatus status, double delaySeconds,
			@Nullable String exhaustedEvent) {
	}

}
