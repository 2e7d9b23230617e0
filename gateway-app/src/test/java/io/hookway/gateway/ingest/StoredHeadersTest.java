package io.hookway.gateway.ingest;

import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The headers JSON is written by hand: whatever a header value holds, a JSON parser reads
 * back exactly the names and values that were stored.
 */
class StoredHeadersTest {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void quotesBackslashesControlsAndNonAsciiReadBackAsSent() {
		Map<String, List<String>> headers = new LinkedHashMap<>();
		headers.put("x-quoted", List.of("say \"hi\"", "back\\slash"));
		headers.put("x-controls", List.of("tab\there", "nul\u0000bell\u0007esc\u001b\u007f"));
		headers.put("x-latin", List.of("café", "\u00a0\u00ff"));
		headers.put("x-empty", List.of(""));
		String json = StoredHeaders.json(headers);
		assertThat(JSON.readValue(json, new TypeReference<LinkedHashMap<String, List<String>>>() {
		})).containsExactlyEntriesOf(headers);
		assertThat(json).doesNotContain("\t").doesNotContain("\u0000");
	}

	@Test
	void aCallIsStoredWithoutCredentialsAndWithItsForwardingHeaders() {
		MockServerHttpRequest request = MockServerHttpRequest.post("http://gateway.example/api/orders")
			.remoteAddress(new InetSocketAddress("127.0.0.1", 50000))
			.header("Authorization", "Bearer secret")
			.header("Host", "gateway.example")
			.header("X-Tenant", "a", "b")
			.build();
		Map<String, List<String>> stored = JSON.readValue(StoredHeaders.json(request),
				new TypeReference<Map<String, List<String>>>() {
				});
		assertThat(stored).containsEntry("x-tenant", List.of("a", "b"))
			.containsEntry("x-forwarded-for", List.of("127.0.0.1"))
			.containsEntry("forwarded", List.of("for=127.0.0.1;proto=http;host=\"gateway.example\""))
			.doesNotContainKeys("authorization", "host");
	}

}
