package io.hookway.standalone;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.RecordingHttpServer.Request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client posing as a proxy, a tracer or the platform: the upstream, a real server on
 * loopback, receives none of the headers it forged, and the forwarding headers the
 * gateway set from what it saw itself.
 */
class ForwardedHeadersTest extends StandaloneIntegrationTest {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9a-z]+)\"");

	private static final List<String> FORGED = List.of("X-Forwarded-For: 203.0.113.9", "X-Forwarded-Host: evil.example",
			"X-Forwarded-Proto: https", "X-Forwarded-Port: 443", "X-Forwarded-Prefix: /admin",
			"Forwarded: for=203.0.113.9;host=evil.example", "X-Real-IP: 203.0.113.9", "True-Client-IP: 203.0.113.9",
			"X-HTTP-Method-Override: DELETE", "X-HTTP-Method: DELETE", "X-Method-Override: DELETE",
			"b3: 80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1", "X-B3-TraceId: 80f198ee56343ba864fe8b2a57d3eff7",
			"X-B3-Sampled: 1", "baggage: role=admin", "Hookway-Completion-Token: chosen-by-the-client",
			"Hookway-Application-Id: app_forged", "Hookway-Made-Up: yes", "X-Secret-Hop: named in Connection",
			"X-Other-Hop: named in Connection too");

	@Test
	void upstreamReceivesNoForgedHeaderAndTheGatewaysOwnForwarded() throws Exception {
		Tenant tenant = newTenant("forwarded-headers");
		StringBuilder call = new StringBuilder().append("POST /api/orders/forwarded HTTP/1.1\r\n")
			.append("Host: 127.0.0.1:")
			.append(this.port)
			.append("\r\n")
			.append("Authorization: Bearer ")
			.append(tenant.token())
			.append("\r\n")
			.append("Content-Type: application/json\r\nContent-Length: 2\r\n")
			.append("Connection: close, X-Secret-Hop\r\nConnection: x-other-hop\r\n")
			.append("X-Tenant-Ref: kept\r\n");
		FORGED.forEach((header) -> call.append(header).append("\r\n"));
		call.append("\r\n{}");
		String response = send(call.toString());
		assertThat(response).startsWith("HTTP/1.1 202");
		Matcher taskId = TASK_ID.matcher(response);
		assertThat(taskId.find()).as(response).isTrue();
		String task = taskId.group(1);

		Request forwarded = await().atMost(Duration.ofSeconds(15))
			.until(() -> first(upstream.requests(), (r) -> task.equals(r.header("Hookway-Task-Id"))), (r) -> r != null);
		assertThat(forwarded.header("X-Tenant-Ref")).isEqualTo("kept");
		assertThat(forwarded.headers()).doesNotContainKeys("x-forwarded-port", "x-forwarded-prefix", "x-real-ip",
				"true-client-ip", "x-http-method-override", "x-http-method", "x-method-override", "b3", "x-b3-traceid",
				"x-b3-sampled", "baggage", "hookway-made-up", "x-secret-hop", "x-other-hop");
		assertThat(forwarded.headers().get("forwarded"))
			.containsExactly("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + this.port + "\"");
		assertThat(forwarded.headers().get("x-forwarded-for")).containsExactly("127.0.0.1");
		assertThat(forwarded.headers().get("x-forwarded-proto")).containsExactly("http");
		assertThat(forwarded.headers().get("x-forwarded-host")).containsExactly("127.0.0.1:" + this.port);
		assertThat(forwarded.headers().get("hookway-application-id")).containsExactly(tenant.applicationId());
		assertThat(forwarded.headers().get("hookway-completion-token")).hasSize(1)
			.doesNotContain("chosen-by-the-client");
		assertThat(forwarded.method()).isEqualTo("POST");
	}

	private String send(String request) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
	}

}
