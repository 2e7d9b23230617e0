package io.hookway.core.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import tools.jackson.core.io.JsonStringEncoder;

/**
 * The body every webhook carries (API.md §4): {@code {"type","timestamp","data"}} in that
 * order, the timestamp in UTC with milliseconds, always three digits
 * ({@code 2026-11-22T10:00:00.120Z}), as task outcomes write it.
 */
public final class EventEnvelope {

	/** The format of {@code timestamp}. */
	public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	private EventEnvelope() {
	}

	/**
	 * The envelope around data already written as JSON, so that a large payload is not
	 * written twice.
	 */
	public static String of(String type, Instant timestamp, String dataJson) {
		StringBuilder envelope = new StringBuilder(dataJson.length() + type.length() + 64).append("{\"type\":\"");
		JsonStringEncoder.getInstance().quoteAsString(type, envelope);
		return envelope.append("\",\"timestamp\":\"")
			.append(TIMESTAMP.format(timestamp))
			.append("\",\"data\":")
			.append(dataJson)
			.append('}')
			.toString();
	}

}
