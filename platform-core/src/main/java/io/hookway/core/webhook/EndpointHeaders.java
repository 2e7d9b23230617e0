package io.hookway.core.webhook;

import java.util.Locale;
import java.util.Set;

/**
 * An endpoint's static headers (API §10), sent with every delivery to it: stored as a
 * JSON object of name to value, encrypted with the secret cipher under
 * {@link #CIPHER_PURPOSE}. One rule for the names an owner may not set, shared by the
 * portal that stores them and the dispatcher that sends them: the headers a delivery's
 * signature and body depend on, and those that belong to the connection, not the message.
 */
public final class EndpointHeaders {

	/**
	 * What the JSON object is bound to when encrypted: not the endpoint secret's purpose,
	 * so that neither can be read as the other.
	 */
	public static final String CIPHER_PURPOSE = "webhook-endpoint-headers";

	private static final Set<String> RESERVED = Set.of("host", "user-agent", "connection", "keep-alive",
			"proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade");

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

}
