package io.hookway.gateway;

import java.util.List;

import io.hookway.core.security.AccessRule;
import io.hookway.core.security.ApiAccessRules;
import io.hookway.core.security.Scopes;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * The scope of every method the gateway serves; any other method of these paths, and any
 * other path, is denied by the chain's closing rule. HEAD is named with GET since it
 * reaches the same handler.
 */
@Component
class GatewayAccessRules implements ApiAccessRules {

	@Override
	public List<AccessRule> rules() {
		// the route decides which methods it takes (405), once the caller may submit
		return List.of(AccessRule.anyMethod(Scopes.TASKS_WRITE, "/api/*", "/api/*/**"),
				AccessRule.read(List.of(Scopes.TASKS_READ), "/v1/tasks", "/v1/tasks/*"),
				AccessRule.of(HttpMethod.DELETE, Scopes.TASKS_WRITE, "/v1/tasks/*"),
				AccessRule.of(HttpMethod.POST, Scopes.TASKS_COMPLETE, "/internal/v1/tasks/*/result"),
				AccessRule.of(HttpMethod.POST, Scopes.EVENTS_PUBLISH, "/internal/v1/events"));
	}

}
