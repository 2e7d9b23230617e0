package io.hookway.dispatcher.execution;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.event.EventEnvelope;
import io.hookway.core.event.PlatformEventType;
import io.hookway.core.id.IdKind;
import io.hookway.core.route.RouteSettings;
import io.hookway.core.task.TaskResult;
import io.hookway.core.task.TaskStatus;
import io.hookway.dispatcher.delivery.LeasedDeliveries;
import io.hookway.dispatcher.queue.RetryPolicy;

import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.r2dbc.core.DatabaseClient;

/**
 * Writes what an attempt at a task came to, fenced by its lease: a final outcome through
 * the grouped outbox write of {@link Completions}, a transient failure as the row due
 * again when its route's retry policy says, a 202 as the task handed over to its upstream
 * until its completion deadline.
 */
final class TaskOutcomes {

	private static final Logger logger = LoggerFactory.getLogger(TaskOutcomes.class);

	private final DatabaseClient database;

	private final JsonMapper json;

	private final Completions completions;

	private final MeterRegistry meters;

	private final String maxResponseSize;

	TaskOutcomes(DatabaseClient database, JsonMapper json, Completions completions, MeterRegistry meters,
			String maxResponseSize) {
		this.database = database;
		this.json = json;
		this.completions = completions;
		this.meters = meters;
		this.maxResponseSize = maxResponseSize;
	}

	/** Emits the webhook deliveries the write created, leased to this process. */
	Mono<LeasedDeliveries> record(ClaimedTask task, RouteSettings.Route route, RetryPolicy policy,
			TaskAttempt attempt) {
		if (task.handedOver()) {
			return completeHandedOver(task);
		}
		UpstreamResponse response = attempt.response();
		return (response != null) ? onResponse(task, route, policy, response) : onError(task, route, policy,
				(attempt.error() != null) ? attempt.error() : new IllegalStateException());
	}

	/**
	 * The upstream answered 202 earlier: it has now reported, or its deadline has passed.
	 */
	private Mono<LeasedDeliveries> completeHandedOver(ClaimedTask task) {
		TaskResult reported = task.reportedResult();
		if (reported == null) {
			return finish(task, TaskStatus.FAILED, null, "completion_deadline_exceeded",
					"The upstream accepted the task but did not report a result before its deadline.");
		}
		int status = reported.statusCode();
		return (status >= 200 && status < 300) ? finish(task, TaskStatus.SUCCEEDED, reported, null, null)
				: finish(task, TaskStatus.FAILED, reported, "upstream_reported_failure",
						"The upstream reported status " + status + ".");
	}

	private Mono<LeasedDeliveries> onResponse(ClaimedTask task, RouteSettings.Route route, RetryPolicy policy,
			UpstreamResponse response) {
		int status = response.statusCode();
		TaskResult result = new TaskResult(status, response.headers(), response.body());
		if (status == 202) {
			return handOver(task, Instant.now().plus(route.completionDeadline()));
		}
		if (status >= 200 && status < 300) {
			return finish(task, TaskStatus.SUCCEEDED, result, null, null);
		}
		boolean transientFailure = TaskAttempt.transientStatus(status);
		if (transientFailure) {
			RetryPolicy.Next next = policy.next(task.attempts(), response.retryAfter());
			if (!next.givesUp()) {
				return retryLater(task, next.delay());
			}
		}
		String code = transientFailure ? "upstream_unavailable" : "upstream_rejected";
		return finish(task, TaskStatus.FAILED, result, code, "The upstream answered " + status + ".");
	}

	private Mono<LeasedDeliveries> onError(ClaimedTask task, RouteSettings.Route route, RetryPolicy policy,
			Throwable ex) {
		if (ex instanceof DataBufferLimitException) {
			return finish(task, TaskStatus.FAILED, null, "upstream_response_too_large",
					"The upstream's response exceeded " + this.maxResponseSize + ".");
		}
		RetryPolicy.Next next = policy.next(task.attempts(), null);
		if (!next.givesUp()) {
			return retryLater(task, next.delay());
		}
		boolean timeout = ex instanceof TimeoutException
				|| ex.getCause() instanceof io.netty.handler.timeout.ReadTimeoutException
				|| ex instanceof io.netty.handler.timeout.ReadTimeoutException;
		return timeout
				? finish(task, TaskStatus.FAILED, null, "upstream_timeout",
						"The upstream did not answer within " + route.timeout() + ".")
				: finish(task, TaskStatus.FAILED, null, "upstream_unreachable", "The upstream could not be reached.");
	}

	private Mono<LeasedDeliveries> retryLater(ClaimedTask task, Duration delay) {
		this.meters.counter("hookway.task.attempts", "route", task.route(), "outcome", "retry").increment();
		String taskId = IdKind.TASK.format(task.id());
		logger.atDebug()
			.addKeyValue("taskId", taskId)
			.addKeyValue("route", task.route())
			.addKeyValue("attempt", task.attempts())
			.log("Task {} attempt {} failed; next attempt in {}", taskId, task.attempts(), delay);
		return this.database
			.sql("update tasks set next_attempt_at = now() + make_interval(secs => :delay), ready = false, "
					+ "locked_by = null, "
					+ "lease_id = null, completion_token_hash = null, result_status = null, result_headers = null, "
					+ "result_body = null, updated_at = now() where id = :id and lease_id = :leaseId")
			.bind("delay", delay.toMillis() / 1000.0)
			.bind("id", task.id())
			.bind("leaseId", task.lease().id())
			.then()
			.thenReturn(LeasedDeliveries.NONE);
	}

	private Mono<LeasedDeliveries> handOver(ClaimedTask task, Instant deadline) {
		return this.database
			.sql("update tasks set completion_deadline = :deadline, "
					+ "next_attempt_at = case when result_status is null then :deadline else now() end, "
					+ "ready = result_status is not null, "
					+ "locked_by = null, lease_id = null, updated_at = now() where id = :id and lease_id = :leaseId")
			.bind("deadline", deadline)
			.bind("id", task.id())
			.bind("leaseId", task.lease().id())
			.then()
			.thenReturn(LeasedDeliveries.NONE);
	}

	private Mono<LeasedDeliveries> finish(ClaimedTask task, TaskStatus status, @Nullable TaskResult result,
			@Nullable String errorCode, @Nullable String errorMessage) {
		String eventType = ((status == TaskStatus.SUCCEEDED) ? PlatformEventType.TASK_SUCCEEDED
				: PlatformEventType.TASK_FAILED)
			.type();
		this.meters
			.counter("hookway.task.attempts", "route", task.route(), "outcome", status.name().toLowerCase(Locale.ROOT))
			.increment();
		UUID messageId = IdKind.newUuid();
		String taskId = IdKind.TASK.format(task.id());
		String message = IdKind.MESSAGE.format(messageId);
		// a failure is worth an operator's attention, each success only when debugging
		logger.atLevel((status == TaskStatus.SUCCEEDED) ? Level.DEBUG : Level.INFO)
			.addKeyValue("taskId", taskId)
			.addKeyValue("route", task.route())
			.addKeyValue("status", status.name())
			.addKeyValue("attempts", task.attempts())
			.addKeyValue("errorCode", errorCode)
			.addKeyValue("messageId", message)
			.log("Task {} on route {} {} after {} attempt(s){}; announced by message {}", taskId, task.route(),
					status.name().toLowerCase(Locale.ROOT), task.attempts(),
					(errorCode != null) ? " (" + errorCode + ")" : "", message);
		Completions.Completion completion = new Completions.Completion(task.id(), task.lease().id(), status,
				(result != null) ? result.statusCode() : null,
				(result != null) ? this.json.writeValueAsString(result.headers()) : null,
				(result != null) ? result.body() : null, errorCode, errorMessage, messageId, eventType,
				payload(task, eventType, status, result, errorCode, errorMessage));
		return this.completions.complete(completion);
	}

	private String payload(ClaimedTask task, String eventType, TaskStatus status, @Nullable TaskResult result,
			@Nullable String errorCode, @Nullable String errorMessage) {
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("taskId", IdKind.TASK.format(task.id()));
		data.put("route", task.route());
		data.put("status", status.name());
		data.put("attempts", task.attempts());
		if (result != null) {
			data.put("result", result.toView(this.json));
		}
		if (errorCode != null) {
			data.put("error", Map.of("code", errorCode, "message", String.valueOf(errorMessage)));
		}
		return EventEnvelope.of(eventType, Instant.now(), this.json.writeValueAsString(data));
	}

}
