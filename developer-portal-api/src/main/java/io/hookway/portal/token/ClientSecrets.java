package io.hookway.portal.token;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import io.hookway.core.crypto.SecureRandoms;

/**
 * Client secrets: 256 random bits shown once, stored only as a salted PBKDF2-HMAC-SHA256
 * hash ({@code pbkdf2-sha256$iterations$salt$hash}). Hashing is deliberately slow:
 * callers run it off the event loop.
 */
public final class ClientSecrets {

	private static final int ITERATIONS = 100_000;

	private static final int SALT_BYTES = 16;

	private static final int HASH_BITS = 256;

	private static final SecureRandom RANDOM = SecureRandoms.get();

	private static final Base64.Encoder URL_ENCODER = Base64.getUrlEncoder().withoutPadding();

	private ClientSecrets() {
	}

	public static String newClientId() {
		byte[] id = new byte[15];
		RANDOM.nextBytes(id);
		return "cli_" + URL_ENCODER.encodeToString(id);
	}

	public static String newSecret() {
		byte[] secret = new byte[32];
		RANDOM.nextBytes(secret);
		return "cs_" + URL_ENCODER.encodeToString(secret);
	}

	public static String hash(String secret) {
		byte[] salt = new byte[SALT_BYTES];
		RANDOM.nextBytes(salt);
		byte[] hash = pbkdf2(secret, salt, ITERATIONS);
		return "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
				+ Base64.getEncoder().encodeToString(hash);
	}

	public static boolean matches(String secret, String stored) {
		String[] parts = stored.split("\\$");
		if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
			return false;
		}
		byte[] salt = Base64.getDecoder().decode(parts[2]);
		byte[] expected = Base64.getDecoder().decode(parts[3]);
		return MessageDigest.isEqual(expected, pbkdf2(secret, salt, Integer.parseInt(parts[1])));
	}

	private static byte[] pbkdf2(String secret, byte[] salt, int iterations) {
		try {
			PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, HASH_BITS);
			return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", ex);
		}
	}

}
