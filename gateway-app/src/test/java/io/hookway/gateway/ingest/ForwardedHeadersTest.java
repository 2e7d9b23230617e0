package io.hookway.gateway.ingest;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The forwarding headers a call is stored with, for the peers and Host values the
 * end-to-end test on loopback cannot produce.
 */
class ForwardedHeadersTest {

	@Test
	void ipv6PeerIsBracketedAndQuotedAndItsZoneLeftOut() throws Exception {
		MockServerHttpRequest request = MockServerHttpRequest.post("https://gateway.example/api/orders")
			.remoteAddress(new InetSocketAddress(InetAddress.getByName("fe80::1%1"), 50000))
			.header("Host", "gateway.example")
			.build();
		Map<String, List<String>> headers = ForwardedHeaders.apply(Map.of(), request);
		assertThat(headers.get("forwarded"))
			.containsExactly("for=\"[fe80:0:0:0:0:0:0:1]\";proto=https;host=\"gateway.example\"");
		assertThat(headers.get("x-forwarded-for")).containsExactly("fe80:0:0:0:0:0:0:1");
		assertThat(headers.get("x-forwarded-proto")).containsExactly("https");
	}

	@Test
	void hostThatIsNotAHostIsNotPassedOnAndAnUnknownPeerIsSaidSo() {
		MockServerHttpRequest request = MockServerHttpRequest.post("http://gateway.example/api/orders")
			.header("Host", "evil\";for=10.0.0.1")
			.build();
		Map<String, List<String>> headers = ForwardedHeaders.apply(Map.of(), request);
		assertThat(headers.get("forwarded")).containsExactly("for=unknown;proto=http");
		assertThat(headers).doesNotContainKeys("x-forwarded-for", "x-forwarded-host");
	}

	@Test
	void headersNamedInConnectionAndForgeableOnesAreDroppedOthersKept() {
		MockServerHttpRequest request = MockServerHttpRequest.post("http://gateway.example/api/orders")
			.remoteAddress(new InetSocketAddress("127.0.0.1", 50000))
			.header("Connection", "X-Hop-One , x-hop-two")
			.header("Connection", "keep-alive")
			.build();
		Map<String, List<String>> kept = Map.of("x-hop-one", List.of("1"), "x-hop-two", List.of("2"), "x-forwarded-for",
				List.of("10.0.0.1"), "x-b3-spanid", List.of("1"), "hookway-completion-token", List.of("forged"),
				"x-http-method-override", List.of("DELETE"), "x-tenant", List.of("kept"));
		Map<String, List<String>> headers = ForwardedHeaders.apply(kept, request);
		assertThat(headers).containsEntry("x-tenant", List.of("kept"))
			.containsEntry("x-forwarded-for", List.of("127.0.0.1"))
			.doesNotContainKeys("x-hop-one", "x-hop-two", "x-b3-spanid", "hookway-completion-token",
					"x-http-method-override");
	}

}
