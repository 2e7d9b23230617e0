package io.hookway.core.test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;

/** A DNS server on loopback (UDP) that reads queries and never answers. */
public final class SilentNameServer implements AutoCloseable {

	private final DatagramSocket socket;

	private final AtomicInteger queries = new AtomicInteger();

	public SilentNameServer() {
		try {
			this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
		}
		catch (SocketException ex) {
			throw new IllegalStateException(ex);
		}
		Thread reader = new Thread(() -> {
			byte[] buffer = new byte[512];
			while (!this.socket.isClosed()) {
				try {
					this.socket.receive(new DatagramPacket(buffer, buffer.length));
					this.queries.incrementAndGet();
				}
				catch (IOException ex) {
					// closed
				}
			}
		}, "silent-name-server");
		reader.setDaemon(true);
		reader.start();
	}

	public int port() {
		return this.socket.getLocalPort();
	}

	public int queries() {
		return this.queries.get();
	}

	@Override
	public void close() {
		this.socket.close();
	}

}
