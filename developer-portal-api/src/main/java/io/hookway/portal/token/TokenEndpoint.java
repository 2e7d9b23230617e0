package io.hookway.portal.token;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.hookway.core.crypto.SecureRandoms;
import io.hookway.core.id.IdKind;
import io.hookway.core.security.AuthSettings;
import io.hookway.core.security.Caller;
import io.hookway.portal.PortalSettings;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

/**
 * The embedded OAuth2 issuer's token endpoint: the client-credentials grant (RFC 6749
 * §4.4) with {@code client_secret_basic} and {@code client_secret_post}. Errors follow
 * RFC 6749 §5.2 rather than problem+json, as OAuth clients expect.
 */
@RestController
@Tag(name = "tokens")
class TokenEndpoint {

	private final SigningKeys keys;

	private final ClientAuthenticator authenticator;

	private final PortalSettings settings;

	private final AuthSettings auth;

	TokenEndpoint(SigningKeys keys, ClientAuthenticator authenticator, PortalSettings settings, AuthSettings auth) {
		this.keys = keys;
		this.authenticator = authenticator;
		this.settings = settings;
		this.auth = auth;
	}

	@PostMapping(path = "/oauth2/token")
	@Operation(operationId = "issueToken", summary = "Issue an access token (client credentials grant)",
			description = "The client authenticates with HTTP Basic (client_secret_basic) or with client_id and "
					+ "client_secret form fields (client_secret_post). Errors follow RFC 6749 section 5.2.",
			security = @SecurityRequirement(name = "basic"),
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = "application/x-www-form-urlencoded",
							schema = @Schema(implementation = TokenRequest.class))),
			responses = {
					@ApiResponse(responseCode = "200", description = "The access token",
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = TokenResponse.class))),
					@ApiResponse(responseCode = "400",
							description = "invalid_request, invalid_scope or unsupported_grant_type",
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = TokenError.class))),
					@ApiResponse(responseCode = "401", description = "invalid_client",
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = TokenError.class))),
					@ApiResponse(responseCode = "429", description = "slow_down, with Retry-After",
							headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = TokenError.class))),
					@ApiResponse(responseCode = "503", description = "temporarily_unavailable, with Retry-After",
							headers = @Header(name = "Retry-After", schema = @Schema(type = "integer")),
							content = @Content(mediaType = "application/json",
									schema = @Schema(implementation = TokenError.class))) })
	Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange) {
		MediaType contentType = exchange.getRequest().getHeaders().getContentType();
		if (contentType == null || !MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(contentType)) {
			return Mono.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "invalid_request",
					"The token request must be application/x-www-form-urlencoded.", false));
		}
		return exchange.getFormData().flatMap((form) -> token(exchange, form));
	}

	private Mono<ResponseEntity<Map<String, Object>>> token(ServerWebExchange exchange,
			MultiValueMap<String, String> form) {
		String malformed = TokenRequestChecks.problem(form);
		if (malformed != null) {
			return Mono.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "invalid_request", malformed, false));
		}
		String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
		if (basic && form.containsKey("client_secret")) {
			return Mono.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "invalid_request",
					"Use one client authentication method, not both.", false));
		}
		ClientCredentials credentials = basic ? ClientCredentials.fromBasic(authorization.substring(6).trim())
				: ClientCredentials.of(form.getFirst("client_id"), form.getFirst("client_secret"));
		if (credentials == null) {
			return Mono.just(TokenRefusal.error(HttpStatus.UNAUTHORIZED, "invalid_client",
					"Client authentication failed.", basic));
		}
		if (credentials.hasControlCharacters()) {
			return Mono.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "invalid_request",
					"Client credentials must not contain control characters.", false));
		}
		String grantType = form.getFirst("grant_type");
		if (grantType == null) {
			return Mono
				.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "invalid_request", "grant_type is required.", false));
		}
		return this.authenticator.authenticate(credentials, ClientAddress.of(exchange.getRequest()))
			.flatMap((client) -> {
				if (!"client_credentials".equals(grantType)) {
					return Mono.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "unsupported_grant_type",
							"Only the client_credentials grant is supported.", false));
				}
				Set<String> requested = parseScope(form.getFirst("scope"));
				if (requested == null) {
					requested = new LinkedHashSet<>(client.scopes());
				}
				else if (!client.scopes().containsAll(requested)) {
					return Mono.just(TokenRefusal.error(HttpStatus.BAD_REQUEST, "invalid_scope",
							"The requested scope is not a subset of the client's scopes.", false));
				}
				return issue(client, requested);
			})
			.switchIfEmpty(Mono.fromSupplier(() -> TokenRefusal.error(HttpStatus.UNAUTHORIZED, "invalid_client",
					"Client authentication failed.", basic)))
			.onErrorResume(TokenRefusal.class, (refusal) -> Mono.just(refusal.toResponse()));
	}

	private Mono<ResponseEntity<Map<String, Object>>> issue(ClientAuthenticator.AuthenticatedClient client,
			Set<String> scopes) {
		Instant now = Instant.now();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
			.issuer(this.auth.issuer())
			.subject(client.clientId())
			.audience(List.of(this.auth.audience()))
			.issuedAt(now)
			.notBefore(now)
			.expiresAt(now.plus(this.settings.tokenTtl()))
			.id(SecureRandoms.randomUuid().toString())
			.claim("scope", String.join(" ", scopes))
			.claim("client_id", client.clientId());
		if (client.applicationId() != null) {
			claims.claim(Caller.APPLICATION_CLAIM, IdKind.APPLICATION.format(client.applicationId()));
		}
		// off the event loop: RSA signing draws its blinding from the JDK's default
		// SecureRandom, which reads /dev/urandom
		return this.keys.active().publishOn(Schedulers.boundedElastic()).map((key) -> {
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

	/** The form of a token request, for the API document. */
	record TokenRequest(
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					allowableValues = "client_credentials") String grant_type,
			@Schema(description = "Space-separated subset of the client's scopes; all of them when absent.") String scope,
			@Schema(description = "With client_secret_post.") String client_id,
			@Schema(description = "With client_secret_post.") String client_secret) {
	}

	/** A token as RFC 6749 section 5.1 answers it. */
	record TokenResponse(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) String access_token,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = "Bearer") String token_type,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "900") long expires_in,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					example = "tasks:write tasks:read webhooks:manage") String scope) {
	}

	/** A refusal as RFC 6749 section 5.2 words it. */
	record TokenError(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = {
			"invalid_request", "invalid_client", "invalid_scope", "unsupported_grant_type", "slow_down",
			"temporarily_unavailable" }) String error, String error_description){
	}

	private static Set<String> parseScope(String scope) {
		if (scope == null || scope.isBlank()) {
			return null;
		}
		return new LinkedHashSet<>(List.of(scope.trim().split(" +")));
	}

}
