package io.hookway.portal.token;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/** A client id and secret as the client sent them, not yet checked. */
record ClientCredentials(String clientId, String clientSecret) {

	static @Nullable ClientCredentials of(@Nullable String clientId, @Nullable String clientSecret) {
		return (clientId == null || clientSecret == null) ? null : new ClientCredentials(clientId, clientSecret);
	}

	/** RFC 6749 §2.3.1: both parts are form-urlencoded before the Basic encoding. */
	static @Nullable ClientCredentials fromBasic(String encoded) {
		try {
			String decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			int colon = decoded.indexOf(':');
			if (colon < 0) {
				return null;
			}
			return of(URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8),
					URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8));
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	boolean hasControlCharacters() {
		return TokenRequestChecks.hasControlCharacter(this.clientId)
				|| TokenRequestChecks.hasControlCharacter(this.clientSecret);
	}

}
