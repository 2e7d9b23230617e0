package io.hookway.core.test;

import java.util.List;
import java.util.UUID;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.webhook.WebhookSecret;

/**
 * Applications, endpoints, messages and deliveries written over JDBC as the portal and
 * the gateway write them, for tests of the services that read them.
 */
public final class WebhookRows {

	private final TestRows rows;

	private final SecretCipher cipher;

	/** Rows in the given database, endpoint secrets sealed with the service's cipher. */
	public WebhookRows(TestRows rows, SecretCipher cipher) {
		this.rows = rows;
		this.cipher = cipher;
	}

	public UUID application() {
		return application(IdKind.newUuid());
	}

	/**
	 * An active application with the given id, allowed to run tasks and manage webhooks.
	 */
	public UUID application(UUID id) {
		this.rows.execute("insert into applications (id, name, client_id, client_secret_hash, scopes) "
				+ "values (?, 'rows', ?, 'unused', array['tasks:write', 'webhooks:manage'])", id, "cli_" + id);
		return id;
	}

	/** An enabled endpoint subscribed to the types, signing with the secret. */
	public UUID endpoint(UUID application, String url, WebhookSecret secret, String... eventTypes) {
		UUID id = IdKind.newUuid();
		this.rows.execute(
				"insert into webhook_endpoints (id, application_id, url, event_types, secret_encrypted) "
						+ "values (?, ?, ?, ?, ?)",
				id, application, url, List.of(eventTypes),
				this.cipher.encrypt(WebhookSecret.CIPHER_PURPOSE, secret.key()));
		return id;
	}

	/** Messages of the type, each with one delivery to the endpoint, due now. */
	public void messages(UUID application, UUID endpoint, String eventType, int count) {
		this.rows.execute("""
				with m as (
				    insert into webhook_messages (id, application_id, event_type, payload)
				    select gen_random_uuid(), ?, ?, '{"n":' || n || '}' from generate_series(1, ?) n
				    returning id, application_id, event_type
				)
				insert into webhook_deliveries (message_id, endpoint_id, application_id, event_type, next_attempt_at)
				select m.id, ?, m.application_id, m.event_type, now() from m""", application, eventType, count,
				endpoint);
	}

}
