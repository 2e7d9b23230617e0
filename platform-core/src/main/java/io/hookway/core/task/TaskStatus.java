package io.hookway.core.task;

import java.util.Optional;

/** Where a task stands, as stored in {@code tasks.status} and shown to clients. */
public enum TaskStatus {

	ACCEPTED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

	/** Whether the task has ended: nothing more happens to it. */
	public boolean isFinal() {
		return this == SUCCEEDED || this == FAILED || this == CANCELLED;
	}

	/** The status of that name, if it is one. */
	public static Optional<TaskStatus> parse(String name) {
		for (TaskStatus status : values()) {
			if (status.name().equals(name)) {
				return Optional.of(status);
			}
		}
		return Optional.empty();
	}

}
