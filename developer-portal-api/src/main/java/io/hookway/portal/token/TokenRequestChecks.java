package io.hookway.portal.token;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.MultiValueMap;

/** What makes a token request malformed before anyone looks at its credentials. */
final class TokenRequestChecks {

	private static final List<String> SINGLE_VALUED = List.of("grant_type", "scope", "client_id", "client_secret");

	private TokenRequestChecks() {
	}

	/** Why the form is malformed, or null when it is not. */
	static @Nullable String problem(MultiValueMap<String, String> form) {
		for (String parameter : SINGLE_VALUED) {
			if (form.getOrDefault(parameter, List.of()).size() > 1) {
				return "The parameter " + parameter + " is repeated.";
			}
		}
		for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
			if (hasControlCharacter(parameter.getKey())
					|| parameter.getValue().stream().anyMatch(TokenRequestChecks::hasControlCharacter)) {
				return "Parameters must not contain control characters.";
			}
		}
		return null;
	}

	/**
	 * C0 controls (NUL, CR, LF, TAB…) and DEL: never part of a client id, secret or
	 * scope.
	 */
	static boolean hasControlCharacter(@Nullable String value) {
		if (value == null) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c == 0x7f) {
				return true;
			}
		}
		return false;
	}

}
