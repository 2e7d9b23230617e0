package io.hookway.core.security;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * A token as verified once and then served from the cache on every call it is sent with,
 * carrying what each call would otherwise derive again from its claims: the caller (its
 * application id parsed from the claim) and the authorities its scopes grant.
 */
final class VerifiedJwt extends Jwt {

	private static final JwtGrantedAuthoritiesConverter AUTHORITIES = new JwtGrantedAuthoritiesConverter();

	private final Caller caller;

	private final Collection<GrantedAuthority> authorities;

	private VerifiedJwt(Jwt jwt) {
		super(jwt.getTokenValue(), jwt.getIssuedAt(), jwt.getExpiresAt(), jwt.getHeaders(), jwt.getClaims());
		this.caller = Caller.parse(this);
		this.authorities = AUTHORITIES.convert(this);
	}

	static VerifiedJwt of(Jwt jwt) {
		return (jwt instanceof VerifiedJwt verified) ? verified : new VerifiedJwt(jwt);
	}

	Caller caller() {
		return this.caller;
	}

	/**
	 * What Spring Security's default converter would grant: {@code SCOPE_} authorities.
	 */
	Collection<GrantedAuthority> authorities() {
		return this.authorities;
	}

}
