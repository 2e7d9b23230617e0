package io.hookway.portal.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import io.hookway.core.security.AuthSettings;
import io.hookway.core.security.Scopes;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The issuer's JWK Set and its discovery document (RFC 8414). The document's URLs come
 * from the configured issuer ({@code hookway.auth.issuer}), never from the request's
 * {@code Host} or forwarding headers, which any client can set.
 */
@RestController
@Tag(name = "tokens")
class DiscoveryEndpoint {

	private final SigningKeys keys;

	private final Map<String, Object> document;

	DiscoveryEndpoint(SigningKeys keys, AuthSettings auth) {
		this.keys = keys;
		String base = auth.issuer().endsWith("/") ? auth.issuer().substring(0, auth.issuer().length() - 1)
				: auth.issuer();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", auth.issuer());
		document.put("token_endpoint", base + "/oauth2/token");
		document.put("jwks_uri", base + "/oauth2/jwks");
		document.put("grant_types_supported", List.of("client_credentials"));
		document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
		document.put("scopes_supported", List.of(Scopes.APPLICATIONS_MANAGE, Scopes.TASKS_WRITE, Scopes.TASKS_READ,
				Scopes.WEBHOOKS_MANAGE, Scopes.TASKS_COMPLETE));
		document.put("response_types_supported", List.of("token"));
		document.put("id_token_signing_alg_values_supported", List.of("RS256"));
		this.document = Collections.unmodifiableMap(document);
	}

	@Operation(operationId = "getJwks", summary = "The public keys that sign access tokens (JWK Set)")
	@GetMapping(path = "/oauth2/jwks", produces = "application/jwk-set+json")
	Mono<Map<String, Object>> jwks() {
		return this.keys.publicKeys().map((set) -> set.toJSONObject(true));
	}

	@Operation(operationId = "getOpenIdConfiguration", summary = "The issuer's discovery document")
	@GetMapping("/.well-known/openid-configuration")
	Map<String, Object> discovery() {
		return this.document;
	}

}
