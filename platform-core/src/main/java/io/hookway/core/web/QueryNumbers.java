package io.hookway.core.web;

/**
 * Numbers in query strings and paths, read strictly: ASCII decimal digits only. No sign,
 * no blanks, no {@code 0x} or {@code #} (which Spring's own conversion reads as hex), no
 * leading zeros that another parser could take for octal, and a bounded length, so that
 * what a client sent means exactly one number everywhere.
 */
public final class QueryNumbers {

	private static final int MAX_DIGITS = 9;

	private QueryNumbers() {
	}

	/**
	 * The value of parameter {@code name}, at most {@code max}; a 400 problem naming the
	 * parameter otherwise.
	 */
	public static int parse(String name, String value, int max) {
		int length = value.length();
		boolean digits = length > 0 && length <= MAX_DIGITS && (length == 1 || value.charAt(0) != '0');
		for (int i = 0; digits && i < length; i++) {
			char c = value.charAt(i);
			digits = c >= '0' && c <= '9';
		}
		if (!digits) {
			throw invalid(name, "must be a whole number written in decimal digits, at most " + max + ".");
		}
		int parsed = Integer.parseInt(value);
		if (parsed > max) {
			throw invalid(name, "must be at most " + max + ".");
		}
		return parsed;
	}

	/** 400 naming the parameter, also in {@code errors}. */
	public static ApiProblem invalid(String name, String message) {
		return ApiProblem.badParameter(name, name + " " + message);
	}

}
