package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.task.CompletionToken;
import io.hookway.core.task.TaskResult;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.queue.Claim;
import io.hookway.dispatcher.queue.Claimed;
import io.hookway.dispatcher.queue.Lease;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The task queue's statements: claiming due tasks of the routes this process runs, and
 * handing tasks back.
 */
final class TaskClaims {

	/**
	 * Claims due rows under a lease. A new attempt gets a new completion token, replacing
	 * the previous attempt's and dropping any report stored for it: a report counts only
	 * if the attempt it came with answered 202. Bodies are up to the body limit each: a
	 * claim stops before the bytes it would hold pass what the worker has room for.
	 */
	private static final String CLAIM = """
			with due as (
			    select id, next_attempt_at,
			           coalesce(octet_length(request_body), 0) + coalesce(octet_length(result_body), 0) as size
			    from tasks
			    where next_attempt_at <= now() and route = any(:routes)
			    order by next_attempt_at
			    limit :limit
			    for update skip locked
			), sized as (
			    select id, ((row_number() over w = 1 and :atLeastOne) or sum(size) over w <= :bytes) as fits
			    from due
			    window w as (order by next_attempt_at, id)
			), attempt as (
			    select id, %s as token from sized where fits
			)
			update tasks t
			set status = 'RUNNING',
			    attempts = case when t.completion_deadline is null then t.attempts + 1 else t.attempts end,
			    completion_token_hash = case when t.completion_deadline is null
			        then %s else t.completion_token_hash end,
			    result_status = case when t.completion_deadline is null then null else t.result_status end,
			    result_headers = case when t.completion_deadline is null then null else t.result_headers end,
			    result_body = case when t.completion_deadline is null then null else t.result_body end,
			    next_attempt_at = now() + make_interval(secs => :lease),
			    locked_by = :worker, lease_id = :leaseId, updated_at = now()
			from attempt where t.id = attempt.id
			returning t.id, t.application_id, t.route, t.method, t.path, t.query, t.request_headers,
			          t.request_body, t.attempts, t.completion_deadline,
			          t.result_status, t.result_headers, t.result_body, t.trace_parent,
			          case when t.completion_deadline is null then attempt.token end as completion_token,
			          exists (select 1 from sized where not sized.fits) as cut"""
		.formatted(CompletionToken.NEW_TOKEN_SQL, CompletionToken.hashSql("attempt.token"));

	/** Due again after each delay, the attempt not counted and its token dropped. */
	private static final String HAND_BACK = """
			update tasks t
			set next_attempt_at = now() + make_interval(secs => h.delay),
			    attempts = case when t.completion_deadline is null then t.attempts - 1 else t.attempts end,
			    status = case when t.attempts = 1 and t.completion_deadline is null then 'ACCEPTED' else t.status end,
			    completion_token_hash = case when t.completion_deadline is null then null else t.completion_token_hash end,
			    locked_by = null, lease_id = null, updated_at = now()
			from unnest(:ids, :leases, :delays) as h(id, lease_id, delay)
			where t.id = h.id and t.lease_id = h.lease_id""";

	private static final TypeReference<Map<String, List<String>>> HEADERS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, String>> RESULT_HEADERS = new TypeReference<>() {
	};

	private final DatabaseClient database;

	private final DispatcherSettings settings;

	private final JsonMapper json;

	TaskClaims(DatabaseClient database, DispatcherSettings settings, JsonMapper json) {
		this.database = database;
		this.settings = settings;
		this.json = json;
	}

	/** Claims due tasks of the routes given, which are those this process runs. */
	Mono<Claimed<ClaimedTask>> claim(Claim claim, Set<String> routes) {
		if (routes.isEmpty()) {
			return Mono.just(new Claimed<>(List.of(), false));
		}
		AtomicBoolean cut = new AtomicBoolean();
		return this.database.sql(CLAIM)
			.bind("routes", routes.toArray(String[]::new))
			.bind("limit", claim.rows())
			.bind("atLeastOne", claim.atLeastOne())
			.bind("bytes", claim.bytes())
			.bind("lease", this.settings.leaseSeconds())
			.bind("worker", this.settings.workerId())
			.bind("leaseId", claim.lease().id())
			.map((row, metadata) -> {
				if (Boolean.TRUE.equals(row.get("cut", Boolean.class))) {
					cut.set(true);
				}
				return claimed(row, claim.lease());
			})
			.all()
			.collectList()
			.map((tasks) -> new Claimed<>(tasks, cut.get()));
	}

	Mono<Void> handBack(List<ClaimedTask> tasks, List<Duration> delays) {
		int size = tasks.size();
		UUID[] ids = new UUID[size];
		UUID[] leases = new UUID[size];
		Double[] seconds = new Double[size];
		for (int i = 0; i < size; i++) {
			ids[i] = tasks.get(i).id();
			leases[i] = tasks.get(i).lease().id();
			seconds[i] = delays.get(i).toMillis() / 1000.0;
		}
		return this.database.sql(HAND_BACK).bind("ids", ids).bind("leases", leases).bind("delays", seconds).then();
	}

	private ClaimedTask claimed(Readable row, Lease lease) {
		Json headers = row.get("request_headers", Json.class);
		byte[] body = row.get("request_body", byte[].class);
		Integer reportedStatus = row.get("result_status", Integer.class);
		Json reportedHeaders = row.get("result_headers", Json.class);
		TaskResult reported = (reportedStatus != null) ? new TaskResult(reportedStatus,
				(reportedHeaders != null) ? this.json.readValue(reportedHeaders.asString(), RESULT_HEADERS) : Map.of(),
				row.get("result_body", byte[].class)) : null;
		return new ClaimedTask(row.get("id", UUID.class), row.get("application_id", UUID.class),
				row.get("route", String.class), row.get("method", String.class), row.get("path", String.class),
				row.get("query", String.class),
				(headers != null) ? this.json.readValue(headers.asString(), HEADERS) : Map.of(),
				(body != null) ? body : new byte[0], row.get("attempts", Integer.class),
				row.get("completion_deadline", Instant.class), reported, row.get("trace_parent", String.class),
				row.get("completion_token", String.class), lease);
	}

}
