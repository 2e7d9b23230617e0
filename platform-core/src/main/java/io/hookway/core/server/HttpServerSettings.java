package io.hookway.core.server;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How long the HTTP server waits for a slow client. An idle connection is closed after
 * {@code server.netty.idle-timeout}.
 *
 * @param headerTimeout from the first byte of a request (or the connection's opening)
 * until its request line and headers are complete; then the connection is closed
 * @param readTimeout longest pause while a request body is being read; then the
 * connection is closed
 */
@ConfigurationProperties("hookway.server")
public record HttpServerSettings(@DefaultValue("10s") Duration headerTimeout,
		@DefaultValue("30s") Duration readTimeout) {

	public HttpServerSettings {
		if (headerTimeout.isNegative() || headerTimeout.isZero()) {
			throw new IllegalArgumentException("hookway.server.header-timeout must be positive");
		}
		if (readTimeout.isNegative() || readTimeout.isZero()) {
			throw new IllegalArgumentException("hookway.server.read-timeout must be positive");
		}
	}

}
