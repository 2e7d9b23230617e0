package io.hookway.gateway.ingest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;

import io.hookway.core.queue.QueueNotifier;
import io.hookway.gateway.GatewaySettings;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

/**
 * Writes tasks in groups: concurrent requests queue their rows, and whenever a writer is
 * free it takes everything queued (up to the batch size) and inserts it with one
 * multi-row {@code unnest} statement. Each request is answered only after the statement
 * holding its row has committed. Under light load a batch is one row and nothing waits
 * for a timer; under heavy load the commit and the statement overhead are shared by many
 * rows.
 */
@Component
class TaskInserter {

	private static final String INSERT = """
			insert into tasks (id, application_id, route, method, path, query, request_headers, request_body,
			                   idempotency_key, request_hash, status, next_attempt_at)
			select id, application_id, route, method, path, query, cast(headers as jsonb), decode(body, 'base64'),
			       idempotency_key, decode(request_hash, 'base64'), 'ACCEPTED', now()
			from unnest(:ids, :applications, :routes, :methods, :paths, :queries, :headers, :bodies, :keys, :hashes)
			     as t(id, application_id, route, method, path, query, headers, body, idempotency_key, request_hash)
			on conflict (application_id, idempotency_key) where idempotency_key is not null do nothing
			returning id, route, created_at""";

	/**
	 * r2dbc-postgresql has no bytea[] parameters: binary columns travel as base64 text.
	 */
	private static final Base64.Encoder BASE64 = Base64.getEncoder();

	private final DatabaseClient database;

	private final int batchSize;

	private final int writers;

	private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

	private final AtomicInteger activeWriters = new AtomicInteger();

	private final QueueNotifier notifier;

	TaskInserter(DatabaseClient database, GatewaySettings settings, QueueNotifier notifier) {
		this.database = database;
		this.notifier = notifier;
		this.batchSize = settings.insertBatchSize();
		this.writers = settings.insertWriters();
	}

	/**
	 * Emits the committed task, or nothing when its Idempotency-Key was already taken.
	 */
	Mono<StoredTask> insert(NewTask task) {
		return Mono.<StoredTask>create((sink) -> {
			this.queue.offer(new Pending(task, sink));
			drain();
		});
	}

	private void drain() {
		while (true) {
			int active = this.activeWriters.get();
			if (active >= this.writers || this.queue.isEmpty()) {
				return;
			}
			if (this.activeWriters.compareAndSet(active, active + 1)) {
				break;
			}
		}
		List<Pending> batch = new ArrayList<>();
		for (Pending next = this.queue.poll(); next != null; next = (batch.size() < this.batchSize) ? this.queue.poll()
				: null) {
			batch.add(next);
		}
		if (batch.isEmpty()) {
			this.activeWriters.decrementAndGet();
			drain();
			return;
		}
		write(batch).doFinally((signal) -> {
			this.activeWriters.decrementAndGet();
			drain();
		}).subscribe((inserted) -> complete(batch, inserted), (error) -> batch.forEach((p) -> p.sink().error(error)));
	}

	private Mono<Map<UUID, StoredTask>> write(List<Pending> batch) {
		int size = batch.size();
		UUID[] ids = new UUID[size];
		UUID[] applications = new UUID[size];
		String[] routes = new String[size];
		String[] methods = new String[size];
		String[] paths = new String[size];
		String[] queries = new String[size];
		String[] headers = new String[size];
		String[] bodies = new String[size];
		String[] keys = new String[size];
		String[] hashes = new String[size];
		for (int i = 0; i < size; i++) {
			NewTask task = batch.get(i).task();
			ids[i] = task.id();
			applications[i] = task.applicationId();
			routes[i] = task.route();
			methods[i] = task.method();
			paths[i] = task.path();
			queries[i] = task.query();
			headers[i] = task.headersJson();
			bodies[i] = BASE64.encodeToString(task.body());
			keys[i] = task.idempotencyKey();
			hashes[i] = (task.idempotencyKey() != null) ? BASE64.encodeToString(task.requestHash()) : null;
		}
		return this.database.sql(INSERT)
			.bind("ids", ids)
			.bind("applications", applications)
			.bind("routes", routes)
			.bind("methods", methods)
			.bind("paths", paths)
			.bind("queries", queries)
			.bind("headers", headers)
			.bind("bodies", bodies)
			.bind("keys", keys)
			.bind("hashes", hashes)
			.map((row, metadata) -> new StoredTask(row.get("id", UUID.class), row.get("route", String.class),
					row.get("created_at", Instant.class), null))
			.all()
			.collectMap(StoredTask::id, (stored) -> stored, () -> new HashMap<>(size * 2));
	}

	private void complete(List<Pending> batch, Map<UUID, StoredTask> inserted) {
		if (!inserted.isEmpty()) {
			this.notifier.committed(QueueNotifier.TASKS);
		}
		for (Pending pending : batch) {
			StoredTask stored = inserted.get(pending.task().id());
			if (stored != null) {
				pending.sink().success(stored);
			}
			else {
				pending.sink().success();
			}
		}
	}

	private record Pending(NewTask task, MonoSink<StoredTask> sink) {
	}

}
