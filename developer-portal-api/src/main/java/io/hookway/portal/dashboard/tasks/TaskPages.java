package io.hookway.portal.dashboard.tasks;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.web.ApiProblem;
import io.hookway.portal.dashboard.DashboardPage;
import io.hookway.portal.dashboard.PrettyJson;
import io.hookway.portal.dashboard.access.DashboardSession;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.reactive.result.view.Rendering;

/**
 * The application's gateway tasks with their status and result, what its
 * {@code tasks:read} scope shows; read from the tasks table, scoped to the application.
 */
@Controller
@DashboardPage
class TaskPages {

	/** Enough of a result body to see what the upstream said. */
	private static final int RESULT_EXCERPT = 8 * 1024;

	private static final String COLUMNS = "id, route, method, path, status, attempts, result_status, error_code, "
			+ "error_message, created_at, completed_at";

	private final DatabaseClient database;

	private final PrettyJson pretty;

	TaskPages(DatabaseClient database, PrettyJson pretty) {
		this.database = database;
		this.pretty = pretty;
	}

	@GetMapping("/dashboard/tasks")
	Mono<Rendering> list(@AuthenticationPrincipal DashboardSession session) {
		return this.database
			.sql("select " + COLUMNS + " from tasks where application_id = :applicationId "
					+ "order by created_at desc, id desc limit 50")
			.bind("applicationId", session.applicationId())
			.map((row, metadata) -> task(row, null))
			.all()
			.collectList()
			.map((tasks) -> Rendering.view("dashboard/tasks/list")
				.modelAttribute("section", "tasks")
				.modelAttribute("tasks", tasks)
				.build());
	}

	@GetMapping("/dashboard/tasks/{id}")
	Mono<Rendering> show(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		UUID taskId = IdKind.TASK.parse(id).orElseThrow(() -> notFound(id));
		return this.database
			.sql("select " + COLUMNS + ", substring(result_body from 1 for " + RESULT_EXCERPT + ") as result_body "
					+ "from tasks where id = :id and application_id = :applicationId")
			.bind("id", taskId)
			.bind("applicationId", session.applicationId())
			.map((row, metadata) -> {
				byte[] body = row.get("result_body", byte[].class);
				return task(row, (body != null) ? this.pretty.format(new String(body, StandardCharsets.UTF_8)) : null);
			})
			.one()
			.switchIfEmpty(Mono.error(() -> notFound(id)))
			.map((task) -> Rendering.view("dashboard/tasks/show")
				.modelAttribute("section", "tasks")
				.modelAttribute("task", task)
				.build());
	}

	private static Task task(io.r2dbc.spi.Readable row, @Nullable String result) {
		return new Task(IdKind.TASK.format(row.get("id", UUID.class)), row.get("route", String.class),
				row.get("method", String.class), row.get("path", String.class), row.get("status", String.class),
				row.get("attempts", Integer.class), row.get("result_status", Integer.class),
				row.get("error_code", String.class), row.get("error_message", String.class),
				row.get("created_at", Instant.class), row.get("completed_at", Instant.class), result);
	}

	private static ApiProblem notFound(String id) {
		return ApiProblem.notFound("There is no task " + id + ".");
	}

	record Task(String id, String route, String method, String path, String status, Integer attempts,
			@Nullable Integer resultStatus, @Nullable String errorCode, @Nullable String errorMessage,
			Instant createdAt, @Nullable Instant completedAt, @Nullable String result) {
	}

}
