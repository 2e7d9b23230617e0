package io.hookway.core.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 written byte by byte, for requests no well-behaved client would send: raw
 * paths, control characters in headers, repeated headers, bodies that do not match their
 * declared length or encoding. The body of a built request goes out on its own thread, so
 * a server that answers (and closes) before reading all of it is still heard.
 */
public final class RawHttp {

	private final StringBuilder head;

	private final List<String> headerLines = new ArrayList<>();

	private byte[] body = new byte[0];

	private boolean chunked;

	private boolean declaredLength = true;

	private RawHttp(String method, String target) {
		this.head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
	}

	public static RawHttp request(String method, String target) {
		return new RawHttp(method, target);
	}

	public RawHttp header(String name, String value) {
		this.headerLines.add(name + ": " + value);
		return this;
	}

	public RawHttp bearer(String token) {
		return header("Authorization", "Bearer " + token);
	}

	public RawHttp json(String json) {
		return header("Content-Type", "application/json").body(json.getBytes(StandardCharsets.UTF_8));
	}

	public RawHttp body(byte[] body) {
		this.body = body;
		return this;
	}

	/** Sends the body chunked instead of with a Content-Length. */
	public RawHttp chunked() {
		this.chunked = true;
		return this;
	}

	/** Leaves out the Content-Length, for a header of the caller's own. */
	public RawHttp withoutLength() {
		this.declaredLength = false;
		return this;
	}

	public Response send(int port) {
		StringBuilder request = new StringBuilder(this.head).append("Host: 127.0.0.1:").append(port).append("\r\n");
		this.headerLines.forEach((line) -> request.append(line).append("\r\n"));
		if (this.chunked) {
			request.append("Transfer-Encoding: chunked\r\n");
		}
		else if (this.declaredLength) {
			request.append("Content-Length: ").append(this.body.length).append("\r\n");
		}
		request.append("Connection: close\r\n\r\n");
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(15_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			Thread writer = new Thread(() -> writeBody(out), "raw-http-body");
			writer.setDaemon(true);
			writer.start();
			return Response.read(socket.getInputStream());
		}
		catch (IOException ex) {
			throw new IllegalStateException("No answer to " + this.head.toString().trim() + ": " + ex, ex);
		}
	}

	private void writeBody(OutputStream out) {
		try {
			if (this.chunked) {
				int chunk = 64 * 1024;
				for (int offset = 0; offset < this.body.length; offset += chunk) {
					int length = Math.min(chunk, this.body.length - offset);
					out.write((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(this.body, offset, length);
					out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			else {
				out.write(this.body);
			}
			out.flush();
		}
		catch (IOException ex) {
			// the server answered and closed before taking all of it
		}
	}

	/** A socket to the port on loopback, with a read deadline. */
	public static Socket connect(int port) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** Sends the bytes as they are and reads the one response. */
	public static Response exchange(int port, String request) throws IOException {
		try (Socket socket = connect(port)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return Response.read(socket.getInputStream());
		}
	}

	/** Everything until the server closes the connection. */
	public static byte[] readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		in.transferTo(bytes);
		return bytes.toByteArray();
	}

	/** A response; header names are lower case. */
	public record Response(int status, Map<String, String> headers, String body) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		static Response read(InputStream in) throws IOException {
			String statusLine = line(in);
			if (statusLine == null) {
				throw new IOException("connection closed without a response");
			}
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			Map<String, String> headers = new TreeMap<>();
			for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
			byte[] body;
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				ByteArrayOutputStream chunks = new ByteArrayOutputStream();
				for (int size = Integer.parseInt(line(in).trim(), 16); size > 0; size = Integer
					.parseInt(line(in).trim(), 16)) {
					chunks.write(in.readNBytes(size));
					line(in);
				}
				body = chunks.toByteArray();
			}
			else if (headers.containsKey("content-length")) {
				body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
			}
			else {
				body = in.readAllBytes();
			}
			return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
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

	}

}
