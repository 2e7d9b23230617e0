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
	 * Roughly what the task costs in memory until it is written: its body as it is held
	 * while the statement runs (see {@link #bodyWhileWritten}) and its other text.
	 */
	long weight() {
		return bodyWhileWritten(this.body.length) + this.headersJson.length() + this.path.length()
				+ ((this.query != null) ? this.query.length() : 0) + 512L;
	}

	/**
	 * What a body of {@code length} bytes takes while its statement runs: the bytes
	 * themselves, their base64 text (r2dbc-postgresql has no bytea[] parameters) and that
	 * text again encoded as the statement's parameter, about 3.7 times the body.
	 */
	static long bodyWhileWritten(long length) {
		long base64 = 4 * ((length + 2) / 3);
		return length + 2 * base64;
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
