package io.hookway.core.webhook;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.crypto.SecretCipher;

/**
 * An endpoint's static headers (API.md §10) as they are stored in
 * {@code webhook_endpoints.headers_encrypted}: a JSON object of name to value, encrypted
 * like the signing secret but bound to a purpose of its own, and null when there are
 * none. The portal writes them, the dispatcher reads them.
 */
public final class EndpointHeaders {

	/** What the headers are bound to when they are encrypted with the secret cipher. */
	public static final String CIPHER_PURPOSE = "webhook-endpoint-headers";

	private static final TypeReference<LinkedHashMap<String, String>> NAME_TO_VALUE = new TypeReference<>() {
	};

	private EndpointHeaders() {
	}

	/**
	 * The stored form of the headers; null for none, so that no column holds an empty
	 * object.
	 */
	public static byte @Nullable [] seal(SecretCipher cipher, Map<String, String> headers) {
		if (headers.isEmpty()) {
			return null;
		}
		return cipher.encrypt(CIPHER_PURPOSE, JsonMapper.shared().writeValueAsBytes(headers));
	}

	/** The headers in the order they were given; empty when none are stored. */
	public static Map<String, String> open(SecretCipher cipher, byte @Nullable [] sealed) {
		if (sealed == null) {
			return Map.of();
		}
		return JsonMapper.shared().readValue(cipher.decrypt(CIPHER_PURPOSE, sealed), NAME_TO_VALUE);
	}

}
