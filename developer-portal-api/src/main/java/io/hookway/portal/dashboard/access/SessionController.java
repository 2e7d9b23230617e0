package io.hookway.portal.dashboard.access;

import java.net.URI;

import reactor.core.publisher.Mono;

import io.hookway.portal.dashboard.DashboardSettings;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.server.ServerWebExchange;

/**
 * Opening a link and signing out. The login page's script reads the secret from the
 * fragment and posts it here; the answer sets the session cookie.
 */
@Controller
class SessionController {

	private final DashboardAccess access;

	private final DashboardSettings settings;

	private final boolean secure;

	SessionController(DashboardAccess access, DashboardSettings settings) {
		this.access = access;
		this.settings = settings;
		this.secure = settings.secure(access.base());
	}

	@GetMapping("/dashboard/login")
	String login() {
		return "dashboard/login";
	}

	@GetMapping("/dashboard/signed-out")
	String signedOut() {
		return "dashboard/signed-out";
	}

	@GetMapping({ "/dashboard", "/dashboard/" })
	ResponseEntity<Void> home() {
		return ResponseEntity.status(HttpStatus.SEE_OTHER).location(URI.create("/dashboard/endpoints")).build();
	}

	/** 204 with the cookie, or 403 for a link that is unknown, used or expired. */
	@PostMapping(path = "/dashboard/session", consumes = MediaType.APPLICATION_JSON_VALUE)
	Mono<ResponseEntity<Void>> open(@RequestBody OpenSession request) {
		String secret = (request.secret() != null) ? request.secret() : "";
		return this.access.exchange(secret)
			.map((token) -> ResponseEntity.noContent()
				.header(HttpHeaders.SET_COOKIE,
						SessionCookie.of(token, this.settings.sessionLifetime(), this.secure).toString())
				.<Void>build())
			.defaultIfEmpty(ResponseEntity.status(HttpStatus.FORBIDDEN).build());
	}

	@PostMapping("/dashboard/sign-out")
	Mono<ResponseEntity<Void>> signOut(ServerWebExchange exchange) {
		String token = SessionCookie.read(exchange);
		Mono<Void> ended = (token != null) ? this.access.end(token) : Mono.empty();
		return ended.then(Mono.fromSupplier(() -> ResponseEntity.status(HttpStatus.SEE_OTHER)
			.location(URI.create("/dashboard/signed-out"))
			.header(HttpHeaders.SET_COOKIE, SessionCookie.cleared(this.secure).toString())
			.<Void>build()));
	}

	record OpenSession(@org.jspecify.annotations.Nullable String secret) {
	}

}
