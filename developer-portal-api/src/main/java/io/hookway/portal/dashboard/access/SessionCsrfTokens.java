package io.hookway.portal.dashboard.access;

import reactor.core.publisher.Mono;

import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.security.web.server.csrf.DefaultCsrfToken;
import org.springframework.security.web.server.csrf.ServerCsrfTokenRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * CSRF tokens bound to the session: each is derived from the session cookie, so nothing
 * is stored and every replica knows it. Without a session there is no token, and every
 * change is refused.
 */
final class SessionCsrfTokens implements ServerCsrfTokenRepository {

	static final String HEADER = "X-CSRF-TOKEN";

	static final String PARAMETER = "_csrf";

	@Override
	public Mono<CsrfToken> generateToken(ServerWebExchange exchange) {
		return loadToken(exchange);
	}

	@Override
	public Mono<Void> saveToken(ServerWebExchange exchange, CsrfToken token) {
		return Mono.empty();
	}

	@Override
	public Mono<CsrfToken> loadToken(ServerWebExchange exchange) {
		String session = SessionCookie.read(exchange);
		return (session != null) ? Mono.just(new DefaultCsrfToken(HEADER, PARAMETER, Secrets.csrfToken(session)))
				: Mono.empty();
	}

}
