package io.hookway.core.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that records every request and answers with a scripted
 * response: the stand-in for an upstream service or a webhook receiver.
 */
public final class RecordingHttpServer implements AutoCloseable {

	private final HttpServer server;

	private final List<Request> requests = new CopyOnWriteArrayList<>();

	private volatile Function<Request, Response> responder = (request) -> Response.json(200, "{}");

	private RecordingHttpServer(HttpServer server) {
		this.server = server;
	}

	public static RecordingHttpServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			RecordingHttpServer recording = new RecordingHttpServer(server);
			server.createContext("/", recording::handle);
			server.setExecutor(Executors.newCachedThreadPool());
			server.start();
			return recording;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	public void respondWith(Function<Request, Response> responder) {
		this.responder = responder;
	}

	public List<Request> requests() {
		return List.copyOf(this.requests);
	}

	public void reset() {
		this.requests.clear();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
			Map<String, List<String>> headers = new TreeMap<>();
			exchange.getRequestHeaders()
				.forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
			Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
					exchange.getRequestURI().getRawQuery(), headers, in.readAllBytes(), java.time.Instant.now());
			this.requests.add(request);
			Response response = this.responder.apply(request);
			response.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
			byte[] body = response.body();
			exchange.sendResponseHeaders(response.status(), (body.length == 0) ? -1 : body.length);
			if (body.length > 0) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** A request as it arrived; header names in lower case. */
	public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body,
			java.time.Instant receivedAt) {

		public String header(String name) {
			List<String> values = this.headers.get(name.toLowerCase(Locale.ROOT));
			return (values != null && !values.isEmpty()) ? values.get(0) : null;
		}

		public String bodyAsString() {
			return new String(this.body, java.nio.charset.StandardCharsets.UTF_8);
		}

	}

	public record Response(int status, Map<String, String> headers, byte[] body) {

		public static Response json(int status, String json) {
			return new Response(status, Map.of("Content-Type", "application/json"),
					json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
		}

		public static Response empty(int status) {
			return new Response(status, Map.of(), new byte[0]);
		}

	}

}
