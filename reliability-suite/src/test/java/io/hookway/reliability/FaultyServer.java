package io.hookway.reliability;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on loopback that misbehaves on purpose: besides answering, it can
 * answer late, never answer, close the connection without a word, or reset it. The JDK's
 * own server cannot do the last three, which is why this one works on sockets. It stands
 * in for upstream services and webhook receivers. Every connection is closed after one
 * exchange.
 */
final class FaultyServer implements AutoCloseable {

	private final ServerSocket server;

	private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "faulty-server");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

	private final Map<Socket, Boolean> open = new ConcurrentHashMap<>();

	private final AtomicInteger connections = new AtomicInteger();

	private volatile Function<Request, Reply> script = (request) -> Reply.status(200);

	private volatile Duration clientTimeout = Duration.ofDays(1);

	private FaultyServer(ServerSocket server) {
		this.server = server;
	}

	static FaultyServer start() {
		try {
			FaultyServer faulty = new FaultyServer(new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
			Thread acceptor = new Thread(faulty::acceptLoop, "faulty-server-accept");
			acceptor.setDaemon(true);
			acceptor.start();
			return faulty;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + port();
	}

	int port() {
		return this.server.getLocalPort();
	}

	void script(Function<Request, Reply> script) {
		this.script = script;
	}

	/**
	 * How long clients wait for an answer: one sent later does not count as a success.
	 */
	void clientTimeout(Duration clientTimeout) {
		this.clientTimeout = clientTimeout;
	}

	/** Every request that arrived, with how it was answered. */
	List<Exchange> exchanges() {
		return List.copyOf(this.exchanges);
	}

	/** Connections accepted, whether or not a request followed. */
	int connections() {
		return this.connections.get();
	}

	private void acceptLoop() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				this.connections.incrementAndGet();
				this.open.put(socket, true);
				this.threads.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			InputStream in = socket.getInputStream();
			Request request = read(in);
			if (request == null) {
				return;
			}
			Reply reply = this.script.apply(request);
			boolean success = reply.kind() == Kind.ANSWER && reply.status() / 100 == 2
					&& reply.delay().compareTo(this.clientTimeout) < 0;
			this.exchanges.add(new Exchange(request, reply, success, Instant.now()));
			switch (reply.kind()) {
				case ANSWER -> answer(socket.getOutputStream(), reply);
				case HANG -> drain(in);
				case CLOSE -> {
				}
				case RESET -> socket.setSoLinger(true, 0);
			}
		}
		catch (IOException ex) {
			// the client went away
		}
		finally {
			this.open.remove(socket);
		}
	}

	private static void answer(OutputStream out, Reply reply) throws IOException {
		if (!reply.delay().isZero()) {
			pause(reply.delay());
		}
		StringBuilder head = new StringBuilder("HTTP/1.1 ").append(reply.status()).append(" X\r\n");
		reply.headers().forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
		head.append("Content-Length: ").append(reply.body().length).append("\r\nConnection: close\r\n\r\n");
		out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
		out.write(reply.body());
		out.flush();
	}

	/** A hanging server holds the connection until the client gives up on it. */
	private static void drain(InputStream in) throws IOException {
		byte[] buffer = new byte[1024];
		while (in.read(buffer) >= 0) {
			// discard
		}
	}

	private static Request read(InputStream in) throws IOException {
		String requestLine = line(in);
		if (requestLine == null || requestLine.isEmpty()) {
			return null;
		}
		Map<String, String> headers = new TreeMap<>();
		for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
		byte[] body;
		if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
			ByteArrayOutputStream chunks = new ByteArrayOutputStream();
			for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer.parseInt(line(in).trim(),
					16)) {
				chunks.write(in.readNBytes(size));
				line(in);
			}
			line(in);
			body = chunks.toByteArray();
		}
		else {
			body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
		}
		String[] parts = requestLine.split(" ");
		return new Request(parts[0], parts[1], headers, body);
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b >= 0; b = in.read()) {
			if (b == '\n') {
				return line.toString(StandardCharsets.ISO_8859_1).stripTrailing();
			}
			line.write(b);
		}
		return (line.size() > 0) ? line.toString(StandardCharsets.ISO_8859_1) : null;
	}

	/** Slowness is the behaviour under test here, not a way to wait for something. */
	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// already closed
		}
		this.open.keySet().forEach((socket) -> {
			try {
				socket.close();
			}
			catch (IOException ex) {
				// already closed
			}
		});
		this.threads.shutdownNow();
	}

	record Request(String method, String target, Map<String, String> headers, byte[] body) {

		String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		String bodyAsString() {
			return new String(this.body, StandardCharsets.UTF_8);
		}

	}

	/**
	 * @param answeredSuccess whether the client got a 2xx answer in time, as far as this
	 * server knows
	 */
	record Exchange(Request request, Reply reply, boolean answeredSuccess, Instant at) {

	}

	enum Kind {

		ANSWER, HANG, CLOSE, RESET

	}

	record Reply(Kind kind, int status, Map<String, String> headers, byte[] body, Duration delay, String fault) {

		static Reply status(int status) {
			return new Reply(Kind.ANSWER, status, Map.of(), new byte[0], Duration.ZERO, null);
		}

		static Reply json(int status, String json) {
			return new Reply(Kind.ANSWER, status, Map.of("Content-Type", "application/json"),
					json.getBytes(StandardCharsets.UTF_8), Duration.ZERO, null);
		}

		static Reply hang() {
			return new Reply(Kind.HANG, 0, Map.of(), new byte[0], Duration.ZERO, "hang");
		}

		static Reply close() {
			return new Reply(Kind.CLOSE, 0, Map.of(), new byte[0], Duration.ZERO, "close");
		}

		static Reply reset() {
			return new Reply(Kind.RESET, 0, Map.of(), new byte[0], Duration.ZERO, "reset");
		}

		Reply after(Duration delay) {
			return new Reply(this.kind, this.status, this.headers, this.body, delay, this.fault);
		}

		Reply withHeader(String name, String value) {
			Map<String, String> headers = new TreeMap<>(this.headers);
			headers.put(name, value);
			return new Reply(this.kind, this.status, headers, this.body, this.delay, this.fault);
		}

		/** Names the fault this reply injects, for the audit's counts. */
		Reply fault(String name) {
			return new Reply(this.kind, this.status, this.headers, this.body, this.delay, name);
		}

	}

}
