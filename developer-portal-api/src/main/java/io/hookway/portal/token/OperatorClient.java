package io.hookway.portal.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

import org.jspecify.annotations.Nullable;

import io.hookway.portal.PortalSettings;

import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The operator client from configuration, checked at start. A secret that is set but
 * empty (as a Helm Secret with an empty value renders it) refuses to start rather than
 * silently running without an operator client: whoever set it meant to have one. A secret
 * under 24 characters refuses too, except in the demo profile, whose secret is published
 * anyway.
 */
@Component
class OperatorClient {

	static final int MIN_SECRET_LENGTH = 24;

	private static final String KEY = "hookway.portal.operator.client-secret";

	private final String clientId;

	private final byte @Nullable [] secretDigest;

	OperatorClient(PortalSettings settings, Environment environment) {
		PortalSettings.Operator operator = settings.operator();
		this.clientId = operator.clientId();
		String secret = operator.clientSecret();
		if (secret == null) {
			this.secretDigest = null;
			return;
		}
		if (secret.isBlank()) {
			throw new IllegalStateException(KEY + " is set but empty: give it a random value of at least "
					+ MIN_SECRET_LENGTH + " characters (e.g. openssl rand -hex 24), or leave it unset to run "
					+ "without an operator client");
		}
		if (secret.length() < MIN_SECRET_LENGTH && !environment.acceptsProfiles(Profiles.of("demo"))) {
			throw new IllegalStateException(KEY + " must be at least " + MIN_SECRET_LENGTH
					+ " characters long (e.g. openssl rand -hex 24); shorter ones are allowed only in the demo profile");
		}
		if (TokenRequestChecks.hasControlCharacter(secret)) {
			// no client can send one, so the operator could never authenticate
			throw new IllegalStateException(KEY + " contains a control character (a trailing newline from "
					+ "the file the secret was made from?)");
		}
		if (secret.length() > ClientAuthenticator.MAX_SECRET_LENGTH) {
			throw new IllegalStateException(
					KEY + " must be at most " + ClientAuthenticator.MAX_SECRET_LENGTH + " characters long");
		}
		if (this.clientId.isBlank()) {
			throw new IllegalStateException("hookway.portal.operator.client-id must not be empty");
		}
		this.secretDigest = digest(secret);
	}

	boolean isOperator(String clientId) {
		return this.secretDigest != null && this.clientId.equals(clientId);
	}

	String clientId() {
		return this.clientId;
	}

	/**
	 * Compares digests, so that the time taken tells nothing about the secret's length.
	 */
	boolean matches(String secret) {
		return this.secretDigest != null && !secret.isEmpty()
				&& MessageDigest.isEqual(this.secretDigest, digest(secret));
	}

	private static byte[] digest(String secret) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
