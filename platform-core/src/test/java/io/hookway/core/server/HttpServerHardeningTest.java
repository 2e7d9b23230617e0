package io.hookway.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import io.hookway.core.test.RawHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's own refusals and deadlines, on a real Reactor Netty server on loopback
 * with Hookway's customizer.
 */
class HttpServerHardeningTest {

	private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);

	private final List<Integer> refused = new CopyOnWriteArrayList<>();

	private DisposableServer server;

	@BeforeEach
	void start() {
		HttpServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request, response) -> request.receive()
				.aggregate()
				.asString()
				.defaultIfEmpty("")
				.flatMap((body) -> response.sendString(Mono.just("ok " + request.uri())).then()));
		this.server = HttpServerConfiguration
			.customizer(new HttpServerSettings(HEADER_TIMEOUT, Duration.ofSeconds(1)), this.refused::add)
			.apply(server)
			.bindNow();
	}

	@AfterEach
	void stop() {
		this.server.disposeNow();
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "request line over the limit | 414", "headers over the limit | 431",
					"raw backslashes in the path | 400", "a space in the path | 400",
					"header with a bare carriage return | 400", "header with a control character | 400",
					"space in a header name | 400", "not HTTP at all | 400", "a broken chunk | 400",
					"a pipe in the query | 400", "braces in the path | 400", "a relative target | 400" })
	void requestsTheParserRefusesAnswerProblemJsonAndClose(String name, int status) throws IOException {
		RawHttp.Response response = RawHttp.exchange(this.server.port(), request(name));
		assertThat(response.status()).isEqualTo(status);
		assertThat(response.headers()).containsEntry("content-type", "application/problem+json")
			.containsEntry("connection", "close");
		assertThat(response.body()).contains("\"status\":" + status)
			.contains("\"title\":")
			.contains("\"detail\":")
			.contains("\"code\":");
		assertThat(this.refused).contains(status);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/a/b?c=d&e=f", "/a%20b/%E2%82%AC", "/a/b;c=d?x=/y?z", "/~user/a-b_c.d!$&'()*+,;=:@" })
	void validTargetsAreServed(String target) throws IOException {
		RawHttp.Response response = RawHttp.exchange(this.server.port(),
				"GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("ok " + target);
	}

	@Test
	void halfARequestIsClosedByTheServerWithinTheHeaderDeadline() throws IOException {
		try (Socket socket = RawHttp.connect(this.server.port())) {
			long start = System.nanoTime();
			socket.getOutputStream().write("POST /api/x HTTP/1.1\r\nHost: x\r\nContent-Ty".getBytes());
			socket.getOutputStream().flush();
			assertThat(socket.getInputStream().read()).as("end of stream").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT.multipliedBy(3));
		}
	}

	@Test
	void headersSentAByteAtATimeAreClosedWithinTheHeaderDeadline() throws Exception {
		ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
		try (Socket socket = RawHttp.connect(this.server.port())) {
			byte[] request = "GET / HTTP/1.1\r\nHost: x\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII);
			int[] next = { 0 };
			trickle.scheduleAtFixedRate(() -> {
				try {
					if (next[0] < request.length) {
						socket.getOutputStream().write(request[next[0]++]);
					}
				}
				catch (IOException ex) {
					// closed by the server, as expected
				}
			}, 0, 100, TimeUnit.MILLISECONDS);
			long start = System.nanoTime();
			assertThat(readUntilClosed(socket.getInputStream())).as("end of stream").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(HEADER_TIMEOUT.multipliedBy(3));
			assertThat(next[0]).as("bytes sent").isLessThan(request.length);
		}
		finally {
			trickle.shutdownNow();
		}
	}

	/**
	 * -1 once the server closed the connection: a byte the client sent after the close
	 * makes the client's kernel see a reset instead of the end of the stream.
	 */
	private static int readUntilClosed(InputStream in) throws IOException {
		try {
			return in.read();
		}
		catch (SocketException ex) {
			assertThat(ex).hasMessageContaining("reset");
			return -1;
		}
	}

	@Test
	void keptAliveConnectionsServeOneRequestAfterAnother() throws IOException {
		try (Socket socket = RawHttp.connect(this.server.port())) {
			socket.getOutputStream()
				.write(("GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
						+ "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String responses = new String(RawHttp.readToEnd(socket.getInputStream()), StandardCharsets.US_ASCII);
			assertThat(responses).contains("ok /one").contains("ok /two");
		}
	}

	private static String request(String name) {
		return switch (name) {
			case "request line over the limit" -> "GET /" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n";
			case "headers over the limit" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n";
			case "raw backslashes in the path" -> "GET /api/attack/a\\..\\b HTTP/1.1\r\nHost: x\r\n\r\n";
			case "a space in the path" -> "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n";
			case "header with a bare carriage return" ->
				"GET / HTTP/1.1\r\nHost: x\r\nX-Note: a\rSet-Cookie: b\r\n\r\n";
			case "header with a control character" -> "GET / HTTP/1.1\r\nHost: x\r\nX-Note: a\u0001b\r\n\r\n";
			case "space in a header name" -> "GET / HTTP/1.1\r\nHost: x\r\nX Note: a\r\n\r\n";
			case "not HTTP at all" -> "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003\r\n\r\n";
			case "a broken chunk" -> "POST /in HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n";
			case "a pipe in the query" -> "GET /api/x/1?a=b|c HTTP/1.1\r\nHost: x\r\n\r\n";
			case "braces in the path" -> "GET /api/{x} HTTP/1.1\r\nHost: x\r\n\r\n";
			case "a relative target" -> "GET api/x HTTP/1.1\r\nHost: x\r\n\r\n";
			default -> throw new IllegalArgumentException(name);
		};
	}

}
