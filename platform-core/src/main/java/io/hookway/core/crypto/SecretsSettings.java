package io.hookway.core.crypto;

import java.util.Base64;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Key material for secrets at rest.
 *
 * @param encryptionKey base64 of 32 random bytes ({@code openssl rand -base64 32}); the
 * default is a published development key, which only the {@code demo} profile or
 * {@code allowDevelopmentKey} lets a process start with
 * @param allowDevelopmentKey lets a process start with the published development key
 * outside the {@code demo} profile (a warning is logged); for development and tests only
 */
@ConfigurationProperties("hookway.secrets")
public record SecretsSettings(@DefaultValue(DEVELOPMENT_KEY) String encryptionKey,
		@DefaultValue("false") boolean allowDevelopmentKey) {

	static final String DEVELOPMENT_KEY = "aG9va3dheS1kZXZlbG9wbWVudC1rZXktMzItYnl0ZXM=";

	public SecretsSettings {
		byte[] decoded;
		try {
			decoded = Base64.getDecoder().decode(encryptionKey);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("hookway.secrets.encryption-key must be base64", ex);
		}
		if (decoded.length != 32) {
			throw new IllegalArgumentException("hookway.secrets.encryption-key must decode to 32 bytes");
		}
	}

	boolean usesDevelopmentKey() {
		return DEVELOPMENT_KEY.equals(this.encryptionKey);
	}

	byte[] key() {
		return Base64.getDecoder().decode(this.encryptionKey);
	}

}
