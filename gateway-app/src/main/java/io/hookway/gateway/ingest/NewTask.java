package io.hookway.gateway.ingest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A call about to be stored as a task; headers already as the JSON stored with it, and
 * the trace the call is part of.
 */
record NewTask(UUID id, UUID applicationId, String route, String method, String path, @Nullable String query,
		String headersJson, byte[] body, @Nullable String idempotencyKey, @Nullable String traceParent) {

	/**
	 * Roughly what the task costs in memory until it is written: the body (held as is and
	 * again base64-encoded for the statement) and its other text.
	 */
	long weight() {
		return this.body.length + this.headersJson.length() + this.path.length()
				+ ((this.query != null) ? this.query.length() : 0) + 512L;
	}

	/**
	 * SHA-256 over what makes two requests the same request: method, route, path, query,
	 * body.
	 */
	byte[] requestHash() {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (String part : new String[] { this.method, this.route, this.path,
					(this.query != null) ? this.query : "" }) {
				digest.update(part.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			digest.update(this.body);
			return digest.digest();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
