package io.hookway.core.id;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import io.hookway.core.crypto.SecureRandoms;

/**
 * The kinds of public identifiers. In the database every id is a UUID; at the API edge it
 * is a typed string such as {@code tsk_01jd3k...}: the prefix says what it names, the
 * rest is the UUID in Crockford base32 (26 characters), so ids sort by creation time and
 * a wrong id kind is rejected before any query.
 */
public enum IdKind {

	APPLICATION("app"), ENDPOINT("ep"), TASK("tsk"), MESSAGE("msg"), DELIVERY("dlv");

	private static final char[] ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz".toCharArray();

	private static final int ENCODED_LENGTH = 26;

	private static final SecureRandom RANDOM = SecureRandoms.get();

	private final String prefix;

	IdKind(String prefix) {
		this.prefix = prefix + "_";
	}

	/**
	 * A new time-ordered (version 7) UUID: 48 bits of Unix milliseconds, then random
	 * bits, so that new rows land at the right edge of their B-tree indexes.
	 */
	public static UUID newUuid() {
		long millis = System.currentTimeMillis();
		long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
		long low = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(high, low);
	}

	public String format(UUID id) {
		char[] out = new char[ENCODED_LENGTH];
		long high = id.getMostSignificantBits();
		long low = id.getLeastSignificantBits();
		// 128 bits as 26 base32 digits: the first digit carries the top 3 bits
		for (int i = ENCODED_LENGTH - 1; i >= 0; i--) {
			out[i] = ALPHABET[(int) (low & 31)];
			low = (low >>> 5) | ((high & 31) << 59);
			high >>>= 5;
		}
		return this.prefix + new String(out);
	}

	public Optional<UUID> parse(String value) {
		if (value == null || value.length() != this.prefix.length() + ENCODED_LENGTH
				|| !value.startsWith(this.prefix)) {
			return Optional.empty();
		}
		String digits = value.substring(this.prefix.length()).toLowerCase(Locale.ROOT);
		if (digits.charAt(0) > '7') {
			return Optional.empty();
		}
		long high = 0;
		long low = 0;
		for (int i = 0; i < ENCODED_LENGTH; i++) {
			int digit = decode(digits.charAt(i));
			if (digit < 0) {
				return Optional.empty();
			}
			high = (high << 5) | (low >>> 59);
			low = (low << 5) | digit;
		}
		return Optional.of(new UUID(high, low));
	}

	private static int decode(char c) {
		for (int i = 0; i < ALPHABET.length; i++) {
			if (ALPHABET[i] == c) {
				return i;
			}
		}
		return -1;
	}

}
