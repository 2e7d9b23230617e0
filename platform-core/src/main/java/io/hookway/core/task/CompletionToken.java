package io.hookway.core.task;

/**
 * The per-attempt secret that lets an upstream which answered 202 report the task's
 * result (API §3, v1.1). The dispatcher makes a new token for every attempt and sends it
 * in {@link #HEADER}; only its SHA-256 is stored, so that the gateway can recognise the
 * report by hash equality in SQL ({@link #hashSql}) without ever holding the token
 * itself.
 */
public final class CompletionToken {

	public static final String HEADER = "Hookway-Completion-Token";

	/**
	 * SQL for a fresh token: 32 bytes from PostgreSQL's strong random source (two version
	 * 4 UUIDs, 244 random bits), base64url without padding, so the token is made, hashed
	 * and stored in the one statement that claims the attempt.
	 */
	public static final String NEW_TOKEN_SQL = "translate(rtrim(encode(uuid_send(gen_random_uuid()) "
			+ "|| uuid_send(gen_random_uuid()), 'base64'), '='), '+/', '-_')";

	/** SQL hashing the named text parameter or expression as it is stored. */
	public static String hashSql(String expression) {
		return "sha256(convert_to(" + expression + ", 'UTF8'))";
	}

	/** The longest value worth looking up; anything longer cannot be a token. */
	public static final int MAX_LENGTH = 64;

	private CompletionToken() {
	}

}
