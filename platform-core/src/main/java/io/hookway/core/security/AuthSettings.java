package io.hookway.core.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * What every service expects of an access token from the embedded issuer.
 *
 * @param issuer the {@code iss} the portal writes and the services require; make it the
 * portal's public base URL
 * @param audience the {@code aud} the portal writes and the services require
 */
@ConfigurationProperties("hookway.auth")
public record AuthSettings(@DefaultValue("http://localhost:8080") String issuer,
		@DefaultValue("hookway") String audience) {
}
