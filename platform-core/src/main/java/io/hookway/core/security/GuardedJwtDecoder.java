package io.hookway.core.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * Wraps whichever decoder verifies tokens. A token verified once is remembered until it
 * expires, so the RSA check and claim parsing are not paid on every request of a client
 * that reuses its token (nor is reading its application id and scopes: the cached token
 * is a {@link VerifiedJwt}); and a token of a disabled application is refused, cached or
 * not.
 */
final class GuardedJwtDecoder implements ReactiveJwtDecoder {

	private final ReactiveJwtDecoder delegate;

	private final DisabledApplications disabled;

	private final Cache<String, Jwt> verified;

	private final String applicationClaim;

	/**
	 * The cache is bounded by bytes as well as by count: tokens are as large as their
	 * claims make them, and a count alone would let large ones fill the heap. Each entry
	 * weighs at least {@code maximumBytes / maximumCachedTokens}, so the count still
	 * holds.
	 */
	GuardedJwtDecoder(ReactiveJwtDecoder delegate, DisabledApplications disabled, long maximumCachedTokens,
			long maximumBytes, String applicationClaim) {
		this.delegate = delegate;
		this.disabled = disabled;
		this.applicationClaim = applicationClaim;
		int leastWeight = (int) Math.min(Integer.MAX_VALUE,
				Math.max(1, (maximumBytes + maximumCachedTokens - 1) / Math.max(1, maximumCachedTokens)));
		this.verified = Caffeine.newBuilder()
			.maximumWeight(maximumBytes)
			.weigher((String token, Jwt jwt) -> Math.max(leastWeight, weight(token)))
			.expireAfter(Expiry.<String, Jwt>creating((token, jwt) -> untilExpiry(jwt)))
			.build();
	}

	/**
	 * What a cached token takes, roughly: the token text as key and inside the decoded
	 * token, its claims decoded once more, and the objects around them.
	 */
	static int weight(String token) {
		return (int) Math.min(Integer.MAX_VALUE, 3L * token.length() + 1024);
	}

	/** Roughly the bytes the cached tokens take now. */
	long cachedBytes() {
		this.verified.cleanUp();
		return this.verified.policy().eviction().map((eviction) -> eviction.weightedSize().orElse(0L)).orElse(0L);
	}

	@Override
	public Mono<Jwt> decode(String token) throws JwtException {
		Jwt cached = this.verified.getIfPresent(token);
		if (cached != null && stillValid(cached)) {
			return admitted(cached);
		}
		return this.delegate.decode(token)
			.map((decoded) -> (Jwt) VerifiedJwt.of(withApplicationClaim(decoded)))
			.doOnNext((decoded) -> this.verified.put(token, decoded))
			.flatMap(this::admitted);
	}

	private Mono<Jwt> admitted(Jwt jwt) {
		return applicationOf(jwt).filter(this.disabled::isDisabled).isPresent()
				? Mono.error(new BadJwtException("The token's application is disabled")) : Mono.just(jwt);
	}

	/**
	 * Tokens of an external issuer name the application in a claim of the operator's
	 * choice; it is copied to the claim the services read, so everything downstream sees
	 * one shape.
	 */
	private Jwt withApplicationClaim(Jwt jwt) {
		if (this.applicationClaim.equals(Caller.APPLICATION_CLAIM)) {
			return jwt;
		}
		Object application = jwt.getClaims().get(this.applicationClaim);
		return Jwt.withTokenValue(jwt.getTokenValue())
			.headers((headers) -> headers.putAll(jwt.getHeaders()))
			.claims((claims) -> {
				claims.putAll(jwt.getClaims());
				claims.remove(Caller.APPLICATION_CLAIM);
				if (application != null) {
					claims.put(Caller.APPLICATION_CLAIM, application.toString());
				}
			})
			.build();
	}

	private static Optional<UUID> applicationOf(Jwt jwt) {
		return Caller.of(jwt).applicationId();
	}

	private static boolean stillValid(Jwt jwt) {
		return jwt.getExpiresAt() == null || jwt.getExpiresAt().isAfter(Instant.now());
	}

	private static Duration untilExpiry(Jwt jwt) {
		if (jwt.getExpiresAt() == null) {
			return Duration.ofMinutes(5);
		}
		Duration remaining = Duration.between(Instant.now(), jwt.getExpiresAt());
		return remaining.isNegative() ? Duration.ZERO : remaining;
	}

}
