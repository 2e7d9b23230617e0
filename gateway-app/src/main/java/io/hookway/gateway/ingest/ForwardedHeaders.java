package io.hookway.gateway.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * What an upstream may trust about the call, set by the gateway as a proxy would: headers
 * a client could forge to pass for a proxy, a tracer or the platform itself are dropped
 * before the call is stored, and {@code Forwarded} (RFC 7239) with its
 * {@code X-Forwarded-For}, {@code -Proto} and {@code -Host} counterparts is set from what
 * the gateway saw: the TCP peer of the client's call, the scheme and the Host it was sent
 * to.
 */
final class ForwardedHeaders {

	/**
	 * Client-IP, method-override and trace-propagation headers that proxies, frameworks
	 * and tracers in front of or inside an upstream take at their word.
	 */
	private static final Set<String> FORGEABLE = Set.of("forwarded", "x-real-ip", "true-client-ip", "x-client-ip",
			"x-cluster-client-ip", "cf-connecting-ip", "fastly-client-ip", "x-original-forwarded-for", "x-original-url",
			"x-rewrite-url", "x-http-method-override", "x-http-method", "x-method-override", "b3", "baggage",
			"uber-trace-id", "x-ot-span-context", "x-cloud-trace-context", "x-amzn-trace-id", "sw8");

	/** The same, by prefix; {@code hookway-} names are the platform's alone. */
	private static final List<String> FORGEABLE_PREFIXES = List.of("x-forwarded-", "x-b3-", "hookway-", "uberctx-",
			"ot-baggage-", "ot-tracer-", "x-datadog-", "x-envoy-");

	/** A Host value worth passing on: a name or address literal and an optional port. */
	private static final Pattern HOST = Pattern
		.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

	private ForwardedHeaders() {
	}

	/**
	 * The headers to store for the call: {@code kept} (names in lower case) without the
	 * forgeable ones and those the client's {@code Connection} header names as hop-by-hop
	 * (RFC 9110 §7.6.1), plus the gateway's own forwarding headers.
	 */
	static Map<String, List<String>> apply(Map<String, List<String>> kept, ServerHttpRequest request) {
		Map<String, List<String>> headers = new LinkedHashMap<>(kept);
		List<String> connection = request.getHeaders().get(HttpHeaders.CONNECTION);
		if (connection != null) {
			for (String value : connection) {
				for (String name : value.split(",")) {
					headers.remove(name.trim().toLowerCase(Locale.ROOT));
				}
			}
		}
		headers.keySet().removeIf(ForwardedHeaders::forgeable);
		String client = clientAddress(request.getRemoteAddress());
		String proto = request.getURI().getScheme();
		String host = request.getHeaders().getFirst(HttpHeaders.HOST);
		boolean validHost = host != null && HOST.matcher(host).matches();
		StringBuilder forwarded = new StringBuilder();
		forwarded.append("for=").append((client != null) ? forwardedNode(client) : "unknown");
		if (proto != null) {
			forwarded.append(";proto=").append(proto.toLowerCase(Locale.ROOT));
		}
		if (validHost) {
			forwarded.append(";host=\"").append(host).append('"');
		}
		headers.put("forwarded", List.of(forwarded.toString()));
		if (client != null) {
			headers.put("x-forwarded-for", List.of(client));
		}
		if (proto != null) {
			headers.put("x-forwarded-proto", List.of(proto.toLowerCase(Locale.ROOT)));
		}
		if (validHost) {
			headers.put("x-forwarded-host", List.of(host));
		}
		return headers;
	}

	static boolean forgeable(String name) {
		if (FORGEABLE.contains(name)) {
			return true;
		}
		for (String prefix : FORGEABLE_PREFIXES) {
			if (name.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	private static @Nullable String clientAddress(@Nullable InetSocketAddress remote) {
		if (remote == null) {
			return null;
		}
		InetAddress address = remote.getAddress();
		if (address == null) {
			return null;
		}
		String literal = address.getHostAddress();
		int zone = literal.indexOf('%');
		return (zone >= 0) ? literal.substring(0, zone) : literal;
	}

	/** RFC 7239 §6: an IPv6 address is bracketed and the whole node quoted. */
	private static String forwardedNode(String address) {
		return address.contains(":") ? "\"[" + address + "]\"" : address;
	}

}
