package io.hookway.portal.dashboard.access;

import io.hookway.core.crypto.SecureRandoms;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationEntryPoint;
import org.springframework.security.web.server.csrf.CsrfWebFilter;
import org.springframework.security.web.server.csrf.XorServerCsrfTokenRequestAttributeHandler;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * The dashboard's own security chain, apart from the API's stateless bearer-token chain:
 * a session cookie, a CSRF token on every change, and headers that keep pages from
 * running any script but the portal's own files.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class DashboardSecurity {

	/**
	 * Nothing inline, nothing from elsewhere: htmx runs with eval and its injected
	 * indicator styles turned off, so it needs no exception.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

	/** Before the API's chain, which takes every other path. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	SecurityWebFilterChain dashboardSecurityFilterChain(ServerHttpSecurity http, DashboardAccess access) {
		// the link exchange is a JSON call: a cross-site form cannot send it without a
		// CORS preflight, which is never granted, and before it there is no session to
		// bind a token to
		var exchange = ServerWebExchangeMatchers.pathMatchers(HttpMethod.POST, "/dashboard/session");
		http.securityMatcher(ServerWebExchangeMatchers.pathMatchers("/dashboard", "/dashboard/**"))
			.securityContextRepository(new SessionContextRepository(access))
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.csrf((csrf) -> csrf.csrfTokenRepository(new SessionCsrfTokens())
				.csrfTokenRequestHandler(maskedTokens())
				.requireCsrfProtectionMatcher(new AndServerWebExchangeMatcher(CsrfWebFilter.DEFAULT_CSRF_MATCHER,
						new NegatedServerWebExchangeMatcher(exchange))))
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.frameOptions((frames) -> frames.mode(Mode.DENY)))
			.authorizeExchange((exchanges) -> exchanges
				.pathMatchers(HttpMethod.GET, "/dashboard/login", "/dashboard/signed-out", "/dashboard/assets/**")
				.permitAll()
				.matchers(exchange)
				.permitAll()
				.anyExchange()
				.authenticated())
			.exceptionHandling((handling) -> handling
				.authenticationEntryPoint(new RedirectServerAuthenticationEntryPoint("/dashboard/signed-out")));
		return http.build();
	}

	/**
	 * Spring Security's default handler, with the process's DRBG: its own SecureRandom
	 * would read /dev/urandom on the event loop for every masked token.
	 */
	private static XorServerCsrfTokenRequestAttributeHandler maskedTokens() {
		XorServerCsrfTokenRequestAttributeHandler handler = new XorServerCsrfTokenRequestAttributeHandler();
		handler.setSecureRandom(SecureRandoms.get());
		return handler;
	}

}
