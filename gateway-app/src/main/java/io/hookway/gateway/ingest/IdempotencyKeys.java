package io.hookway.gateway.ingest;

import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import reactor.core.publisher.Mono;

import io.hookway.gateway.idempotency.IdempotencyKey;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Calls sent with an {@code Idempotency-Key}: the first one is stored, a repeat of the
 * same request is answered with the task the first one created, and the key with another
 * request is refused.
 */
@Component
class IdempotencyKeys {

	private final DatabaseClient database;

	private final TaskInserter inserter;

	IdempotencyKeys(DatabaseClient database, TaskInserter inserter) {
		this.database = database;
		this.inserter = inserter;
	}

	/**
	 * Inserts the task; when its key is taken, the row holding it is read back instead.
	 * Postgres makes a concurrent insert of the same key wait for the first one's commit,
	 * so a racing request sees the first task, never a second one. The read-back gets
	 * what is left of the call's database timeout ({@code due}, in nanoTime), not a
	 * timeout of its own.
	 */
	Mono<Accepted> insert(NewTask task, long due) {
		byte[] hash = task.requestHash();
		Mono<StoredTask> readBack = this.database
			.sql("select id, route, created_at, request_hash from tasks "
					+ "where application_id = :applicationId and idempotency_key = :idempotencyKey")
			.bind("applicationId", task.applicationId())
			.bind("idempotencyKey", task.idempotencyKey())
			.map((row, metadata) -> new StoredTask(row.get("id", UUID.class), row.get("route", String.class),
					row.get("created_at", Instant.class), row.get("request_hash", byte[].class)))
			.one();
		Mono<Accepted> existing = Mono.defer(() -> {
			long left = due - System.nanoTime();
			return (left > 0) ? readBack.timeout(Duration.ofNanos(left))
					: Mono.error(new TimeoutException("No time left to read back the task holding the key"));
		}).switchIfEmpty(Mono.error(IdempotencyKey::inUse)).map((stored) -> {
			if (!MessageDigest.isEqual(stored.requestHash(), hash)) {
				throw IdempotencyKey.reused();
			}
			return Accepted.replayed(stored);
		});
		return this.inserter.insert(task).map(Accepted::fresh).switchIfEmpty(existing);
	}

	/** The task a call is answered with, and whether an earlier call created it. */
	record Accepted(StoredTask task, boolean replayed) {

		static Accepted fresh(StoredTask task) {
			return new Accepted(task, false);
		}

		static Accepted replayed(StoredTask task) {
			return new Accepted(task, true);
		}

	}

}
