package io.hookway.portal.dashboard.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

import io.hookway.core.crypto.SecureRandoms;

/**
 * The dashboard's bearer secrets (one-time links and session cookies): 256 random bits,
 * stored only as their SHA-256. A slow hash is not needed: they are random, not chosen by
 * a person.
 */
final class Secrets {

	private static final SecureRandom RANDOM = SecureRandoms.get();

	private Secrets() {
	}

	static String generate() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The session's CSRF token: derived from the cookie, so it needs no storage, and
	 * unlike the stored hash it cannot be computed from the database.
	 */
	static String csrfToken(String sessionToken) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256("csrf:" + sessionToken));
	}

	/** Cheap well-formedness check before any query: 43 base64url characters. */
	static boolean wellFormed(String value) {
		if (value.length() != 43) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '_';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

}
