package io.hookway.core.webhook;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.crypto.SecretCipher;

/**
 * An endpoint's static headers (API §10), sent with every delivery to it, as they are
 * stored in {@code webhook_endpoints.headers_encrypted}: a JSON object of name to value,
 * encrypted with the secret cipher under {@link #CIPHER_PURPOSE}, and null when there are
 * none. One rule for the names an owner may not set, shared by the portal that stores
 * them and the dispatcher that sends them: the headers a delivery's signature and body
 * depend on, and those that belong to the connection, not the message.
 */
public final class EndpointHeaders {

	/**
	 * What the JSON object is bound to when encrypted: not the endpoint secret's purpose,
	 * so that neither can be read as the other.
	 */
	public static final String CIPHER_PURPOSE = "webhook-endpoint-headers";

	private static final Set<String> RESERVED = Set.of("host", "user-agent", "connection", "keep-alive",
			"proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

	private static final TypeReference<LinkedHashMap<String, String>> NAME_TO_VALUE = new TypeReference<>() {
	};

	private EndpointHeaders() {
	}

	/**
	 * Whether the name, in any case, is one an owner may not set: {@code webhook-*},
	 * {@code content-*}, {@code host}, {@code user-agent} or a hop-by-hop header.
	 * {@code authorization} is allowed.
	 */
	public static boolean reserved(String name) {
		String lower = name.toLowerCase(Locale.ROOT);
		return lower.startsWith("webhook-") || lower.startsWith("content-") || RESERVED.contains(lower);
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
