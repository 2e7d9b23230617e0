package io.hookway.portal;

import java.util.List;

import io.hookway.core.security.AccessRule;
import io.hookway.core.security.ApiAccessRules;
import io.hookway.core.security.Scopes;

import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;

/**
 * The scope of every method the portal serves; any other method of these paths, and any
 * other path, is denied by the chain's closing rule. HEAD is named with GET since it
 * reaches the same handler. The issuer's own endpoints are public: the token endpoint
 * authenticates its clients itself.
 */
@Component
class PortalAccessRules implements ApiAccessRules {

	private static final String APPLICATIONS = Scopes.APPLICATIONS_MANAGE;

	private static final String WEBHOOKS = Scopes.WEBHOOKS_MANAGE;

	private static final String[] WEBHOOK_READS = { "/v1/webhook-endpoints", "/v1/webhook-endpoints/*",
			"/v1/webhook-endpoints/*/secret", "/v1/webhook-endpoints/*/deliveries", "/v1/deliveries/*", "/v1/messages",
			"/v1/messages/*" };

	@Override
	public List<AccessRule> rules() {
		return List.of(AccessRule.permitAll("/oauth2/token", "/oauth2/jwks", "/.well-known/openid-configuration"),
				AccessRule.read(List.of(APPLICATIONS), "/v1/applications", "/v1/applications/*"),
				AccessRule.of(HttpMethod.POST, APPLICATIONS, "/v1/applications", "/v1/applications/*/rotate-secret",
						"/v1/applications/*/dashboard-links"),
				AccessRule.of(HttpMethod.DELETE, APPLICATIONS, "/v1/applications/*"),
				AccessRule.read(List.of(WEBHOOKS), WEBHOOK_READS),
				AccessRule.of(HttpMethod.POST, WEBHOOKS, "/v1/webhook-endpoints",
						"/v1/webhook-endpoints/*/rotate-secret", "/v1/webhook-endpoints/*/test",
						"/v1/webhook-endpoints/*/recover", "/v1/deliveries/*/retry", "/v1/dashboard-links"),
				AccessRule.of(HttpMethod.PATCH, WEBHOOKS, "/v1/webhook-endpoints/*"),
				AccessRule.of(HttpMethod.DELETE, WEBHOOKS, "/v1/webhook-endpoints/*"),
				// the catalog is the operator's; applications read it to subscribe
				AccessRule.read(List.of(APPLICATIONS, WEBHOOKS), "/v1/event-types", "/v1/event-types/*"),
				AccessRule.of(HttpMethod.POST, APPLICATIONS, "/v1/event-types"),
				AccessRule.of(HttpMethod.PATCH, APPLICATIONS, "/v1/event-types/*"));
	}

}
