package io.hookway.core.web;

import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;

/** Reading a whole body into memory, never more than a limit of it. */
public final class Bodies {

	private Bodies() {
	}

	/**
	 * The body's bytes, empty when there is none; fails with
	 * {@link DataBufferLimitException} as soon as more than {@code maxBytes} arrived,
	 * without reading the rest.
	 */
	public static Mono<byte[]> readAtMost(Publisher<DataBuffer> body, int maxBytes) {
		return DataBufferUtils.join(body, maxBytes).map((buffer) -> {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return bytes;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}).defaultIfEmpty(new byte[0]);
	}

}
