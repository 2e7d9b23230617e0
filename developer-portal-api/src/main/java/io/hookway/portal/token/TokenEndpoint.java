package io.hookway.portal.token;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.hookway.core.id.IdKind;
import io.hookway.core.security.AuthSettings;
import io.hookway.core.security.Caller;
import io.hookway.portal.PortalSettings;
import io.hookway.portal.Scopes;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The embedded OAuth2 issuer: the client-credentials grant (RFC 6749 §4.4) with
 * {@code client_secret_basic} and {@code client_secret_post}, the JWK Set, and discovery
 * (RFC 8414). Errors follow RFC 6749 §5.2 rather than problem+json, as OAuth clients
 * expect.
 */
@RestController
class TokenEndpoint {

	private final SigningKeys keys;

	private final DatabaseClient database;

	private final PortalSettings settings;

	private final AuthSettings auth;

	TokenEndpoint(SigningKeys keys, DatabaseClient database, PortalSettings settings, AuthSettings auth) {
		this.keys = keys;
		this.database = database;
		this.settings = settings;
		this.auth = auth;
	}

	@PostMapping(path = "/oauth2/token")
	Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange) {
		MediaType contentType = exchange.getRequest().getHeaders().getContentType();
		if (contentType == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(contentType)) {
			return Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_request",
					"The token request must be application/x-www-form-urlencoded.", false));
		}
		return exchange.getFormData().flatMap((form) -> token(exchange, form));
	}

	private Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange,
			MultiValueMap<String, String> form) {
		for (String parameter : List.of("grant_type", "scope", "client_id", "client_secret")) {
			if (form.getOrDefault(parameter, List.of()).size() > 1) {
				return Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_request",
						"The parameter " + parameter + " is repeated.", false));
			}
		}
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
		ClientCredentials credentials;
		if (basic && form.containsKey("client_secret")) {
			return Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_request",
					"Use one client authentication method, not both.", false));
		}
		credentials = basic ? ClientCredentials.fromBasic(authorization.substring(6).trim())
				: ClientCredentials.of(form.getFirst("client_id"), form.getFirst("client_secret"));
		if (credentials == null) {
			return Mono.just(error(HttpStatus.UNAUTHORIZED, "invalid_client", "Client authentication failed.", basic));
		}
		String grantType = form.getFirst("grant_type");
		if (grantType == null) {
			return Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required.", false));
		}
		return authenticate(credentials).flatMap((client) -> {
			if (!"client_credentials".equals(grantType)) {
				return Mono.just(error(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
						"Only the client_credentials grant is supported.", false));
			}
			Set<String> requested = parseScope(form.getFirst("scope"));
			if (requested == null) {
				requested = new LinkedHashSet<>(client.scopes());
			}
			else if (!client.scopes().containsAll(requested)) {
				return Mono.just(error(HttpStatus.BAD_REQUEST, "invalid_scope",
						"The requested scope is not a subset of the client's scopes.", false));
			}
			return issue(client, requested);
		})
			.switchIfEmpty(Mono.fromSupplier(
					() -> error(HttpStatus.UNAUTHORIZED, "invalid_client", "Client authentication failed.", basic)));
	}

	@GetMapping(path = "/oauth2/jwks", produces = "application/jwk-set+json")
	Mono<Map<String, Object>> jwks() {
		return this.keys.publicKeys().map((set) -> set.toJSONObject(true));
	}

	@GetMapping("/.well-known/openid-configuration")
	Map<String, Object> discovery(ServerWebExchange exchange) {
		String base = UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
			.replacePath(null)
			.replaceQuery(null)
			.build()
			.toUriString();
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("issuer", this.auth.issuer());
		document.put("token_endpoint", base + "/oauth2/token");
		document.put("jwks_uri", base + "/oauth2/jwks");
		document.put("grant_types_supported", List.of("client_credentials"));
		document.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
		document.put("scopes_supported", List.of(Scopes.APPLICATIONS_MANAGE, Scopes.TASKS_WRITE, Scopes.TASKS_READ,
				Scopes.WEBHOOKS_MANAGE, Scopes.TASKS_COMPLETE));
		document.put("response_types_supported", List.of("token"));
		document.put("id_token_signing_alg_values_supported", List.of("RS256"));
		return document;
	}

	private Mono<AuthenticatedClient> authenticate(ClientCredentials credentials) {
		PortalSettings.Operator operator = this.settings.operator();
		if (operator.clientSecret() != null && operator.clientId().equals(credentials.clientId())) {
			boolean matches = MessageDigest.isEqual(operator.clientSecret().getBytes(StandardCharsets.UTF_8),
					credentials.clientSecret().getBytes(StandardCharsets.UTF_8));
			return matches
					? Mono.just(new AuthenticatedClient(operator.clientId(), null, Set.of(Scopes.APPLICATIONS_MANAGE)))
					: Mono.empty();
		}
		return this.database.sql(
				"select id, client_secret_hash, scopes from applications where client_id = :clientId and status = 'ACTIVE'")
			.bind("clientId", credentials.clientId())
			.map((row, metadata) -> new StoredClient(row.get("id", UUID.class),
					row.get("client_secret_hash", String.class), row.get("scopes", String[].class)))
			.one()
			.publishOn(Schedulers.boundedElastic())
			.filter((stored) -> ClientSecrets.matches(credentials.clientSecret(), stored.secretHash()))
			.map((stored) -> new AuthenticatedClient(credentials.clientId(), stored.applicationId(),
					new LinkedHashSet<>(List.of(stored.scopes()))));
	}

	private Mono<ResponseEntity<Map<String, Object>>> issue(AuthenticatedClient client, Set<String> scopes) {
		Instant now = Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.auth.issuer())
			.subject(client.clientId())
			.audience(List.of(this.auth.audience()))
			.issuedAt(now)
			.notBefore(now)
			.expiresAt(now.plus(this.settings.tokenTtl()))
			.id(UUID.randomUUID().toString())
			.claim("scope", String.join(" ", scopes))
			.claim("client_id", client.clientId());
		if (client.applicationId() != null) {
			claims.claim(Caller.APPLICATION_CLAIM, IdKind.APPLICATION.format(client.applicationId()));
		}
		return this.keys.active().map((key) -> {
			JwsHeader header = JwsHeader.with(SignatureAlgorithm.RS256).keyId(key.kid()).type("at+jwt").build();
			String token = key.encoder().encode(JwtEncoderParameters.from(header, claims.build())).getTokenValue();
			Map<String, Object> body = new LinkedHashMap<>();
			body.put("access_token", token);
			body.put("token_type", "Bearer");
			body.put("expires_in", this.settings.tokenTtl().toSeconds());
			body.put("scope", String.join(" ", scopes));
			return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache").body(body);
		});
	}

	private static Set<String> parseScope(String scope) {
		if (scope == null || scope.isBlank()) {
			return null;
		}
		return new LinkedHashSet<>(List.of(scope.trim().split(" +")));
	}

	private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String description,
			boolean basicChallenge) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status)
			.cacheControl(CacheControl.noStore())
			.contentType(MediaType.APPLICATION_JSON);
		if (status == HttpStatus.UNAUTHORIZED) {
			response.header(HttpHeaders.WWW_AUTHENTICATE,
					basicChallenge ? "Basic realm=\"hookway\"" : "Bearer realm=\"hookway\"");
		}
		return response.body(Map.of("error", code, "error_description", description));
	}

	private record ClientCredentials(String clientId, String clientSecret) {

		static ClientCredentials of(String clientId, String clientSecret) {
			return (clientId == null || clientSecret == null) ? null : new ClientCredentials(clientId, clientSecret);
		}

		/** RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding. */
		static ClientCredentials fromBasic(String encoded) {
			try {
				String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
				int colon = decoded.indexOf(':');
				if (colon < 0) {
					return null;
				}
				return of(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
						URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
			}
			catch (IllegalArgumentException ex) {
				return null;
			}
		}

	}

	private record StoredClient(UUID applicationId, String secretHash, String[] scopes) {
	}

	private record AuthenticatedClient(String clientId, UUID applicationId, Set<String> scopes) {
	}

}
