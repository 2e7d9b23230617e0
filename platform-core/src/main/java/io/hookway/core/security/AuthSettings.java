package io.hookway.core.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * What every service expects of an access token from the embedded issuer.
 *
 * @param issuer the {@code iss} the portal writes and the services require; make it the
 * portal's public base URL
 * @param audience the {@code aud} the portal writes and the services require
 * @param disabledApplicationsRefresh how often each service re-reads which applications
 * are disabled; their tokens are refused at most this long after the application is
 * disabled
 * @param verifiedTokenCacheSize how many verified tokens each service remembers until
 * they expire
 * @param applicationClaim the claim of an external issuer's tokens naming the application
 * @param verifiedTokenCacheBytes roughly how much memory those tokens may take: whichever
 * of the two limits is reached first bounds the cache
 */
@ConfigurationProperties("hookway.auth")
public record AuthSettings(@DefaultValue("http://localhost:8080") String issuer,
		@DefaultValue("hookway") String audience, @DefaultValue("2s") Duration disabledApplicationsRefresh,
		@DefaultValue("100000") long verifiedTokenCacheSize, @DefaultValue("app_id") String applicationClaim,
		@DefaultValue("32MB") DataSize verifiedTokenCacheBytes) {
}
