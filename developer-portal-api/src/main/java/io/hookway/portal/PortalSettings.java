package io.hookway.portal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The portal and its embedded issuer.
 *
 * @param operator the operator client, bootstrapped from configuration; without a secret
 * there is no operator client
 * @param tokenTtl lifetime of issued access tokens
 * @param signingKeyRotation age at which the issuer's signing key is replaced by a new
 * one
 */
@ConfigurationProperties("hookway.portal")
public record PortalSettings(@DefaultValue Operator operator, @DefaultValue("15m") Duration tokenTtl,
		@DefaultValue("30d") Duration signingKeyRotation) {

	public PortalSettings {
		if (signingKeyRotation.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("hookway.portal.signing-key-rotation must be at least 1s");
		}
	}

	/**
	 * @param clientId the operator's client id
	 * @param clientSecret the operator's client secret; unset disables the operator
	 * client
	 */
	public record Operator(@DefaultValue("hookway-operator") String clientId, @Nullable String clientSecret) {
	}

}
