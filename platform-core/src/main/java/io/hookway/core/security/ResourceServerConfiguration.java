package io.hookway.core.security;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.core.web.ProblemCode;
import io.hookway.core.web.ProblemResponses;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.reactive.ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverter;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.firewall.ServerWebExchangeFirewall;
import org.springframework.security.web.server.firewall.StrictServerWebExchangeFirewall;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Every service is an OAuth2 resource server. By default tokens are verified against the
 * embedded issuer's public keys in the shared database; setting
 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}
 * switches to another issuer through Spring Boot's own decoder. The chain is stateless:
 * no session, no saved request, no CSRF (there are no cookies to ride on).
 */
@AutoConfiguration(after = ReactiveOAuth2ResourceServerAutoConfiguration.class,
		before = { ReactiveOAuth2ResourceServerWebSecurityAutoConfiguration.class,
				ReactiveWebSecurityAutoConfiguration.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
public class ResourceServerConfiguration {

	private static final Log logger = LogFactory.getLog(ResourceServerConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(ReactiveJwtDecoder.class)
	ReactiveJwtDecoder embeddedIssuerJwtDecoder(DatabaseClient database, AuthSettings settings) {
		SigningKeyDirectory directory = new SigningKeyDirectory(database);
		NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder
			.withJwkSource((jwt) -> directory.keys(jwt.getHeader().getKeyID()))
			.jwsAlgorithm(org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.RS256)
			.build();
		// RFC 9068 access tokens are typed at+jwt; plain JWT and an absent typ are
		// accepted too
		JwtTypeValidator type = new JwtTypeValidator("JWT", "at+jwt");
		type.setAllowEmpty(true);
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
				new JwtIssuerValidator(settings.issuer()), new JwtAudienceValidator(settings.audience()), type));
		return decoder;
	}

	/**
	 * The strict firewall with its header checks done by a character test instead of a
	 * Unicode regular expression per header value, which profiling showed as a third of
	 * the CPU per request (the bearer token is the longest value). Same rule: no control
	 * characters.
	 */
	@Bean
	ServerWebExchangeFirewall serverWebExchangeFirewall() {
		StrictServerWebExchangeFirewall firewall = new StrictServerWebExchangeFirewall();
		firewall.setAllowedHeaderNames(ResourceServerConfiguration::hasNoControlCharacters);
		firewall.setAllowedHeaderValues(ResourceServerConfiguration::hasNoControlCharacters);
		return firewall;
	}

	/**
	 * Spring Security would otherwise wrap each of its filters, the authentication and
	 * the authorization in observations of their own, on every call; the request's own
	 * observation (its {@code http.server.requests} timer and trace span) is kept.
	 */
	@Bean
	SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	/** Requests the firewall refuses get a problem+json 400 like every other refusal. */
	@Bean
	ServerExchangeRejectedHandler serverExchangeRejectedHandler(ProblemResponses problems) {
		return (exchange, ex) -> problems.write(exchange, ProblemResponses.problem(ProblemCode.REQUEST_REJECTED,
				"The request was refused as malformed or potentially malicious."));
	}

	static boolean hasNoControlCharacters(@Nullable String value) {
		if (value == null) {
			return true;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c < 0xa0);
			if (control || (c > 0xff && !Character.isDefined(c))) {
				return false;
			}
		}
		return true;
	}

	@Bean
	DisabledApplications disabledApplications(DatabaseClient database, AuthSettings settings) {
		return new DisabledApplications(database, settings.disabledApplicationsRefresh());
	}

	@Bean
	SecurityWebFilterChain hookwaySecurityFilterChain(ServerHttpSecurity http, ObjectProvider<ApiAccessRules> rules,
			ProblemResponses problems, ReactiveJwtDecoder decoder, DisabledApplications disabledApplications,
			AuthSettings settings, ObjectProvider<ReactiveJwtAuthenticationConverter> customConverter) {
		ReactiveJwtDecoder guarded = new GuardedJwtDecoder(decoder, disabledApplications,
				settings.verifiedTokenCacheSize(), settings.verifiedTokenCacheBytes().toBytes(),
				settings.applicationClaim());
		// Spring Boot defines a converter only when its authority properties are set
		ReactiveJwtAuthenticationConverter custom = customConverter.getIfAvailable();
		Converter<Jwt, Mono<AbstractAuthenticationToken>> converter = (custom != null) ? custom
				: ResourceServerConfiguration::authentication;
		http.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.anonymous(ServerHttpSecurity.AnonymousSpec::disable)
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.authorizeExchange((exchanges) -> {
				exchanges
					.pathMatchers("/actuator/health/**", "/actuator/health", "/actuator/prometheus", "/actuator/info",
							"/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html",
							"/swagger-ui/**", "/webjars/**")
					.permitAll();
				rules.orderedStream()
					.flatMap((service) -> service.rules().stream())
					.forEach((rule) -> rule.apply(exchanges));
				// a path or method no rule names is refused (401 without a token, else
				// 403),
				// so a new handler is not open to any token until its scope is named
				exchanges.anyExchange().denyAll();
			})
			.exceptionHandling((handling) -> handling.authenticationEntryPoint(unauthorized(problems))
				.accessDeniedHandler(forbidden(problems)))
			.oauth2ResourceServer(
					(server) -> server.jwt((jwt) -> jwt.jwtDecoder(guarded).jwtAuthenticationConverter(converter))
						.authenticationEntryPoint(unauthorized(problems))
						.accessDeniedHandler(forbidden(problems)));
		return http.build();
	}

	/**
	 * What Spring Security's default converter makes of a token (its {@code SCOPE_}
	 * authorities, the subject as name), with the authorities read once per verified
	 * token rather than on every call.
	 */
	private static Mono<AbstractAuthenticationToken> authentication(Jwt jwt) {
		return Mono.just(new JwtAuthenticationToken(jwt, VerifiedJwt.of(jwt).authorities()));
	}

	private static ServerAuthenticationEntryPoint unauthorized(ProblemResponses problems) {
		return (exchange, ex) -> {
			if (logger.isDebugEnabled()) {
				logger.debug("Refused " + exchange.getRequest().getPath() + ": " + ex.getMessage());
			}
			boolean tokenPresented = exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION);
			String challenge = tokenPresented ? "Bearer error=\"invalid_token\"" : "Bearer";
			exchange.getResponse().getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
			String detail = tokenPresented ? "The bearer token is invalid or has expired."
					: "This call needs a bearer token in the Authorization header.";
			return problems.write(exchange, ProblemResponses
				.problem(tokenPresented ? ProblemCode.INVALID_TOKEN : ProblemCode.MISSING_TOKEN, detail));
		};
	}

	private static ServerAccessDeniedHandler forbidden(ProblemResponses problems) {
		return (exchange, ex) -> {
			exchange.getResponse()
				.getHeaders()
				.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
			return problems.write(exchange, ProblemResponses.problem(ProblemCode.INSUFFICIENT_SCOPE,
					"The token does not carry the scope this call needs."));
		};
	}

}
