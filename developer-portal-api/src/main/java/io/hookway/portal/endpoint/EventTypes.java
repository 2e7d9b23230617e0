package io.hookway.portal.endpoint;

import java.util.List;

/** The event types of API.md §5 an endpoint can subscribe to. */
final class EventTypes {

	static final List<String> ALL = List.of("task.succeeded", "task.failed", "webhook.test");

	private EventTypes() {
	}

}
