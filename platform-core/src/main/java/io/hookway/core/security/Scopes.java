package io.hookway.core.security;

import java.util.List;
import java.util.Set;

/** The scopes of API.md §1 and who may hold them. */
public final class Scopes {

	public static final String APPLICATIONS_MANAGE = "applications:manage";

	public static final String TASKS_WRITE = "tasks:write";

	public static final String TASKS_READ = "tasks:read";

	public static final String WEBHOOKS_MANAGE = "webhooks:manage";

	public static final String TASKS_COMPLETE = "tasks:complete";

	public static final String EVENTS_PUBLISH = "events:publish";

	/** Every scope the token endpoint issues, in the order API.md §1 lists them. */
	public static final List<String> ALL = List.of(APPLICATIONS_MANAGE, TASKS_WRITE, TASKS_READ, WEBHOOKS_MANAGE,
			TASKS_COMPLETE, EVENTS_PUBLISH);

	/**
	 * What an application may be granted; {@code applications:manage} is the operator's.
	 */
	public static final Set<String> GRANTABLE_TO_APPLICATIONS = Set.of(TASKS_WRITE, TASKS_READ, WEBHOOKS_MANAGE,
			TASKS_COMPLETE, EVENTS_PUBLISH);

	public static final List<String> APPLICATION_DEFAULTS = List.of(TASKS_WRITE, TASKS_READ, WEBHOOKS_MANAGE);

	private Scopes() {
	}

}
