package io.hookway.portal.dashboard;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The developer dashboard.
 *
 * @param baseUrl the portal's public base URL, which dashboard links start with; unset,
 * the embedded issuer's {@code hookway.auth.issuer}, which is that URL too
 * @param linkLifetime how long a one-time link may be opened after it was made
 * @param sessionLifetime how long a browser session lasts after the link was opened
 * @param secureCookie whether the session cookie is {@code Secure} (sent over https
 * only); unset, it is when the base URL is https
 */
@ConfigurationProperties("hookway.dashboard")
public record DashboardSettings(@Nullable URI baseUrl, @DefaultValue("10m") Duration linkLifetime,
		@DefaultValue("8h") Duration sessionLifetime, @Nullable Boolean secureCookie) {

	public DashboardSettings {
		if (linkLifetime.compareTo(Duration.ofSeconds(1)) < 0 || sessionLifetime.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException(
					"hookway.dashboard.link-lifetime and session-lifetime must be at least 1s");
		}
		if (baseUrl != null && !("https".equals(baseUrl.getScheme()) || "http".equals(baseUrl.getScheme()))) {
			throw new IllegalArgumentException("hookway.dashboard.base-url must be an http or https URL");
		}
	}

	/** The public base URL, without a trailing slash. */
	public String base(String issuer) {
		String base = (this.baseUrl != null) ? this.baseUrl.toString() : issuer;
		return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
	}

	/** Whether the cookie is {@code Secure}, given the public base URL. */
	public boolean secure(String base) {
		return (this.secureCookie != null) ? this.secureCookie : base.startsWith("https:");
	}

}
