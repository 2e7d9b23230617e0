package io.hookway.portal.dashboard.access;

import java.util.List;

import reactor.core.publisher.Mono;

import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;
import org.springframework.security.web.server.context.ServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;

/**
 * Who a dashboard request is: the session row its cookie names, read on every request so
 * that a signed-out or expired session, or a disabled application, is refused at once on
 * every replica. Sessions are created only by the link exchange, never saved here.
 */
final class SessionContextRepository implements ServerSecurityContextRepository {

	private static final List<SimpleGrantedAuthority> AUTHORITIES = List.of(new SimpleGrantedAuthority("DASHBOARD"));

	private final DashboardAccess access;

	SessionContextRepository(DashboardAccess access) {
		this.access = access;
	}

	@Override
	public Mono<Void> save(ServerWebExchange exchange, SecurityContext context) {
		return Mono.empty();
	}

	@Override
	public Mono<SecurityContext> load(ServerWebExchange exchange) {
		String token = SessionCookie.read(exchange);
		if (token == null) {
			return Mono.empty();
		}
		return this.access.session(token)
			.map((session) -> new SecurityContextImpl(
					new PreAuthenticatedAuthenticationToken(session, token, AUTHORITIES)));
	}

}
