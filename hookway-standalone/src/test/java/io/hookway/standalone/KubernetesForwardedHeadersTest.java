package io.hookway.standalone;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.hookway.core.test.RecordingHttpServer.Request;

import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * In a Kubernetes pod Spring Boot would trust the client's forwarding headers: the
 * platform's own variables are in every pod, whether or not a proxy in front rewrites
 * those headers. The gateway keeps telling the upstream the peer it saw itself.
 */
@TestPropertySource(properties = "spring.main.cloud-platform=kubernetes")
class KubernetesForwardedHeadersTest extends StandaloneIntegrationTest {

	private static final Pattern TASK_ID = Pattern.compile("\"taskId\":\"(tsk_[0-9a-z]+)\"");

	@Test
	void clientForwardingHeadersAreNotTrustedOnKubernetes() throws Exception {
		Tenant tenant = newTenant("kubernetes-forwarded");
		String response = send("POST /api/orders/on-kubernetes HTTP/1.1\r\n" + "Host: 127.0.0.1:" + this.port + "\r\n"
				+ "Authorization: Bearer " + tenant.token() + "\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n"
				+ "X-Forwarded-For: 10.9.9.9\r\nX-Forwarded-Proto: https\r\n"
				+ "Forwarded: for=10.9.9.9;proto=https\r\n\r\n{}");
		assertThat(response).startsWith("HTTP/1.1 202");
		Matcher taskId = TASK_ID.matcher(response);
		assertThat(taskId.find()).as(response).isTrue();
		String task = taskId.group(1);

		Request forwarded = await().atMost(Duration.ofSeconds(15))
			.until(() -> first(upstream.requests(), (r) -> task.equals(r.header("Hookway-Task-Id"))), (r) -> r != null);
		assertThat(forwarded.headers().get("x-forwarded-for")).containsExactly("127.0.0.1");
		assertThat(forwarded.headers().get("x-forwarded-proto")).containsExactly("http");
		assertThat(forwarded.headers().get("forwarded"))
			.containsExactly("for=127.0.0.1;proto=http;host=\"127.0.0.1:" + this.port + "\"");
		assertThat(forwarded.headers().toString()).doesNotContain("10.9.9.9").doesNotContain("https");
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
