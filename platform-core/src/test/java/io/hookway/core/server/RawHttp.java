package io.hookway.core.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Bytes on a socket, for what an HTTP client library would refuse to send. */
final class RawHttp {

	private RawHttp() {
	}

	static Socket connect(int port) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		socket.setSoTimeout(10_000);
		return socket;
	}

	/** Sends the bytes and reads until the server closes the connection. */
	static Response exchange(int port, String request) throws IOException {
		try (Socket socket = connect(port)) {
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			socket.getOutputStream().flush();
			return Response.parse(readToEnd(socket.getInputStream()));
		}
	}

	static byte[] readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		in.transferTo(bytes);
		return bytes.toByteArray();
	}

	record Response(int status, Map<String, String> headers, String body) {

		static Response parse(byte[] raw) {
			String text = new String(raw, StandardCharsets.ISO_8859_1);
			int end = text.indexOf("\r\n\r\n");
			if (end < 0) {
				throw new IllegalStateException("No complete response: '" + text + "'");
			}
			String[] lines = text.substring(0, end).split("\r\n");
			Map<String, String> headers = new LinkedHashMap<>();
			for (int i = 1; i < lines.length; i++) {
				int colon = lines[i].indexOf(':');
				headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
						lines[i].substring(colon + 1).trim());
			}
			return new Response(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
		}

	}

}
