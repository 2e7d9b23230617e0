package io.hookway.gateway;

import io.hookway.core.security.ApiAccessRules;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.stereotype.Component;

import static io.hookway.core.security.ApiAccessRules.scope;

/**
 * The scope of every method the gateway serves; any other method of these paths, and any
 * other path, is denied by the chain's closing rule. HEAD is named with GET since it
 * reaches the same handler.
 */
@Component
class GatewayAccessRules implements ApiAccessRules {

	@Override
	public void configure(AuthorizeExchangeSpec exchanges) {
		// the route decides which methods it takes (405), once the caller may submit
		exchanges.pathMatchers("/api/*", "/api/*/**")
			.hasAuthority(scope("tasks:write"))
			.pathMatchers(HttpMethod.GET, "/v1/tasks", "/v1/tasks/*")
			.hasAuthority(scope("tasks:read"))
			.pathMatchers(HttpMethod.HEAD, "/v1/tasks", "/v1/tasks/*")
			.hasAuthority(scope("tasks:read"))
			.pathMatchers(HttpMethod.DELETE, "/v1/tasks/*")
			.hasAuthority(scope("tasks:write"))
			.pathMatchers(HttpMethod.POST, "/internal/v1/tasks/*/result")
			.hasAuthority(scope("tasks:complete"))
			.pathMatchers(HttpMethod.POST, "/internal/v1/events")
			.hasAuthority(scope("events:publish"));
	}

}
