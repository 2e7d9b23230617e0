package io.hookway.dispatcher.delivery;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Records delivery attempts in groups: for every attempt of a group, in one statement,
 * the delivery's new state (fenced by its lease) and the attempt's row in the log. A
 * delivery whose lease was lost to another worker is left alone, and its attempt is not
 * logged.
 * <p>
 * These commits do not wait for the disk ({@code synchronous_commit} off for their own
 * transaction only): one lost in a crash leaves its delivery leased, the lease runs out
 * and the webhook is sent again with the same {@code webhook-id}, which receivers dedupe
 * on. Nothing else is written this way.
 */
final class AttemptLog {

	private static final String RECORD = """
			with unsynced as materialized (
			    select set_config('synchronous_commit', 'off', true)
			), a as (
			    select u.* from unsynced, unnest(:ids, :leases, :attempts, :attemptedAtMillis, :statusCodes, :durations, :errors,
			                         :statuses, :delays)
			        as u(id, lease_id, attempt, attempted_at_ms, status_code, duration_ms, error, status, delay)
			), recorded as (
			    update webhook_deliveries d
			    set status = a.status,
			        next_attempt_at = case when a.status = 'PENDING' then now() + make_interval(secs => a.delay) end,
			        ready = false,
			        locked_by = null, lease_id = null, updated_at = now()
			    from a where d.id = a.id and d.lease_id = a.lease_id
			    returning d.id
			)
			insert into delivery_attempts (delivery_id, attempt, attempted_at, status_code, duration_ms, error)
			select a.id, a.attempt, to_timestamp(a.attempted_at_ms / 1000.0), a.status_code, a.duration_ms, a.error
			from a join recorded r on r.id = a.id
			returning delivery_id""";

	private final DatabaseClient database;

	private final GroupedWriter<Entry, Boolean> writer;

	AttemptLog(DatabaseClient database, int batchSize, int writers) {
		this.database = database;
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
		for (int i = 0; i < size; i++) {
			Entry entry = batch.get(i);
			ids[i] = entry.deliveryId();
			leases[i] = entry.leaseId();
			attempts[i] = entry.attempt();
			attemptedAtMillis[i] = entry.attemptedAtMillis();
			statusCodes[i] = entry.statusCode();
			durations[i] = entry.durationMs();
			errors[i] = entry.error();
			statuses[i] = entry.status();
			delays[i] = entry.delaySeconds();
		}
		return this.database.sql(RECORD)
			.bind("ids", ids)
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
	 * @param status PENDING (due again after {@code delaySeconds}), SUCCEEDED or FAILED
	 */
	record Entry(UUID deliveryId, UUID leaseId, int attempt, long attemptedAtMillis, @Nullable Integer statusCode,
			int durationMs, @Nullable String error, String status, double delaySeconds) {
	}

}
