package io.hookway.gateway.task;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Readable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.openapi.Refuses;
import io.hookway.core.security.Caller;
import io.hookway.core.task.TaskResult;
import io.hookway.core.task.TaskStatus;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Page;
import io.hookway.core.web.ProblemCode;
import io.hookway.gateway.GatewaySettings;
import io.hookway.gateway.store.BoundedTransaction;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Task status for the application that submitted it (API.md §3). Every query is scoped by
 * the caller's application: another application's task is a 404, exactly like a missing
 * one.
 */
@RestController
@Tag(name = "tasks")
@RequestMapping("/v1/tasks")
class TaskController {

	private static final String COLUMNS = "id, route, method, path, status, attempts, created_at, updated_at, "
			+ "completed_at, result_status, result_headers, result_body, error_code, error_message";

	private static final String CANCEL = "update tasks set status = 'CANCELLED', next_attempt_at = null, "
			+ "completed_at = now(), updated_at = now() "
			+ "where id = $1 and application_id = $2 and status = 'ACCEPTED' returning " + COLUMNS;

	private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {
	};

	private final DatabaseClient database;

	private final JsonMapper json;

	private final GatewaySettings settings;

	TaskController(DatabaseClient database, JsonMapper json, GatewaySettings settings) {
		this.database = database;
		this.json = json;
		this.settings = settings;
	}

	@Operation(operationId = "getTask", summary = "Get a task: its status, and its result once final")
	@GetMapping("/{taskId}")
	Mono<ResponseEntity<TaskView>> get(@AuthenticationPrincipal Jwt jwt, @PathVariable String taskId) {
		return this.database.sql("select " + COLUMNS + " from tasks where id = :id and application_id = :applicationId")
			.bind("id", parse(taskId))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> view(row))
			.one()
			.timeout(this.settings.databaseTimeout())
			.switchIfEmpty(Mono.error(() -> notFound(taskId)))
			.map(this::response);
	}

	@Operation(operationId = "listTasks", summary = "List the application's tasks, newest first")
	@GetMapping
	Mono<Page<TaskView>> list(@AuthenticationPrincipal Jwt jwt,
			@Parameter(schema = @Schema(implementation = TaskStatus.class)) @RequestParam(
					required = false) @Nullable String status,
			@RequestParam(required = false) @Nullable String route,
			@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		if (status != null && TaskStatus.parse(status).isEmpty()) {
			throw ApiProblem.badRequest("status must be one of "
					+ String.join(", ", Stream.of(TaskStatus.values()).map(TaskStatus::name).sorted().toList()) + ".");
		}
		int size = Page.limit(limit);
		Page.Position after = Page.after(cursor);
		// results can be large (up to the upstream response limit each): a page stops
		// before the result bytes it carries pass the budget, always showing one task;
		// rows past it come back without their body, only to tell that more exist
		DatabaseClient.GenericExecuteSpec query = this.database.sql("""
				with page as (
				    select id, created_at, coalesce(octet_length(result_body), 0) as size
				    from tasks
				    where application_id = :applicationId and (created_at, id) < (:createdAt, :id)
				      and (cast(:status as text) is null or status = :status)
				      and (cast(:route as text) is null or route = :route)
				    order by created_at desc, id desc
				    limit :limit
				), sized as (
				    select id, (row_number() over w = 1 or sum(size) over w <= :bytes) as fits
				    from page
				    window w as (order by created_at desc, id desc)
				)
				select t.id, t.route, t.method, t.path, t.status, t.attempts, t.created_at, t.updated_at,
				       t.completed_at, t.result_status, t.result_headers,
				       case when s.fits then t.result_body end as result_body, t.error_code, t.error_message, s.fits
				from sized s join tasks t on t.id = s.id
				order by t.created_at desc, t.id desc""")
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.bind("createdAt", after.createdAt())
			.bind("id", after.id())
			.bind("limit", size + 1)
			.bind("bytes", this.settings.listPageBytes().toBytes());
		query = (status != null) ? query.bind("status", status) : query.bindNull("status", String.class);
		query = (route != null) ? query.bind("route", route) : query.bindNull("route", String.class);
		return query.map((row, metadata) -> {
			boolean fits = Boolean.TRUE.equals(row.get("fits", Boolean.class));
			return new Positioned(fits ? view(row) : null, fits,
					new Page.Position(row.get("created_at", Instant.class), row.get("id", UUID.class)));
		})
			.all()
			.collectList()
			.timeout(this.settings.databaseTimeout())
			.map((rows) -> Page.of(rows, size, Positioned::fits, Positioned::position, Positioned::view));
	}

	/** Cancels a task that has not started; anything else is a 409. */
	@Operation(operationId = "cancelTask", summary = "Cancel a task that has not started")
	@Refuses({ ProblemCode.TASK_NOT_CANCELLABLE })
	@DeleteMapping("/{taskId}")
	Mono<ResponseEntity<TaskView>> cancel(@AuthenticationPrincipal Jwt jwt, @PathVariable String taskId) {
		UUID id = parse(taskId);
		UUID applicationId = Caller.of(jwt).requireApplication();
		Mono<TaskView> current = this.database
			.sql("select " + COLUMNS + " from tasks where id = :id and application_id = :applicationId")
			.bind("id", id)
			.bind("applicationId", applicationId)
			.map((row, metadata) -> view(row))
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(taskId)))
			.flatMap((task) -> Mono.error(ApiProblem.conflict(ProblemCode.TASK_NOT_CANCELLABLE,
					"The task is " + task.status() + "; only an ACCEPTED task can be cancelled.")));
		// the update runs under a statement timeout inside a transaction: a 503 then
		// means
		// the task was not cancelled, where a client-side timeout could give up on an
		// update that still went through
		Duration budget = this.settings.databaseTimeout();
		long due = System.nanoTime() + budget.toNanos();
		return BoundedTransaction.run(this.database.getConnectionFactory(), budget,
				BoundedTransaction.beginWithin(budget), () -> Optional.of(Duration.ofNanos(due - System.nanoTime())),
				(connection) -> Flux
					.from(connection.createStatement(CANCEL).bind(0, id).bind(1, applicationId).execute())
					.concatMap((result) -> Flux.from(result.map((row, metadata) -> view(row))))
					.singleOrEmpty(),
				(cancelled) -> {
				})
			.switchIfEmpty(current)
			.map(this::response);
	}

	private ResponseEntity<TaskView> response(TaskView task) {
		ResponseEntity.BodyBuilder response = ResponseEntity.ok();
		if (!task.status().isFinal()) {
			response.header(HttpHeaders.RETRY_AFTER, Integer.toString(this.settings.pollAfterSeconds()));
		}
		return response.body(task);
	}

	private TaskView view(Readable row) {
		TaskStatus status = TaskStatus.valueOf(row.get("status", String.class));
		// a report stored while the task runs counts only once the task is final with it
		Integer statusCode = status.isFinal() ? row.get("result_status", Integer.class) : null;
		Json headers = row.get("result_headers", Json.class);
		TaskResult.View result = (statusCode != null) ? new TaskResult(statusCode,
				(headers != null) ? this.json.readValue(headers.asString(), HEADERS) : Map.of(),
				row.get("result_body", byte[].class))
			.toView(this.json) : null;
		String errorCode = row.get("error_code", String.class);
		TaskView.TaskError error = (errorCode != null)
				? new TaskView.TaskError(errorCode, String.valueOf(row.get("error_message", String.class))) : null;
		return new TaskView(IdKind.TASK.format(row.get("id", UUID.class)), row.get("route", String.class),
				row.get("method", String.class), row.get("path", String.class), status,
				row.get("attempts", Integer.class), row.get("created_at", Instant.class),
				row.get("updated_at", Instant.class), row.get("completed_at", Instant.class), result, error);
	}

	private static UUID parse(String taskId) {
		return IdKind.TASK.parse(taskId).orElseThrow(() -> notFound(taskId));
	}

	private static ApiProblem notFound(String taskId) {
		return ApiProblem.notFound("There is no task " + taskId + ".");
	}

	private record Positioned(@Nullable TaskView view, boolean fits, Page.Position position) {
	}

}
