package io.hookway.portal.token;

import java.util.List;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
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

	private final OpenIdConfiguration document;

	DiscoveryEndpoint(SigningKeys keys, AuthSettings auth) {
		this.keys = keys;
		String base = auth.issuer().endsWith("/") ? auth.issuer().substring(0, auth.issuer().length() - 1)
				: auth.issuer();
		this.document = new OpenIdConfiguration(auth.issuer(), base + "/oauth2/token", base + "/oauth2/jwks",
				List.of("client_credentials"), List.of("client_secret_basic", "client_secret_post"), Scopes.ALL,
				List.of("token"), List.of("RS256"));
	}

	@Operation(operationId = "getJwks", summary = "The public keys that sign access tokens (JWK Set)")
	@GetMapping(path = "/oauth2/jwks", produces = "application/jwk-set+json")
	Mono<JwkSet> jwks() {
		return this.keys.publicKeys().map((set) -> new JwkSet(set.getKeys().stream().map(PublicJwk::of).toList()));
	}

	@Operation(operationId = "getOpenIdConfiguration", summary = "The issuer's discovery document")
	@GetMapping("/.well-known/openid-configuration")
	OpenIdConfiguration discovery() {
		return this.document;
	}

	/** The discovery document, in the member names of RFC 8414. */
	record OpenIdConfiguration(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String issuer,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String token_endpoint,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String jwks_uri,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> grant_types_supported,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> token_endpoint_auth_methods_supported,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> scopes_supported,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> response_types_supported,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<String> id_token_signing_alg_values_supported) {
	}

	/** A JWK Set (RFC 7517 section 5) of public keys only. */
	record JwkSet(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<PublicJwk> keys) {
	}

	/**
	 * One public RSA signing key (RFC 7518 section 6.3.1); the issuer makes no other
	 * kind.
	 */
	record PublicJwk(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "RSA") String kty,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "sig") String use,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "RS256") String alg,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String kid,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					description = "The modulus, base64url without padding.") String n,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					description = "The public exponent, base64url without padding.") String e) {

		static PublicJwk of(JWK key) {
			RSAKey rsa = key.toRSAKey();
			// every stored key is built with its use and algorithm (SigningKeys)
			return new PublicJwk(rsa.getKeyType().getValue(), rsa.getKeyUse().identifier(),
					rsa.getAlgorithm().getName(), rsa.getKeyID(), rsa.getModulus().toString(),
					rsa.getPublicExponent().toString());
		}

	}

}
