package io.hookway.gateway.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import reactor.core.publisher.Mono;

import io.hookway.core.queue.GroupedWriter;
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
			                   idempotency_key, request_hash, trace_parent, status, next_attempt_at)
			select id, application_id, route, method, path, query, cast(headers as jsonb), decode(body, 'base64'),
			       idempotency_key, decode(request_hash, 'base64'), trace_parent, 'ACCEPTED', now()
			from unnest(:ids, :applications, :routes, :methods, :paths, :queries, :headers, :bodies, :keys, :hashes,
			            :traceParents)
			     as t(id, application_id, route, method, path, query, headers, body, idempotency_key, request_hash,
			          trace_parent)
			on conflict (application_id, idempotency_key) where idempotency_key is not null do nothing
			returning id, route, created_at""";

	/**
	 * r2dbc-postgresql has no bytea[] parameters: binary columns travel as base64 text.
	 */
	private static final Base64.Encoder BASE64 = Base64.getEncoder();

	private final DatabaseClient database;

	private final QueueNotifier notifier;

	private final GroupedWriter<NewTask, StoredTask> writer;

	private final Duration databaseTimeout;

	TaskInserter(DatabaseClient database, GatewaySettings settings, QueueNotifier notifier) {
		this.database = database;
		this.notifier = notifier;
		this.databaseTimeout = settings.databaseTimeout();
		this.writer = new GroupedWriter<>(settings.insertBatchSize(), settings.insertWriters(),
				settings.insertBatchSize() * settings.insertWriters() * 8, this::write);
	}

	/**
	 * Emits the committed task, or nothing when its Idempotency-Key was already taken.
	 */
	Mono<StoredTask> insert(NewTask task) {
		return this.writer.submit(task).timeout(this.databaseTimeout);
	}

	private Mono<Map<NewTask, StoredTask>> write(List<NewTask> batch) {
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
		String[] traceParents = new String[size];
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
			keys[i] = task.idempotencyKey();
			hashes[i] = (task.idempotencyKey() != null) ? BASE64.encodeToString(task.requestHash()) : null;
			traceParents[i] = task.traceParent();
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
			.bind("traceParents", traceParents)
			.map((row, metadata) -> new StoredTask(row.get("id", UUID.class), row.get("route", String.class),
					row.get("created_at", Instant.class), null))
			.all()
			.collectMap(StoredTask::id, (stored) -> stored, () -> new HashMap<>(size * 2))
			.map((inserted) -> {
				if (!inserted.isEmpty()) {
					this.notifier.committed(QueueNotifier.TASKS);
				}
				Map<NewTask, StoredTask> byTask = new HashMap<>(size * 2);
				for (NewTask task : batch) {
					StoredTask stored = inserted.get(task.id());
					if (stored != null) {
						byTask.put(task, stored);
					}
				}
				return byTask;
			});
	}

}
