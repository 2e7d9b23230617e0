package io.hookway.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Uploads a large body over a plain socket and reads the status line while still sending,
 * as a careful HTTP/1.1 client does: a server that refuses early answers before the body
 * is through and closes the connection.
 */
final class RawUpload {

	private RawUpload() {
	}

	record Outcome(String statusLine, long bytesSent) {
	}

	static Outcome post(int port, String path, String token, long bytes, boolean chunked) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
					+ "\r\nContent-Type: application/octet-stream\r\n"
					+ (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + bytes + "\r\n") + "\r\n";
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			AtomicLong sent = new AtomicLong();
			Thread writer = new Thread(() -> {
				byte[] chunk = new byte[64 * 1024];
				byte[] chunkHeader = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
				try {
					while (sent.get() < bytes) {
						if (chunked) {
							out.write(chunkHeader);
						}
						int length = (int) Math.min(chunk.length, bytes - sent.get());
						out.write(chunk, 0, length);
						if (chunked) {
							out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
						}
						sent.addAndGet(length);
					}
					if (chunked) {
						out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					}
					out.flush();
				}
				catch (IOException closedByServer) {
					// expected: the server refused the body and closed the connection
				}
			});
			writer.setDaemon(true);
			writer.start();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			String status = in.readLine();
			return new Outcome(status, sent.get());
		}
	}

}
