package io.hookway.portal.eventtype;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What an event type may be called (API.md §9): dot-separated lower-case words, at most
 * 128 characters, outside the namespaces the platform publishes in itself.
 */
final class EventTypeNames {

	static final int MAX_LENGTH = 128;

	private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");

	/**
	 * The platform's own events ({@code task.succeeded}, {@code endpoint.disabled} …) and
	 * any it may add there: subscribers must be able to trust that these come from the
	 * platform.
	 */
	private static final List<String> PLATFORM_NAMESPACES = List.of("task", "webhook", "endpoint", "delivery");

	private EventTypeNames() {
	}

	static boolean wellFormed(String name) {
		return name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
	}

	/** Why the operator cannot create a type of this name, if it cannot. */
	static Optional<String> refusal(String name) {
		if (!wellFormed(name)) {
			return Optional
				.of("must match ^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$ and be at most " + MAX_LENGTH + " characters");
		}
		String namespace = name.split("\\.", 2)[0];
		if (PLATFORM_NAMESPACES.contains(namespace)) {
			return Optional.of("is in the platform's own namespace " + namespace + ".*; the namespaces "
					+ String.join(", ", PLATFORM_NAMESPACES.stream().map((each) -> each + ".*").toList())
					+ " are reserved");
		}
		return Optional.empty();
	}

}
