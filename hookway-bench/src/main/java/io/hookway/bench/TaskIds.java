package io.hookway.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/** Finds the task id in the gateway's 202 body and in a webhook's payload alike. */
final class TaskIds {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9A-Za-z]+)\"");

	private TaskIds() {
	}

	static @Nullable String find(String json) {
		Matcher task = TASK_ID.matcher(json);
		return task.find() ? task.group(1) : null;
	}

}
