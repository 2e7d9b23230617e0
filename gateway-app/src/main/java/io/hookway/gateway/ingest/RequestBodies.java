package io.hookway.gateway.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import reactor.core.publisher.Mono;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Bodies;
import io.hookway.core.web.ProblemCode;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Reads a route call's body, never holding more than the limit: a declared length over
 * the limit is refused before reading, the stream is cut when it passes the limit, and a
 * gzip-encoded body is decoded with the limit applied to the decoded size, so a small zip
 * bomb gets a 413 and not an OutOfMemoryError.
 */
final class RequestBodies {

	private RequestBodies() {
	}

	/**
	 * The most memory the body may take, read or written: reading holds its declared
	 * length, or the limit when it is streamed, and a gzip body also its decoded form, up
	 * to the limit; writing holds the decoded body several times over
	 * ({@link NewTask#bodyWhileWritten}).
	 */
	static long bytesToHold(ServerHttpRequest request, int limit) {
		long declared = request.getHeaders().getContentLength();
		long raw = (declared >= 0) ? Math.min(declared, limit) : limit;
		String encoding = request.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
		boolean encoded = encoding != null && !encoding.trim().equalsIgnoreCase("identity");
		long decoded = encoded ? limit : raw;
		return Math.max(raw + (encoded ? limit : 0), NewTask.bodyWhileWritten(decoded)) + 1024;
	}

	/**
	 * Reads and drops up to {@code limit} bytes of the body, holding none of it, so that
	 * a refusal reaches a client that is still sending; a declared length over the limit
	 * is the 413 it would be anyway.
	 */
	static Mono<Void> discard(ServerHttpRequest request, int limit) {
		if (request.getHeaders().getContentLength() > limit) {
			return Mono.error(tooLarge(limit));
		}
		return DataBufferUtils.takeUntilByteCount(request.getBody(), limit)
			.doOnNext(DataBufferUtils::release)
			.then()
			.onErrorResume((ex) -> Mono.empty());
	}

	static Mono<byte[]> read(ServerHttpRequest request, int limit) {
		String encoding = request.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
		String normalized = (encoding != null) ? encoding.trim().toLowerCase(Locale.ROOT) : "identity";
		boolean gzip = normalized.equals("gzip") || normalized.equals("x-gzip");
		if (!gzip && !normalized.equals("identity")) {
			ApiProblem unsupported = new ApiProblem(ProblemCode.UNSUPPORTED_CONTENT_ENCODING,
					"Request bodies may be sent as they are or gzip-encoded; " + encoding + " is not supported.");
			unsupported.getHeaders().set(HttpHeaders.ACCEPT_ENCODING, "gzip");
			return Mono.error(unsupported);
		}
		if (request.getHeaders().getContentLength() > limit) {
			return Mono.error(tooLarge(limit));
		}
		Mono<byte[]> raw = Bodies.readAtMost(request.getBody(), limit);
		return gzip ? raw.map((compressed) -> gunzip(compressed, limit)) : raw;
	}

	private static byte[] gunzip(byte[] compressed, int limit) {
		if (compressed.length == 0) {
			return compressed;
		}
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
			ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, compressed.length * 4));
			byte[] chunk = new byte[8192];
			int total = 0;
			for (int read = in.read(chunk); read > 0; read = in.read(chunk)) {
				total += read;
				if (total > limit) {
					throw tooLarge(limit);
				}
				out.write(chunk, 0, read);
			}
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw ApiProblem.badRequest("The body is declared gzip-encoded but is not valid gzip.");
		}
	}

	private static ApiProblem tooLarge(int limit) {
		return new ApiProblem(ProblemCode.BODY_TOO_LARGE,
				"The request body exceeds the limit of " + limit + " bytes (after decoding).");
	}

}
