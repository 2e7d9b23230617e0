package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.MeterRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.core.route.RouteSettings;
import io.hookway.core.task.CompletionToken;
import io.hookway.core.task.TaskResult;
import io.hookway.dispatcher.DispatcherSettings;
import io.hookway.dispatcher.Breakers;
import io.hookway.dispatcher.QueueWorker;
import io.hookway.dispatcher.QueueSignals;
import io.hookway.dispatcher.delivery.WebhookDeliverer;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Component;

/**
 * Runs accepted tasks against their upstreams. Claims due rows with
 * {@code FOR UPDATE SKIP
 * LOCKED} under a lease, calls the upstream, and writes the outcome fenced by the lease:
 * a final outcome together with its webhook message and one delivery per subscribed
 * endpoint in one statement (transactional outbox), a transient failure as a row due
 * again later.
 */
@Component
class TaskExecutor extends QueueWorker {

	private static final Logger logger = LoggerFactory.getLogger(TaskExecutor.class);

	private static final Duration MAX_BACKOFF = Duration.ofHours(1);

	/** How long a route whose breaker opened is left alone before it is tried again. */
	private static final Duration BREAKER_OPEN = Duration.ofSeconds(10);

	/** When a route already has its share of calls in flight, look again this soon. */
	private static final Duration BUSY_RETRY = Duration.ofSeconds(1);

	/** The in-flight key of finishing handed-over tasks, which call no upstream. */
	private static final Object FINISHING = new Object();

	private static final Exception UPSTREAM_TROUBLE = new Exception("upstream in trouble", null, false, false) {
	};

	private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private static final TypeReference<Map<String, List<String>>> HEADERS = new TypeReference<>() {
	};

	private static final TypeReference<Map<String, String>> RESULT_HEADERS = new TypeReference<>() {
	};

	/**
	 * Claims due rows under a lease. A new attempt gets a new completion token, replacing
	 * the previous attempt's and dropping any report stored for it: a report counts only
	 * if the attempt it came with answered 202.
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

	private final DatabaseClient database;

	private final RouteSettings routes;

	private final DispatcherSettings settings;

	private final UpstreamClient upstream;

	private final JsonMapper json;

	private final WebhookDeliverer deliverer;

	private final Completions completions;

	private final MeterRegistry meters;

	private final CircuitBreakerRegistry breakers;

	TaskExecutor(DatabaseClient database, RouteSettings routes, DispatcherSettings settings, UpstreamClient upstream,
			JsonMapper json, WebhookDeliverer deliverer, QueueSignals signals, MeterRegistry meters) {
		super("task executor", settings);
		this.meters = meters;
		this.database = database;
		this.routes = routes;
		this.settings = settings;
		this.upstream = upstream;
		this.json = json;
		this.deliverer = deliverer;
		routes.routes().forEach((name, route) -> {
			// a call outliving its lease would be made a second time by the worker that
			// takes the row over
			if (route.timeout().multipliedBy(4).compareTo(settings.lease().multipliedBy(3)) >= 0) {
				throw new IllegalStateException("hookway.routes." + name + ".timeout (" + route.timeout()
						+ ") must be under three quarters of hookway.dispatcher.lease (" + settings.lease() + ")");
			}
		});
		this.completions = new Completions(database, settings.batchSize(), 2);
		signals.onSignal(QueueNotifier.TASKS, this::wake);
		this.breakers = Breakers.openingFor(BREAKER_OPEN, "route", (name) -> name);
		Breakers.publishPerRoute(this.breakers, routes.routes().keySet(), meters);
	}

	/** Claims one batch and runs it; emits how many rows it claimed. */
	@Override
	protected Mono<Claimed> runBatch(Room room) {
		UUID leaseId = UUID.randomUUID();
		AtomicBoolean cut = new AtomicBoolean();
		return claim(leaseId, room, cut).collectList().flatMap((tasks) -> {
			List<Mono<Void>> deferred = new ArrayList<>();
			for (ClaimedTask task : tasks) {
				RouteSettings.Route route = this.routes.route(task.route()).orElseThrow();
				CircuitBreaker breaker = this.breakers.circuitBreaker(task.route());
				if (task.completionDeadline() != null) {
					launch(FINISHING, Integer.MAX_VALUE, 0, task.weight(),
							Mono.fromSupplier(() -> completeHandedOver(task)));
				}
				else if (!breaker.tryAcquirePermission()) {
					deferred.add(putBack(task, BREAKER_OPEN));
				}
				else if (!launch(task.route(), route.maxConcurrency(), 0, task.weight(), run(task, route, breaker))) {
					breaker.releasePermission();
					deferred.add(putBack(task, BUSY_RETRY));
				}
			}
			Claimed claimed = new Claimed(tasks.size(), cut.get());
			return Flux.concat(deferred).then(Mono.just(claimed));
		});
	}

	/** Hands a claimed task back, due again after the delay, its attempt not counted. */
	private Mono<Void> putBack(ClaimedTask task, Duration delay) {
		return this.database
			.sql("""
					update tasks
					set next_attempt_at = now() + make_interval(secs => :delay), attempts = attempts - 1,
					    status = case when attempts = 1 then 'ACCEPTED' else status end,
					    completion_token_hash = case when completion_deadline is null then null else completion_token_hash end,
					    locked_by = null, lease_id = null, updated_at = now()
					where id = :id and lease_id = :leaseId""")
			.bind("delay", delay.toMillis() / 1000.0)
			.bind("id", task.id())
			.bind("leaseId", task.leaseId())
			.then();
	}

	/**
	 * Only routes this process knows are claimed, so a dispatcher never holds a task it
	 * cannot run.
	 */
	private Flux<ClaimedTask> claim(UUID leaseId, Room room, AtomicBoolean cut) {
		Set<Object> busy = busyKeys();
		String[] known = this.routes.routes()
			.keySet()
			.stream()
			.filter((route) -> !busy.contains(route))
			.toArray(String[]::new);
		if (known.length == 0) {
			return Flux.empty();
		}
		// bodies are up to the body limit each: a claim stops before the bytes it would
		// hold pass what the worker has room for
		return this.database.sql(CLAIM)
			.bind("routes", known)
			.bind("limit", room.rows())
			.bind("atLeastOne", room.atLeastOne())
			.bind("bytes", room.bytes())
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
	 * One attempt against the upstream. The route's breaker counts what says the upstream
	 * is in trouble (5xx, 408, 429, timeouts, connection failures), not a client's 4xx.
	 */
	/**
	 * Calls the upstream; emits the writing of the outcome, which runs after the route's
	 * slot is freed for the next call.
	 */
	private Mono<Mono<Void>> run(ClaimedTask task, RouteSettings.Route route, CircuitBreaker breaker) {
		long started = System.nanoTime();
		return this.upstream.call(task, route).doOnNext((response) -> {
			int status = response.statusCode();
			if (status == 408 || status == 429 || status >= 500) {
				breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, UPSTREAM_TROUBLE);
			}
			else {
				breaker.onSuccess(System.nanoTime() - started, TimeUnit.NANOSECONDS);
			}
		})
			.doOnError((ex) -> breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, ex))
			.map((response) -> onResponse(task, route, response))
			.onErrorResume((ex) -> Mono.just(onError(task, route, ex)))
			.map((outcome) -> outcome.onErrorResume((ex) -> {
				// the outcome could not be written: the lease runs out and the task is
				// run again
				String taskId = IdKind.TASK.format(task.id());
				logger.atWarn()
					.addKeyValue("taskId", taskId)
					.addKeyValue("route", task.route())
					.log("Could not record the outcome of task {}: {}", taskId, ex.toString());
				return Mono.empty();
			}));
	}

	/**
	 * The upstream answered 202 earlier: it has now reported, or its deadline has passed.
	 */
	private Mono<Void> completeHandedOver(ClaimedTask task) {
		TaskResult reported = task.reportedResult();
		if (reported == null) {
			return finish(task, "FAILED", null, "completion_deadline_exceeded",
					"The upstream accepted the task but did not report a result before its deadline.");
		}
		int status = reported.statusCode();
		return (status >= 200 && status < 300) ? finish(task, "SUCCEEDED", reported, null, null) : finish(task,
				"FAILED", reported, "upstream_reported_failure", "The upstream reported status " + status + ".");
	}

	private Mono<Void> onResponse(ClaimedTask task, RouteSettings.Route route, UpstreamResponse response) {
		int status = response.statusCode();
		TaskResult result = new TaskResult(status, response.headers(), response.body());
		if (status == 202) {
			return handOver(task, Instant.now().plus(route.completionDeadline()));
		}
		if (status >= 200 && status < 300) {
			return finish(task, "SUCCEEDED", result, null, null);
		}
		boolean transientFailure = status == 408 || status == 429 || status >= 500;
		if (transientFailure && task.attempts() < route.maxAttempts()) {
			return retryLater(task, backoff(route, task.attempts(), response.retryAfter()));
		}
		String code = transientFailure ? "upstream_unavailable" : "upstream_rejected";
		return finish(task, "FAILED", result, code, "The upstream answered " + status + ".");
	}

	private Mono<Void> onError(ClaimedTask task, RouteSettings.Route route, Throwable ex) {
		if (ex instanceof DataBufferLimitException) {
			return finish(task, "FAILED", null, "upstream_response_too_large",
					"The upstream's response exceeded " + this.settings.maxResponseSize() + ".");
		}
		boolean timeout = ex instanceof TimeoutException
				|| ex.getCause() instanceof io.netty.handler.timeout.ReadTimeoutException
				|| ex instanceof io.netty.handler.timeout.ReadTimeoutException;
		if (task.attempts() < route.maxAttempts()) {
			return retryLater(task, backoff(route, task.attempts(), null));
		}
		return timeout
				? finish(task, "FAILED", null, "upstream_timeout",
						"The upstream did not answer within " + route.timeout() + ".")
				: finish(task, "FAILED", null, "upstream_unreachable", "The upstream could not be reached.");
	}

	/**
	 * Exponential backoff with ±20% jitter, or the upstream's Retry-After when it asks
	 * for longer.
	 */
	static Duration backoff(RouteSettings.Route route, int attempt, @Nullable Duration retryAfter) {
		long base = route.backoff().toMillis() << Math.min(attempt - 1, 20);
		long jittered = (long) (base * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
		Duration delay = Duration.ofMillis(Math.min(jittered, MAX_BACKOFF.toMillis()));
		if (retryAfter != null && retryAfter.compareTo(delay) > 0) {
			delay = (retryAfter.compareTo(MAX_BACKOFF) > 0) ? MAX_BACKOFF : retryAfter;
		}
		return delay;
	}

	private Mono<Void> retryLater(ClaimedTask task, Duration delay) {
		this.meters.counter("hookway.task.attempts", "route", task.route(), "outcome", "retry").increment();
		String taskId = IdKind.TASK.format(task.id());
		logger.atDebug()
			.addKeyValue("taskId", taskId)
			.addKeyValue("route", task.route())
			.addKeyValue("attempt", task.attempts())
			.log("Task {} attempt {} failed; next attempt in {}", taskId, task.attempts(), delay);
		return this.database
			.sql("update tasks set next_attempt_at = now() + make_interval(secs => :delay), locked_by = null, "
					+ "lease_id = null, completion_token_hash = null, result_status = null, result_headers = null, "
					+ "result_body = null, updated_at = now() where id = :id and lease_id = :leaseId")
			.bind("delay", delay.toMillis() / 1000.0)
			.bind("id", task.id())
			.bind("leaseId", task.leaseId())
			.then();
	}

	private Mono<Void> handOver(ClaimedTask task, Instant deadline) {
		return this.database
			.sql("update tasks set completion_deadline = :deadline, "
					+ "next_attempt_at = case when result_status is null then :deadline else now() end, "
					+ "locked_by = null, lease_id = null, updated_at = now() where id = :id and lease_id = :leaseId")
			.bind("deadline", deadline)
			.bind("id", task.id())
			.bind("leaseId", task.leaseId())
			.then();
	}

	/** Finishes the task through the grouped outbox write of {@link Completions}. */
	private Mono<Void> finish(ClaimedTask task, String status, @Nullable TaskResult result, @Nullable String errorCode,
			@Nullable String errorMessage) {
		String eventType = status.equals("SUCCEEDED") ? "task.succeeded" : "task.failed";
		this.meters.counter("hookway.task.attempts", "route", task.route(), "outcome", status.toLowerCase(Locale.ROOT))
			.increment();
		UUID messageId = IdKind.newUuid();
		String taskId = IdKind.TASK.format(task.id());
		String message = IdKind.MESSAGE.format(messageId);
		// a failure is worth an operator's attention, each success only when debugging
		logger.atLevel(status.equals("SUCCEEDED") ? Level.DEBUG : Level.INFO)
			.addKeyValue("taskId", taskId)
			.addKeyValue("route", task.route())
			.addKeyValue("status", status)
			.addKeyValue("attempts", task.attempts())
			.addKeyValue("errorCode", errorCode)
			.addKeyValue("messageId", message)
			.log("Task {} on route {} {} after {} attempt(s){}; announced by message {}", taskId, task.route(),
					status.toLowerCase(Locale.ROOT), task.attempts(), (errorCode != null) ? " (" + errorCode + ")" : "",
					message);
		Completions.Completion completion = new Completions.Completion(task.id(), task.leaseId(), status,
				(result != null) ? result.statusCode() : null,
				(result != null) ? this.json.writeValueAsString(result.headers()) : null,
				(result != null) ? result.body() : null, errorCode, errorMessage, messageId, eventType,
				payload(task, eventType, status, result, errorCode, errorMessage));
		return this.completions.complete(completion).doOnNext((createdDeliveries) -> {
			if (createdDeliveries) {
				this.deliverer.wake();
			}
		}).then();
	}

	private String payload(ClaimedTask task, String eventType, String status, @Nullable TaskResult result,
			@Nullable String errorCode, @Nullable String errorMessage) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("taskId", IdKind.TASK.format(task.id()));
		data.put("route", task.route());
		data.put("status", status);
		data.put("attempts", task.attempts());
		if (result != null) {
			data.put("result", result.toView(this.json));
		}
		if (errorCode != null) {
			data.put("error", Map.of("code", errorCode, "message", String.valueOf(errorMessage)));
		}
		Map<String, Object> event = new LinkedHashMap<>();
		event.put("type", eventType);
		event.put("timestamp", TIMESTAMP.format(Instant.now()));
		event.put("data", data);
		return this.json.writeValueAsString(event);
	}

	private ClaimedTask claimed(Readable row, UUID leaseId) {
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
				row.get("completion_token", String.class), leaseId);
	}

	private static GenericExecuteSpec bind(GenericExecuteSpec statement, String name, @Nullable Object value,
			Class<?> type) {
		return (value != null) ? statement.bind(name, value) : statement.bindNull(name, type);
	}

}
