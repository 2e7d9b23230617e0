package io.hookway.core.event;

/**
 * The event types the platform publishes itself; no one else may create or publish them.
 */
public enum PlatformEventType {

	TASK_SUCCEEDED("task.succeeded"), TASK_FAILED("task.failed"), WEBHOOK_TEST("webhook.test"),
	ENDPOINT_DISABLED("endpoint.disabled"), DELIVERY_EXHAUSTED("delivery.exhausted");

	private final String type;

	PlatformEventType(String type) {
		this.type = type;
	}

	/** The type as endpoints see it, {@code task.succeeded}. */
	public String type() {
		return this.type;
	}

	@Override
	public String toString() {
		return this.type;
	}

}
