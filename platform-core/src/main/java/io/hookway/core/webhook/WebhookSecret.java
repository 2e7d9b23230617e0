package io.hookway.core.webhook;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.spec.SecretKeySpec;

import io.hookway.core.crypto.SecureRandoms;

/**
 * An endpoint's signing secret: {@code whsec_} followed by the base64 of 24 random bytes,
 * as Standard Webhooks and Svix write them. {@link #toString()} never shows the key.
 */
public final class WebhookSecret {

	/** What the key is bound to when it is encrypted at rest with the secret cipher. */
	public static final String CIPHER_PURPOSE = "webhook-endpoint-secret";

	private static final String PREFIX = "whsec_";

	private static final int KEY_BYTES = 24;

	private static final SecureRandom RANDOM = SecureRandoms.get();

	private final byte[] key;

	private final SecretKeySpec signingKey;

	private WebhookSecret(byte[] key) {
		this.key = key;
		this.signingKey = new SecretKeySpec(key, "HmacSHA256");
	}

	public static WebhookSecret generate() {
		byte[] key = new byte[KEY_BYTES];
		RANDOM.nextBytes(key);
		return new WebhookSecret(key);
	}

	public static WebhookSecret ofKey(byte[] key) {
		return new WebhookSecret(key.clone());
	}

	public static WebhookSecret parse(String encoded) {
		if (!encoded.startsWith(PREFIX)) {
			throw new IllegalArgumentException("A webhook secret starts with " + PREFIX);
		}
		return new WebhookSecret(Base64.getDecoder().decode(encoded.substring(PREFIX.length())));
	}

	public byte[] key() {
		return this.key.clone();
	}

	/** The key as HMAC-SHA256 takes it. */
	SecretKeySpec signingKey() {
		return this.signingKey;
	}

	/** The {@code whsec_…} form shown to the endpoint's owner. */
	public String encoded() {
		return PREFIX + Base64.getEncoder().encodeToString(this.key);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof WebhookSecret that && Arrays.equals(this.key, that.key);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.key);
	}

	@Override
	public String toString() {
		return "WebhookSecret[redacted]";
	}

}
