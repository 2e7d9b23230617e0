package io.hookway.core.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * One page of a list, newest first: {@code {"data":[…],"nextCursor":"…"|null}}. The
 * cursor is opaque to clients; inside it is the position (creation time, id) of the last
 * item shown, so pages stay stable while new items arrive.
 */
public record Page<T>(List<T> data, @Nullable String nextCursor) {

	public static final int DEFAULT_LIMIT = 20;

	public static final int MAX_LIMIT = 100;

	/**
	 * Builds a page from up to {@code limit + 1} rows, the extra row telling whether
	 * there is a next page.
	 */
	public static <R, T> Page<T> of(List<R> rows, int limit, Function<R, Position> position, Function<R, T> view) {
		boolean more = rows.size() > limit;
		List<R> shown = more ? rows.subList(0, limit) : rows;
		String next = more ? position.apply(shown.get(shown.size() - 1)).encode() : null;
		return new Page<>(shown.stream().map(view).toList(), next);
	}

	/**
	 * Builds a page from up to {@code limit + 1} rows, showing only the leading rows that
	 * {@code fit} (a byte budget, say) and at least one: a page cut short still gets a
	 * next cursor, so nothing is skipped.
	 */
	public static <R, T> Page<T> of(List<R> rows, int limit, Predicate<R> fits, Function<R, Position> position,
			Function<R, T> view) {
		int shown = 0;
		while (shown < Math.min(limit, rows.size()) && (shown == 0 || fits.test(rows.get(shown)))) {
			shown++;
		}
		List<R> page = rows.subList(0, shown);
		String next = (rows.size() > shown) ? position.apply(page.get(shown - 1)).encode() : null;
		return new Page<>(page.stream().map(view).toList(), next);
	}

	/**
	 * Validates {@code ?limit=}: 1..100 written as plain decimal digits, 20 when absent.
	 * Taken as a string because Spring's number conversion reads {@code 0x10} as 16 and
	 * skips surrounding blanks: a client's typo would silently page differently.
	 */
	public static int limit(@Nullable String limit) {
		if (limit == null) {
			return DEFAULT_LIMIT;
		}
		int value = QueryNumbers.parse("limit", limit, MAX_LIMIT);
		if (value < 1) {
			throw QueryNumbers.invalid("limit", "must be between 1 and " + MAX_LIMIT + ".");
		}
		return value;
	}

	/**
	 * The position after which the requested page starts; the far end when no cursor is
	 * given.
	 */
	public static Position after(@Nullable String cursor) {
		if (cursor == null || cursor.isEmpty()) {
			return Position.START;
		}
		try {
			String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int bar = decoded.indexOf('|');
			Position position = new Position(Instant.parse(decoded.substring(0, bar)),
					UUID.fromString(decoded.substring(bar + 1)));
			// only the exact text this API wrote: UUID.fromString and the base64 decoder
			// accept other spellings (short groups, padding) of what is not a cursor
			if (!position.encode().equals(cursor)) {
				throw ApiProblem.badRequest("cursor is not a cursor this API returned.");
			}
			return position;
		}
		catch (IllegalArgumentException | DateTimeParseException | StringIndexOutOfBoundsException ex) {
			throw ApiProblem.badRequest("cursor is not a cursor this API returned.");
		}
	}

	/** A row's place in newest-first order: rows strictly before it come next. */
	public record Position(Instant createdAt, UUID id) {

		/** Sorts after every real row. */
		public static final Position START = new Position(Instant.parse("9999-12-31T23:59:59Z"), new UUID(-1L, -1L));

		String encode() {
			String raw = this.createdAt + "|" + this.id;
			return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
		}

	}

}
