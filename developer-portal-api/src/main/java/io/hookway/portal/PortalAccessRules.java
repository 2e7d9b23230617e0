package io.hookway.portal;

import io.hookway.core.security.ApiAccessRules;

import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity.AuthorizeExchangeSpec;
import org.springframework.stereotype.Component;

import static io.hookway.core.security.ApiAccessRules.scope;

/**
 * The scope of every method the portal serves; any other method of these paths, and any
 * other path, is denied by the chain's closing rule. HEAD is named with GET since it
 * reaches the same handler. The issuer's own endpoints are public: the token endpoint
 * authenticates its clients itself.
 */
@Component
class PortalAccessRules implements ApiAccessRules {

	private static final String APPLICATIONS = scope(Scopes.APPLICATIONS_MANAGE);

	private static final String WEBHOOKS = scope(Scopes.WEBHOOKS_MANAGE);

	@Override
	public void configure(AuthorizeExchangeSpec exchanges) {
		exchanges.pathMatchers("/oauth2/token", "/oauth2/jwks", "/.well-known/openid-configuration")
			.permitAll()
			.pathMatchers(HttpMethod.GET, "/v1/applications", "/v1/applications/*")
			.hasAuthority(APPLICATIONS)
			.pathMatchers(HttpMethod.HEAD, "/v1/applications", "/v1/applications/*")
			.hasAuthority(APPLICATIONS)
			.pathMatchers(HttpMethod.POST, "/v1/applications", "/v1/applications/*/rotate-secret",
					"/v1/applications/*/dashboard-links")
			.hasAuthority(APPLICATIONS)
			.pathMatchers(HttpMethod.DELETE, "/v1/applications/*")
			.hasAuthority(APPLICATIONS)
			.pathMatchers(HttpMethod.GET, "/v1/webhook-endpoints", "/v1/webhook-endpoints/*",
					"/v1/webhook-endpoints/*/secret", "/v1/webhook-endpoints/*/deliveries", "/v1/deliveries/*",
					"/v1/messages", "/v1/messages/*")
			.hasAuthority(WEBHOOKS)
			.pathMatchers(HttpMethod.HEAD, "/v1/webhook-endpoints", "/v1/webhook-endpoints/*",
					"/v1/webhook-endpoints/*/secret", "/v1/webhook-endpoints/*/deliveries", "/v1/deliveries/*",
					"/v1/messages", "/v1/messages/*")
			.hasAuthority(WEBHOOKS)
			.pathMatchers(HttpMethod.POST, "/v1/webhook-endpoints", "/v1/webhook-endpoints/*/rotate-secret",
					"/v1/webhook-endpoints/*/test", "/v1/webhook-endpoints/*/recover", "/v1/deliveries/*/retry",
					"/v1/dashboard-links")
			.hasAuthority(WEBHOOKS)
			.pathMatchers(HttpMethod.PATCH, "/v1/webhook-endpoints/*")
			.hasAuthority(WEBHOOKS)
			.pathMatchers(HttpMethod.DELETE, "/v1/webhook-endpoints/*")
			.hasAuthority(WEBHOOKS)
			// the catalog is the operator's; applications read it to subscribe
			.pathMatchers(HttpMethod.GET, "/v1/event-types", "/v1/event-types/*")
			.hasAnyAuthority(APPLICATIONS, WEBHOOKS)
			.pathMatchers(HttpMethod.HEAD, "/v1/event-types", "/v1/event-types/*")
			.hasAnyAuthority(APPLICATIONS, WEBHOOKS)
			.pathMatchers(HttpMethod.POST, "/v1/event-types")
			.hasAuthority(APPLICATIONS)
			.pathMatchers(HttpMethod.PATCH, "/v1/event-types/*")
			.hasAuthority(APPLICATIONS);
	}

}
