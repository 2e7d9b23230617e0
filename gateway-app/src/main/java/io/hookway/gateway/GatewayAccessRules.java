package io.hookway.gateway;

import io.hookway.core.security.ApiAccessRules;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.stereotype.Component;

import static io.hookway.core.security.ApiAccessRules.scope;

@Component
class GatewayAccessRules implements ApiAccessRules {

	@Override
	public void configure(AuthorizeExchangeSpec exchanges) {
		exchanges.pathMatchers("/api/**")
			.hasAuthority(scope("tasks:write"))
			.pathMatchers(HttpMethod.GET, "/v1/tasks", "/v1/tasks/*")
			.hasAuthority(scope("tasks:read"))
			.pathMatchers(HttpMethod.DELETE, "/v1/tasks/*")
			.hasAuthority(scope("tasks:write"))
			.pathMatchers(HttpMethod.POST, "/internal/v1/tasks/*/result")
			.hasAuthority(scope("tasks:complete"));
	}

}
