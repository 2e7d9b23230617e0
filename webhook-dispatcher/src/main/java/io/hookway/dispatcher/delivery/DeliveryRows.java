package io.hookway.dispatcher.delivery;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.crypto.SecretCipher;
import io.hookway.core.id.IdKind;
import io.hookway.core.webhook.EndpointHeaders;
import io.hookway.core.webhook.WebhookSecret;
import io.hookway.dispatcher.queue.Lease;

/**
 * Reads a row of the claim into a {@link ClaimedDelivery}. What an endpoint keeps
 * encrypted (its secrets, its static headers) is decrypted once per stored form and
 * cached: each encryption has a random nonce, so a rotated secret or changed headers are
 * a new entry, used from the next claim on, and the old one ages out unused. Which
 * secrets are still valid is read with every claim, so a previous secret stops signing
 * when it expires, cached or not.
 */
final class DeliveryRows {

	/** Columns of the endpoint a claim reads with each delivery. */
	static final String ENDPOINT_COLUMNS = """
			e.url, e.enabled and e.deleted_at is null as active, e.failing_since is not null as failing,
			e.secret_encrypted,
			case when e.previous_secret_expires_at > now() then e.previous_secret_encrypted end as previous_secret,
			e.headers_encrypted, e.rate_limit""";

	private static final Logger logger = LoggerFactory.getLogger(WebhookDeliverer.class);

	private static final Duration UNUSED = Duration.ofMinutes(10);

	private final SecretCipher cipher;

	private final JsonMapper json;

	private final Cache<ByteBuffer, WebhookSecret> secrets;

	/** Empty for headers that could not be read. */
	private final Cache<ByteBuffer, Optional<Map<String, String>>> headers;

	DeliveryRows(SecretCipher cipher, JsonMapper json, int cachedPerKind) {
		this.cipher = cipher;
		this.json = json;
		this.secrets = Caffeine.newBuilder()
			.maximumSize(cachedPerKind)
			.expireAfterAccess(UNUSED)
			.executor(Runnable::run)
			.build();
		this.headers = Caffeine.newBuilder()
			.maximumSize(cachedPerKind)
			.expireAfterAccess(UNUSED)
			.executor(Runnable::run)
			.build();
	}

	ClaimedDelivery read(Readable row, Lease lease) {
		List<WebhookSecret> secrets = new ArrayList<>(2);
		secrets.add(secret(row.get("secret_encrypted", byte[].class)));
		byte[] previous = row.get("previous_secret", byte[].class);
		if (previous != null) {
			secrets.add(secret(previous));
		}
		UUID endpointId = row.get("endpoint_id", UUID.class);
		return new ClaimedDelivery(row.get("id", UUID.class), row.get("message_id", UUID.class), endpointId,
				row.get("application_id", UUID.class), row.get("event_type", String.class),
				row.get("attempt_count", Integer.class), row.get("payload", String.class), row.get("url", String.class),
				Boolean.TRUE.equals(row.get("active", Boolean.class)),
				Boolean.TRUE.equals(row.get("failing", Boolean.class)), secrets,
				headers(endpointId, row.get("headers_encrypted", byte[].class)), row.get("rate_limit", Integer.class),
				row.get("trace_parent", String.class), lease);
	}

	private WebhookSecret secret(byte @Nullable [] sealed) {
		if (sealed == null) {
			throw new IllegalStateException("An endpoint has no secret");
		}
		return this.secrets.get(ByteBuffer.wrap(sealed),
				(key) -> WebhookSecret.ofKey(this.cipher.decrypt(WebhookSecret.CIPHER_PURPOSE, sealed)));
	}

	/** None without stored headers; null when they cannot be read. */
	private @Nullable Map<String, String> headers(UUID endpointId, byte @Nullable [] sealed) {
		if (sealed == null) {
			return Map.of();
		}
		return this.headers.get(ByteBuffer.wrap(sealed), (key) -> decode(endpointId, sealed)).orElse(null);
	}

	/**
	 * The stored object's headers, but for names a delivery sets itself, which the portal
	 * refuses anyway: the signature and content type always win.
	 */
	private Optional<Map<String, String>> decode(UUID endpointId, byte[] sealed) {
		try {
			JsonNode object = this.json.readTree(this.cipher.decrypt(EndpointHeaders.CIPHER_PURPOSE, sealed));
			if (!object.isObject()) {
				throw new IllegalArgumentException("not a JSON object");
			}
			Map<String, String> headers = new LinkedHashMap<>();
			for (Map.Entry<String, JsonNode> header : object.properties()) {
				if (!header.getValue().isString()) {
					throw new IllegalArgumentException("a value is not a string");
				}
				if (!EndpointHeaders.reserved(header.getKey())) {
					headers.put(header.getKey(), header.getValue().stringValue());
				}
			}
			return Optional.of(Collections.unmodifiableMap(headers));
		}
		catch (RuntimeException ex) {
			// the kind of failure only: a parser's message may quote the headers' values
			logger.atWarn()
				.addKeyValue("endpointId", IdKind.ENDPOINT.format(endpointId))
				.log("The headers of endpoint {} cannot be read ({}); its deliveries fail unsent until they are "
						+ "changed", IdKind.ENDPOINT.format(endpointId), ex.getClass().getSimpleName());
			return Optional.empty();
		}
	}

}
