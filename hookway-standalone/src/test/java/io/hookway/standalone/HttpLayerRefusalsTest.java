package io.hookway.standalone;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.hookway.core.test.TestRows;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the HTTP layer refuses before any application code runs answer problem+json
 * like every other refusal, never an empty body, and store nothing.
 */
class HttpLayerRefusalsTest extends StandaloneIntegrationTest {

	private static final TestRows ROWS = TestRows.testDatabase();

	private static final String TABLE_SIZES = "select (select count(*) from tasks) + (select count(*) from applications)";

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "backslashes | 400 | malformed_request",
					"request line over the limit | 414 | request_line_too_long",
					"headers over the limit | 431 | request_headers_too_large",
					"control character in a header | 400 | malformed_request" })
	void refusalsOfTheHttpLayerAreProblemJson(String name, int status, String code) throws IOException {
		long before = ROWS.count(TABLE_SIZES);
		String request = switch (name) {
			case "backslashes" -> "POST /api/orders/a\\..\\b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
			case "request line over the limit" ->
				"GET /api/orders/" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
			case "headers over the limit" ->
				"GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n";
			default -> "GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b\r\n\r\n";
		};
		String response;
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			socket.getInputStream().transferTo(bytes);
			response = bytes.toString(StandardCharsets.ISO_8859_1);
		}
		assertThat(response).startsWith("HTTP/1.1 " + status + " ")
			.containsIgnoringCase("content-type: application/problem+json")
			.containsIgnoringCase("connection: close")
			.contains("\"status\":" + status)
			.contains("\"code\":\"" + code + "\"");
		assertThat(ROWS.count(TABLE_SIZES)).isEqualTo(before);
	}

}
