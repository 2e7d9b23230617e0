package io.hookway.portal.endpoint;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.security.Caller;
import io.hookway.core.webhook.WebhookSecret;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An endpoint's signing secret (API.md §5): revealed to its application on request and
 * rotated with a day of overlap.
 */
@RestController
@Tag(name = "webhook-endpoints")
@RequestMapping("/v1/webhook-endpoints")
public class EndpointSecretController {

	private final DatabaseClient database;

	private final SecretCipher cipher;

	EndpointSecretController(DatabaseClient database, SecretCipher cipher) {
		this.database = database;
		this.cipher = cipher;
	}

	@Operation(operationId = "getEndpointSecret", summary = "Get a webhook endpoint's signing secret")
	@GetMapping("/{id}/secret")
	public Mono<EndpointSecret> secret(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		return this.database
			.sql("select secret_encrypted from webhook_endpoints where id = :id and application_id = :applicationId "
					+ "and deleted_at is null")
			.bind("id", WebhookEndpointController.parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> row.get("secret_encrypted", byte[].class))
			.one()
			.map((sealed) -> new EndpointSecret(
					WebhookSecret.ofKey(this.cipher.decrypt(WebhookSecret.CIPHER_PURPOSE, sealed)).encoded()))
			.switchIfEmpty(Mono.error(() -> WebhookEndpointController.notFound(id)));
	}

	/** A new secret; the previous one keeps signing, next to it, for 24 hours. */
	@Operation(operationId = "rotateEndpointSecret",
			summary = "Rotate a webhook endpoint's signing secret; the old one also signs for 24 hours")
	@PostMapping("/{id}/rotate-secret")
	public Mono<EndpointSecret> rotateSecret(@AuthenticationPrincipal Jwt jwt, @PathVariable String id) {
		WebhookSecret secret = WebhookSecret.generate();
		return this.database.sql("""
				update webhook_endpoints
				set previous_secret_encrypted = secret_encrypted,
				    previous_secret_expires_at = now() + interval '24 hours',
				    secret_encrypted = :secret, updated_at = now()
				where id = :id and application_id = :applicationId and deleted_at is null
				returning id""")
			.bind("secret", this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, secret.key()))
			.bind("id", WebhookEndpointController.parse(id))
			.bind("applicationId", Caller.of(jwt).requireApplication())
			.map((row, metadata) -> new EndpointSecret(secret.encoded()))
			.one()
			.switchIfEmpty(Mono.error(() -> WebhookEndpointController.notFound(id)));
	}

	/** An endpoint's signing secret. */
	public record EndpointSecret(@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
			example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") String secret) {
	}

}
