package io.hookway.portal;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The portal and its embedded issuer.
 *
 * @param operator the operator client, bootstrapped from configuration; without a secret
 * there is no operator client
 * @param tokenTtl lifetime of issued access tokens
 * @param signingKeyRotation age at which the issuer's signing key is replaced by a new
 * one
 * @param limits what one application or client may do, and how often
 * @param secretHashing the pool that verifies client secrets
 */
@ConfigurationProperties("hookway.portal")
public record PortalSettings(@DefaultValue Operator operator, @DefaultValue("15m") Duration tokenTtl,
		@DefaultValue("30d") Duration signingKeyRotation, @DefaultValue Limits limits,
		@DefaultValue SecretHashing secretHashing) {

	public PortalSettings {
		if (signingKeyRotation.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("hookway.portal.signing-key-rotation must be at least 1s");
		}
	}

	/**
	 * @param clientId the operator's client id
	 * @param clientSecret the operator's client secret, at least 24 characters (the demo
	 * profile excepted); unset disables the operator client, set but empty refuses to
	 * start
	 */
	public record Operator(@DefaultValue("hookway-operator") String clientId, @Nullable String clientSecret) {
	}

	/**
	 * @param maxEndpointsPerApplication how many webhook endpoints one application may
	 * have
	 * @param endpointTestsPerMinute test events one application may send a minute
	 * @param deliveryRetriesPerMinute deliveries one application may retry by hand a
	 * minute, each recovery counting as one
	 * @param tokenRequestsPerMinute token requests per client id and remote address a
	 * minute, answered or not
	 * @param failedAuthentications failed client authentications per client id and remote
	 * address after which that client id's token requests from that address are refused,
	 * without checking the secret, until the window that began with the first failure
	 * ends
	 * @param failedAuthenticationWindow that window
	 * @param trackedKeys most applications, client ids at an address or addresses each
	 * limit remembers; idle ones are forgotten
	 * @param failedAuthenticationsPerAddress failed client authentications from one
	 * remote address, whatever the client ids, after which all its token requests are
	 * refused, without checking the secret, until the window that began with the first
	 * failure ends
	 * @param messagePageBytes the most payload bytes one page of {@code GET /v1/messages}
	 * carries; a page stops before it (with a next cursor), always showing one message
	 */
	public record Limits(@DefaultValue("100") int maxEndpointsPerApplication,
			@DefaultValue("10") int endpointTestsPerMinute, @DefaultValue("60") int deliveryRetriesPerMinute,
			@DefaultValue("60") int tokenRequestsPerMinute, @DefaultValue("10") int failedAuthentications,
			@DefaultValue("1m") Duration failedAuthenticationWindow, @DefaultValue("10000") int trackedKeys,
			@DefaultValue("30") int failedAuthenticationsPerAddress, @DefaultValue("2MB") DataSize messagePageBytes) {

		public Limits {
			if (maxEndpointsPerApplication < 1 || endpointTestsPerMinute < 1 || deliveryRetriesPerMinute < 1
					|| tokenRequestsPerMinute < 1 || failedAuthentications < 1 || trackedKeys < 1
					|| failedAuthenticationsPerAddress < 1 || messagePageBytes.toBytes() < 1) {
				throw new IllegalArgumentException("hookway.portal.limits values must be positive");
			}
			if (failedAuthenticationWindow.compareTo(Duration.ofSeconds(1)) < 0) {
				throw new IllegalArgumentException(
						"hookway.portal.limits.failed-authentication-window must be at least 1s");
			}
		}

	}

	/**
	 * @param threads threads that hash client secrets, apart from every other pool
	 * @param queueSize secrets waiting for a thread, beyond which token requests are
	 * answered 503
	 * @param perClient secrets of one client id from one remote address being checked or
	 * waiting at once, beyond which its token requests from there are answered 429
	 * @param deadline longest a token request waits for its secret to be checked before
	 * it is answered 503
	 */
	public record SecretHashing(@DefaultValue("2") int threads, @DefaultValue("32") int queueSize,
			@DefaultValue("4") int perClient, @DefaultValue("3s") Duration deadline) {

		public SecretHashing {
			if (threads < 1 || queueSize < 1 || perClient < 1) {
				throw new IllegalArgumentException("hookway.portal.secret-hashing values must be positive");
			}
			if (deadline.isNegative() || deadline.isZero()) {
				throw new IllegalArgumentException("hookway.portal.secret-hashing.deadline must be positive");
			}
		}

	}

}
