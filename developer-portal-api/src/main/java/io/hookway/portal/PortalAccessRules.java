package io.hookway.portal;

import io.hookway.core.security.ApiAccessRules;

import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.stereotype.Component;

import static io.hookway.core.security.ApiAccessRules.scope;

@Component
class PortalAccessRules implements ApiAccessRules {

	@Override
	public void configure(AuthorizeExchangeSpec exchanges) {
		exchanges.pathMatchers("/oauth2/token", "/oauth2/jwks", "/.well-known/openid-configuration")
			.permitAll()
			.pathMatchers("/v1/applications", "/v1/applications/**")
			.hasAuthority(scope(Scopes.APPLICATIONS_MANAGE))
			.pathMatchers("/v1/webhook-endpoints", "/v1/webhook-endpoints/**", "/v1/deliveries/**")
			.hasAuthority(scope(Scopes.WEBHOOKS_MANAGE));
	}

}
