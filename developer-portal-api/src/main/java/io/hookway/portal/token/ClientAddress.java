package io.hookway.portal.token;

import java.net.InetSocketAddress;

import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * A client id as asked for from one network address: what token request limits count, so
 * that someone who knows a client id but not its secret can only lock out themselves (and
 * whoever shares their address), not the client everywhere.
 *
 * @param clientId the client id the request claims
 * @param address the TCP peer as this server sees it; forwarded headers are not trusted,
 * so behind a proxy this is the proxy's address
 */
record ClientAddress(String clientId, String address) {

	private static final String UNKNOWN = "unknown";

	/** The address a request came from, as text. */
	static String of(ServerHttpRequest request) {
		return of(request.getRemoteAddress());
	}

	static String of(@Nullable InetSocketAddress remote) {
		if (remote == null) {
			return UNKNOWN;
		}
		return (remote.getAddress() != null) ? remote.getAddress().getHostAddress() : remote.getHostString();
	}

}
