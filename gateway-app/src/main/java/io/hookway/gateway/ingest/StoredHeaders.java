package io.hookway.gateway.ingest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The request headers a task is stored with, as the JSON object of its
 * {@code request_headers} column: each name in lower case with the list of its values.
 */
final class StoredHeaders {

	/**
	 * Headers never stored or forwarded: credentials, hop-by-hop ones (RFC 9110 §7.6.1),
	 * the body's framing and encoding, since the body is stored decoded, and the trace
	 * context, which the task carries on in a column of its own.
	 */
	private static final Set<String> DROPPED = Set.of("authorization", "cookie", "connection", "keep-alive",
			"proxy-authenticate", "proxy-authorization", "proxy-connection", "te", "trailer", "transfer-encoding",
			"upgrade", "host", "content-length", "content-encoding", "idempotency-key", "traceparent", "tracestate");

	private StoredHeaders() {
	}

	/** The call's headers to store, forwarding headers included, as JSON text. */
	static String json(ServerHttpRequest request) {
		return json(ForwardedHeaders.apply(kept(request.getHeaders()), request));
	}

	private static Map<String, List<String>> kept(HttpHeaders headers) {
		Map<String, List<String>> kept = new LinkedHashMap<>();
		headers.forEach((name, values) -> {
			String lower = name.toLowerCase(Locale.ROOT);
			if (!DROPPED.contains(lower)) {
				kept.computeIfAbsent(lower, (key) -> new ArrayList<>(values.size())).addAll(values);
			}
		});
		return kept;
	}

	/**
	 * The headers as a JSON object of string arrays, written directly: the shape is fixed
	 * and small, so a general-purpose mapper's per-call work (a generator, serializer
	 * lookups) buys nothing here.
	 */
	static String json(Map<String, List<String>> headers) {
		StringBuilder json = new StringBuilder(64 * (headers.size() + 1));
		json.append('{');
		boolean firstName = true;
		for (Map.Entry<String, List<String>> header : headers.entrySet()) {
			if (!firstName) {
				json.append(',');
			}
			firstName = false;
			JsonStrings.quote(header.getKey(), json);
			json.append(":[");
			boolean firstValue = true;
			for (String value : header.getValue()) {
				if (!firstValue) {
					json.append(',');
				}
				firstValue = false;
				JsonStrings.quote(value, json);
			}
			json.append(']');
		}
		return json.append('}').toString();
	}

}
