package io.hookway.gateway.task;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

import io.hookway.core.task.TaskResult;
import io.hookway.core.task.TaskStatus;

/**
 * A task as its application sees it (API.md §3).
 *
 * @param result what the upstream answered, once the task is final with an answer
 * @param error why the task failed, on {@code FAILED}
 */
@Schema(name = "Task")
record TaskView(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String taskId,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String route,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String method,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String path,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) TaskStatus status,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) int attempts,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant createdAt,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant updatedAt, @Nullable Instant completedAt,
		TaskResult.@Nullable View result, @Nullable TaskError error) {

	/** Why a task failed: a stable code and prose. */
	record TaskError(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String code,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String message) {
	}

}
