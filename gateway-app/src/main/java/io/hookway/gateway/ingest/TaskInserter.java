package io.hookway.gateway.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Statement;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.gateway.GatewaySettings;
import io.hookway.gateway.store.BoundedTransaction;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Writes tasks in groups: concurrent requests queue their rows, and whenever a writer is
 * free it takes what is queued (up to the batch size and the batch byte limit) and
 * inserts it with one multi-row {@code unnest} statement. Each request is answered only
 * after the statement holding its row has committed. Under light load a batch is one row
 * and nothing waits for a timer; under heavy load the commit and the statement overhead
 * are shared by many rows.
 * <p>
 * A 503 must mean "not stored" and a 202 "stored", and either comes within the database
 * timeout. A call still queued when its queue deadline passes (the timeout less what a
 * statement and its grace are kept, see {@link BoundedTransaction#beginWithin}) is taken
 * out and answered 503. Once its row is in a statement, the call waits for that
 * statement, a {@link BoundedTransaction} ending with the earliest caller's timeout: a
 * failure before the commit is "not stored"; only a commit unanswered by then leaves the
 * outcome unknown, which is said as such (504).
 */
@Component
class TaskInserter {

	/**
	 * A batch in which no call sent an Idempotency-Key cannot conflict: every row goes
	 * in, or the statement fails. It returns no rows, only the transaction's time, which
	 * is what {@code created_at} defaults to.
	 */
	private static final String INSERT = """
			with inserted as (
			    insert into tasks (id, application_id, route, method, path, query, request_headers, request_body,
			                       trace_parent, status, next_attempt_at)
			    select id, application_id, route, method, path, query, cast(headers as jsonb), decode(body, 'base64'),
			           trace_parent, 'ACCEPTED', now()
			    from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			                $8::text[], $9::text[])
			         as t(id, application_id, route, method, path, query, headers, body, trace_parent)
			)
			select now() as created_at""";

	/**
	 * With keys, a row whose key is taken is left out; the rows returned are those that
	 * went in.
	 */
	private static final String INSERT_WITH_KEYS = """
			insert into tasks (id, application_id, route, method, path, query, request_headers, request_body,
			                   trace_parent, idempotency_key, request_hash, status, next_attempt_at)
			select id, application_id, route, method, path, query, cast(headers as jsonb), decode(body, 'base64'),
			       trace_parent, idempotency_key, decode(request_hash, 'base64'), 'ACCEPTED', now()
			from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
			            $8::text[], $9::text[], $10::text[], $11::text[])
			     as t(id, application_id, route, method, path, query, headers, body, trace_parent, idempotency_key,
			          request_hash)
			on conflict (application_id, idempotency_key) where idempotency_key is not null do nothing
			returning id, created_at""";

	/**
	 * r2dbc-postgresql has no bytea[] parameters: binary columns travel as base64 text.
	 */
	private static final Base64.Encoder BASE64 = Base64.getEncoder();

	private final ConnectionFactory connections;

	private final QueueNotifier notifier;

	private final GroupedWriter<NewTask, StoredTask> writer;

	private final Duration databaseTimeout;

	private final Duration queueDeadline;

	TaskInserter(DatabaseClient database, GatewaySettings settings, QueueNotifier notifier) {
		this.connections = database.getConnectionFactory();
		this.notifier = notifier;
		this.databaseTimeout = settings.databaseTimeout();
		this.queueDeadline = BoundedTransaction.beginWithin(this.databaseTimeout);
		// batches are cut by the bytes they store; what a body costs in memory while it
		// is written is the body budget's business (NewTask#weight)
		this.writer = GroupedWriter.startingLate(settings.insertBatchSize(), settings.insertBatchBytes().toBytes(),
				(task) -> task.body().length + task.headersJson().length(), settings.insertWriters(),
				settings.insertBatchSize() * settings.insertWriters() * 8, this::write);
	}

	/**
	 * Emits the committed task, or nothing when its Idempotency-Key was already taken.
	 */
	Mono<StoredTask> insert(NewTask task) {
		return this.writer.submit(task, this.queueDeadline);
	}

	private Mono<Map<NewTask, StoredTask>> write(GroupedWriter.Batch<NewTask> batch) {
		return BoundedTransaction.run(this.connections, this.databaseTimeout, null, () -> {
			if (batch.start().isEmpty()) {
				return Optional.empty();
			}
			// the batch's queue deadline is its earliest caller's answer time less what
			// the statement and the grace were kept
			Duration toQueueDeadline = batch.timeLeft();
			return Optional.of((toQueueDeadline != null)
					? toQueueDeadline.plus(this.databaseTimeout.minus(this.queueDeadline)) : this.databaseTimeout);
		}, (connection) -> insert(connection, batch.start()), (result) -> {
			if (!result.isEmpty()) {
				this.notifier.committed(QueueNotifier.TASKS);
			}
		}).defaultIfEmpty(Map.of());
	}

	/**
	 * Rows go in in key order: two batches whose Idempotency-Keys cross would otherwise
	 * each wait for the other's uncommitted key, a deadlock that fails both.
	 */
	private static final Comparator<NewTask> KEY_ORDER = Comparator
		.comparing(NewTask::idempotencyKey, Comparator.nullsLast(Comparator.naturalOrder()))
		.thenComparing(NewTask::applicationId);

	private Mono<Map<NewTask, StoredTask>> insert(Connection connection, List<NewTask> started) {
		List<NewTask> batch = started.stream().sorted(KEY_ORDER).toList();
		int size = batch.size();
		// keys sort first: the batch has keys when its first row has one
		boolean withKeys = batch.get(0).idempotencyKey() != null;
		UUID[] ids = new UUID[size];
		UUID[] applications = new UUID[size];
		String[] routes = new String[size];
		String[] methods = new String[size];
		String[] paths = new String[size];
		String[] queries = new String[size];
		String[] headers = new String[size];
		String[] bodies = new String[size];
		String[] traceParents = new String[size];
		String[] keys = withKeys ? new String[size] : null;
		String[] hashes = withKeys ? new String[size] : null;
		for (int i = 0; i < size; i++) {
			NewTask task = batch.get(i);
			ids[i] = task.id();
			applications[i] = task.applicationId();
			routes[i] = task.route();
			methods[i] = task.method();
			paths[i] = task.path();
			queries[i] = task.query();
			headers[i] = task.headersJson();
			bodies[i] = BASE64.encodeToString(task.body());
			traceParents[i] = task.traceParent();
			if (withKeys) {
				keys[i] = task.idempotencyKey();
				hashes[i] = (task.idempotencyKey() != null) ? BASE64.encodeToString(task.requestHash()) : null;
			}
		}
		Statement statement = connection.createStatement(withKeys ? INSERT_WITH_KEYS : INSERT)
			.bind(0, ids)
			.bind(1, applications)
			.bind(2, routes)
			.bind(3, methods)
			.bind(4, paths)
			.bind(5, queries)
			.bind(6, headers)
			.bind(7, bodies)
			.bind(8, traceParents);
		if (withKeys) {
			statement.bind(9, keys).bind(10, hashes);
		}
		Flux<Result> results = Flux.from(statement.execute());
		// when each row was created, by task id; null for a row left out
		Mono<Function<UUID, Instant>> createdAt = withKeys
				? results
					.concatMap((result) -> result
						.map((row) -> new Inserted(row.get("id", UUID.class), row.get("created_at", Instant.class))))
					.collectMap(Inserted::id, Inserted::createdAt, () -> new HashMap<>(size * 2))
					.map((inserted) -> inserted::get)
				: results.concatMap((result) -> result.map((row) -> row.get("created_at", Instant.class)))
					.single()
					.map((now) -> (id) -> now);
		return createdAt.map((created) -> {
			Map<NewTask, StoredTask> byTask = new HashMap<>(size * 2);
			for (NewTask task : batch) {
				Instant at = created.apply(task.id());
				if (at != null) {
					byTask.put(task, new StoredTask(task.id(), task.route(), at, null));
				}
			}
			return byTask;
		});
	}

	private record Inserted(UUID id, Instant createdAt) {
	}

}
