package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
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
import io.hookway.dispatcher.queue.HandBacks;
import io.hookway.dispatcher.queue.Lanes;
import io.hookway.dispatcher.queue.Lease;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * The task queue's statements: claiming due tasks of the routes this process runs, and
 * handing tasks back.
 */
final class TaskClaims {

	/**
	 * Claims ready rows under a lease, fairly: a round over the applications with ready
	 * tasks of the routes given, in turns, and over their routes that are not busy here
	 * (see the delivery claim, whose lanes are endpoints); each application gets an equal
	 * share. A new attempt gets a new completion token, replacing the previous attempt's
	 * and dropping any report stored for it: a report counts only if the attempt it came
	 * with answered 202. Bodies are up to the body limit each: a claim stops before the
	 * bytes it would hold pass what the worker has room for.
	 */
	private static final String CLAIM = """
			with recursive apps as (
			    (select application_id from tasks
			     where next_attempt_at is not null and ready and route = any(:routes) and application_id > :start
			     order by application_id limit 1)
			  union all
			    select (select t.application_id from tasks t
			            where t.next_attempt_at is not null and t.ready and t.route = any(:routes)
			              and t.application_id > apps.application_id
			            order by t.application_id limit 1)
			    from apps where apps.application_id is not null
			), head as (
			    (select application_id from tasks
			     where next_attempt_at is not null and ready and route = any(:routes)
			     order by application_id limit 1)
			  union all
			    select (select t.application_id from tasks t
			            where t.next_attempt_at is not null and t.ready and t.route = any(:routes)
			              and t.application_id > head.application_id and t.application_id <= :start
			            order by t.application_id limit 1)
			    from head where head.application_id is not null
			), chosen_apps as (
			    select application_id, row_number() over () as app_ord from (
			        select application_id from apps where application_id is not null
			        union all
			        select application_id from head where application_id is not null and application_id <= :start
			        limit :maxApps) a
			), lanes as materialized (
			    select a.application_id, a.app_ord, l.route
			    from chosen_apps a
			    cross join lateral (
			        with recursive rs as (
			            (select coalesce(
			                (select route from tasks
			                 where next_attempt_at is not null and ready and application_id = a.application_id
			                   and route = any(:routes) and route > :routeStart
			                 order by route limit 1),
			                (select route from tasks
			                 where next_attempt_at is not null and ready and application_id = a.application_id
			                   and route = any(:routes)
			                 order by route limit 1)) as route)
			          union all
			            select (select t.route from tasks t
			                    where t.next_attempt_at is not null and t.ready and t.application_id = a.application_id
			                      and t.route = any(:routes) and t.route > rs.route
			                    order by t.route limit 1)
			            from rs where rs.route is not null
			        )
			        select route from rs where route is not null limit :perApp
			    ) l
			    limit :maxLanes
			), quota as (
			    select application_id, app_ord, route,
			           greatest(1, ceil(:limit::numeric / (select count(distinct application_id) from lanes)
			               / count(*) over (partition by application_id)))::int as q
			    from lanes
			), picked as (
			    select t.id, t.next_attempt_at, t.size, quota.route,
			           row_number() over (partition by quota.route order by t.rank, quota.app_ord) as turn
			    from quota cross join lateral (
			        select id, next_attempt_at,
			               coalesce(octet_length(request_body), 0) + coalesce(octet_length(result_body), 0) as size,
			               row_number() over (order by next_attempt_at) as rank
			        from (select id, next_attempt_at, request_body, result_body from tasks t
			              where t.next_attempt_at is not null and t.ready and t.application_id = quota.application_id
			                and t.route = quota.route and t.next_attempt_at <= now()
			              order by t.next_attempt_at limit quota.q
			              for update skip locked) t
			    ) t
			), due as (
			    -- a route's free slots go round the applications: each one's oldest first
			    select picked.id, picked.next_attempt_at, picked.size
			    from picked join unnest(:routes, :free) as f(route, free) on f.route = picked.route
			    where picked.turn <= f.free
			    order by picked.turn
			    limit :limit
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
			    next_attempt_at = now() + make_interval(secs => :lease), ready = false,
			    locked_by = :worker, lease_id = :leaseId, updated_at = now()
			from attempt where t.id = attempt.id
			returning t.id, t.application_id, t.route, t.method, t.path, t.query, t.request_headers,
			          t.request_body, t.attempts, t.completion_deadline,
			          t.result_status, t.result_headers, t.result_body, t.trace_parent,
			          case when t.completion_deadline is null then attempt.token end as completion_token,
			          exists (select 1 from sized where not sized.fits) as cut"""
		.formatted(CompletionToken.NEW_TOKEN_SQL, CompletionToken.hashSql("attempt.token"));

	/**
	 * Waiting rows whose time has come (retries, leases that ran out, reports' deadlines)
	 * become ready, a batch at a time.
	 */
	private static final String PROMOTE = """
			with due as (
			    select id from tasks
			    where next_attempt_at is not null and not ready and next_attempt_at <= now()
			    order by next_attempt_at limit :limit
			    for update skip locked
			)
			update tasks t set ready = true from due where t.id = due.id""";

	/** Due again after each delay, the attempt not counted and its token dropped. */
	private static final String HAND_BACK = """
			update tasks t
			set next_attempt_at = now() + make_interval(secs => h.delay), ready = h.delay <= 0,
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

	/**
	 * Claims ready tasks of the routes given, which are those this process runs, no more
	 * of each than its free slots.
	 * @param freeSlots free slots by route, none of them zero
	 */
	Mono<Claimed<ClaimedTask>> claim(Claim claim, Map<String, Integer> freeSlots) {
		if (freeSlots.isEmpty()) {
			return Mono.just(new Claimed<>(List.of(), false));
		}
		String[] names = freeSlots.keySet().toArray(String[]::new);
		Integer[] free = Arrays.stream(names).map(freeSlots::get).toArray(Integer[]::new);
		AtomicBoolean cut = new AtomicBoolean();
		return this.database.sql(CLAIM)
			.bind("routes", names)
			.bind("free", free)
			.bind("start", claim.start())
			.bind("routeStart", names[ThreadLocalRandom.current().nextInt(names.length)])
			.bind("maxApps", Lanes.MAX_APPLICATIONS)
			.bind("perApp", Lanes.PER_APPLICATION)
			.bind("maxLanes", Lanes.MAX_LANES)
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

	/** Makes due waiting rows ready; emits how many. */
	Mono<Long> promote(int limit) {
		return this.database.sql(PROMOTE).bind("limit", limit).fetch().rowsUpdated();
	}

	Mono<Void> handBack(List<ClaimedTask> tasks, List<Duration> delays) {
		return HandBacks.columns(tasks, delays).bindTo(this.database.sql(HAND_BACK)).then();
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
