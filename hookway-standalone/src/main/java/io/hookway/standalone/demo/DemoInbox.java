package io.hookway.standalone.demo;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.core.webhook.WebhookSigner;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A webhook receiver for the demo: it verifies each message's Standard Webhooks signature
 * against the secrets of the endpoints registered with its URL, logs it, and keeps the
 * last messages for {@code GET /demo/inbox}.
 */
@RestController
@Profile("demo")
class DemoInbox {

	private static final Log logger = LogFactory.getLog(DemoInbox.class);

	private static final int KEPT = 100;

	private final Deque<Map<String, Object>> received = new ArrayDeque<>();

	private final DatabaseClient database;

	private final SecretCipher cipher;

	private final JsonMapper json;

	DemoInbox(DatabaseClient database, SecretCipher cipher, JsonMapper json) {
		this.database = database;
		this.cipher = cipher;
		this.json = json;
	}

	@PostMapping("/demo/inbox")
	Mono<ResponseEntity<Void>> receive(@RequestHeader("webhook-id") String id,
			@RequestHeader("webhook-timestamp") long timestamp, @RequestHeader("webhook-signature") String signature,
			@RequestBody String body) {
		return Flux.from(this.database
			.sql("select secret_encrypted from webhook_endpoints where url like '%/demo/inbox%' and deleted_at is null")
			.map((row, metadata) -> row.get("secret_encrypted", byte[].class))
			.all())
			.map((sealed) -> WebhookSecret.ofKey(this.cipher.decrypt(WebhookSecret.CIPHER_PURPOSE, sealed)))
			.any((secret) -> WebhookSigner.verify(secret, id, timestamp, body, signature))
			.map((verified) -> {
				JsonNode event = this.json.readTree(body);
				logger.info("Demo inbox received " + id + " " + event.path("type").asString() + " for "
						+ event.path("data").path("taskId").asString() + ", signature "
						+ (verified ? "verified" : "INVALID"));
				remember(Map.of("webhookId", id, "receivedAt", Instant.now(), "signatureVerified", verified, "event",
						event));
				return ResponseEntity.status(verified ? HttpStatus.NO_CONTENT : HttpStatus.UNAUTHORIZED).build();
			});
	}

	@GetMapping("/demo/inbox")
	Map<String, Object> list() {
		synchronized (this.received) {
			return Map.of("data", new ArrayList<>(this.received));
		}
	}

	private void remember(Map<String, Object> message) {
		synchronized (this.received) {
			this.received.addFirst(message);
			while (this.received.size() > KEPT) {
				this.received.removeLast();
			}
		}
	}

}
