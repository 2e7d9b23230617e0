package io.hookway.gateway.task;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Statement;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.queue.QueueNotifier;
import io.hookway.core.task.CompletionToken;
import io.hookway.core.task.TaskStatus;
import io.hookway.core.web.ApiProblem;
import io.hookway.gateway.GatewaySettings;
import io.hookway.gateway.store.BoundedTransaction;

import org.springframework.http.HttpStatus;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /internal/v1/tasks/{taskId}/result}: an upstream that answered 202 reports
 * the outcome of the work it took over. The report is stored and the task made due, so
 * the dispatcher finishes it and emits its webhooks through the same outbox as every
 * other task.
 * <p>
 * Only the upstream the current attempt reached can report: the report carries that
 * attempt's completion token. Any report that does not match a task awaiting it is
 * answered exactly as one for a task that does not exist, so a {@code tasks:complete}
 * client learns nothing about tasks that are not its own.
 */
@RestController
@Tag(name = "tasks")
class CompletionController {

	/**
	 * A report is taken for the task's current attempt while that attempt runs (the
	 * report may overtake the dispatcher's note of the 202, which then finishes the task
	 * at once; an attempt that did not answer 202 is retried or finished and the report
	 * dropped) or once it was handed over; never while the task waits for a retry.
	 */
	private static final String STORE_REPORT = """
			update tasks
			set result_status = $1, result_headers = $2, result_body = $3,
			    next_attempt_at = case when lease_id is null then now() else next_attempt_at end,
			    ready = ready or lease_id is null,
			    updated_at = now()
			where id = $4 and status = 'RUNNING' and completion_token_hash = %s
			  and (lease_id is not null or completion_deadline is not null)
			returning id""".formatted(CompletionToken.hashSql("$5"));

	private final DatabaseClient database;

	private final JsonMapper json;

	private final QueueNotifier notifier;

	private final Duration databaseTimeout;

	CompletionController(DatabaseClient database, JsonMapper json, QueueNotifier notifier, GatewaySettings settings) {
		this.databaseTimeout = settings.databaseTimeout();
		this.database = database;
		this.json = json;
		this.notifier = notifier;
	}

	@Operation(operationId = "reportTaskResult", summary = "Report the result of a task the upstream accepted with 202")
	@PostMapping("/internal/v1/tasks/{taskId}/result")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Mono<ReportAccepted> report(@PathVariable String taskId,
			@RequestHeader(name = CompletionToken.HEADER, required = false) @Nullable String token,
			@Valid @RequestBody Mono<ReportedResult> report) {
		// the token is checked before the body is read: a report without one is the 404
		// of an unknown task whatever its body, not a 400 or 422 about the body
		Optional<UUID> id = IdKind.TASK.parse(taskId);
		if (id.isEmpty() || token == null || token.isEmpty() || token.length() > CompletionToken.MAX_LENGTH) {
			// the body is still read (and whatever is wrong with it ignored): left
			// unread,
			// it would stall the next request on the connection
			return report.onErrorResume((ex) -> Mono.empty()).then(Mono.error(() -> notFound(taskId)));
		}
		return report.flatMap((result) -> store(id.get(), taskId, token, result));
	}

	private Mono<ReportAccepted> store(UUID id, String taskId, String token, ReportedResult report) {
		Map<String, String> headers = new LinkedHashMap<>();
		if (report.headers() != null) {
			report.headers().forEach((name, value) -> headers.put(name.toLowerCase(Locale.ROOT), value));
		}
		byte[] body = null;
		JsonNode reportedBody = report.body();
		if (reportedBody != null && !reportedBody.isNull()) {
			if (reportedBody.isString()) {
				body = reportedBody.asString().getBytes(StandardCharsets.UTF_8);
				headers.putIfAbsent("content-type", "text/plain; charset=utf-8");
			}
			else {
				body = this.json.writeValueAsBytes(reportedBody);
				headers.putIfAbsent("content-type", "application/json");
			}
		}
		byte[] storedBody = body;
		String storedHeaders = this.json.writeValueAsString(headers);
		// under a statement timeout inside a transaction, so that a 503 means "not
		// stored":
		// an upstream told 503 repeats its report, which a report stored anyway would
		// turn
		// into a 404 once the task has finished
		long due = System.nanoTime() + this.databaseTimeout.toNanos();
		return BoundedTransaction.run(this.database.getConnectionFactory(), this.databaseTimeout,
				BoundedTransaction.beginWithin(this.databaseTimeout),
				() -> Optional.of(Duration.ofNanos(due - System.nanoTime())), (connection) -> {
					Statement update = connection.createStatement(STORE_REPORT)
						.bind(0, report.statusCode())
						.bind(1, Json.of(storedHeaders))
						.bind(3, id)
						.bind(4, token);
					update = (storedBody != null) ? update.bind(2, storedBody) : update.bindNull(2, byte[].class);
					return Flux.from(update.execute())
						.concatMap((result) -> Flux.from(result.map((row, metadata) -> row.get("id", UUID.class))))
						.singleOrEmpty();
				}, (updated) -> this.notifier.committed(QueueNotifier.TASKS))
			.map((updated) -> new ReportAccepted(taskId, TaskStatus.RUNNING))
			.switchIfEmpty(Mono.error(() -> notFound(taskId)));
	}

	private static ApiProblem notFound(String taskId) {
		return ApiProblem.notFound("There is no task " + taskId + ".");
	}

	record ReportedResult(@NotNull @Min(100) @Max(599) Integer statusCode, @Nullable Map<String, String> headers,
			@Nullable JsonNode body) {
	}

	/** The report is stored; the task ends with it once the upstream's 202 is in. */
	record ReportAccepted(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String taskId,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) TaskStatus status) {
	}

}
