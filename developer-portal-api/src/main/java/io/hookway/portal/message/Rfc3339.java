package io.hookway.portal.message;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * Times as RFC 3339 writes them ({@code 2026-11-22T10:00:00.123Z},
 * {@code 2026-11-22T11:00:00+01:00}): a four-digit year, seconds, an optional fraction
 * and an offset are required, so that a time means the same instant to every client.
 * Java's ISO parsers also take times without seconds or offsets and years of any length.
 */
public final class Rfc3339 {

	private static final DateTimeFormatter FORMAT = new DateTimeFormatterBuilder().parseCaseInsensitive()
		.appendValue(ChronoField.YEAR, 4)
		.appendLiteral('-')
		.appendValue(ChronoField.MONTH_OF_YEAR, 2)
		.appendLiteral('-')
		.appendValue(ChronoField.DAY_OF_MONTH, 2)
		.appendLiteral('T')
		.appendValue(ChronoField.HOUR_OF_DAY, 2)
		.appendLiteral(':')
		.appendValue(ChronoField.MINUTE_OF_HOUR, 2)
		.appendLiteral(':')
		.appendValue(ChronoField.SECOND_OF_MINUTE, 2)
		.optionalStart()
		.appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
		.optionalEnd()
		.appendOffset("+HH:MM", "Z")
		.toFormatter(Locale.ROOT)
		.withChronology(IsoChronology.INSTANCE)
		.withResolverStyle(ResolverStyle.STRICT);

	/** What a client is told when a time is not one. */
	public static final String EXPECTED = "must be an RFC 3339 time such as 2026-11-22T10:00:00Z";

	private Rfc3339() {
	}

	/** The instant the text names, or empty when it is no RFC 3339 time. */
	public static Optional<Instant> parse(String text) {
		try {
			return Optional.of(OffsetDateTime.parse(text, FORMAT).toInstant());
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
