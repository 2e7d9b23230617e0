package io.hookway.portal.dashboard.access;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpCookie;
import org.springframework.http.ResponseCookie;
import org.springframework.web.server.ServerWebExchange;

/** The session cookie: HttpOnly, SameSite=Lax, scoped to the dashboard's paths. */
final class SessionCookie {

	static final String NAME = "hookway_dashboard";

	static final String PATH = "/dashboard";

	private SessionCookie() {
	}

	static @Nullable String read(ServerWebExchange exchange) {
		HttpCookie cookie = exchange.getRequest().getCookies().getFirst(NAME);
		return (cookie != null) ? cookie.getValue() : null;
	}

	static ResponseCookie of(String token, Duration lifetime, boolean secure) {
		return ResponseCookie.from(NAME, token)
			.httpOnly(true)
			.secure(secure)
			.sameSite("Lax")
			.path(PATH)
			.maxAge(lifetime)
			.build();
	}

	static ResponseCookie cleared(boolean secure) {
		return ResponseCookie.from(NAME, "").httpOnly(true).secure(secure).sameSite("Lax").path(PATH).maxAge(0).build();
	}

}
