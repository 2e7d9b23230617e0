package io.hookway.standalone.database;

/**
 * The embedded PostgreSQL cannot run; the message says why and {@link #action()} what to
 * do, for Spring Boot's failure report.
 */
class EmbeddedDatabaseException extends RuntimeException {

	private final String action;

	EmbeddedDatabaseException(String description, String action) {
		this(description, action, null);
	}

	EmbeddedDatabaseException(String description, String action, Throwable cause) {
		super(description, cause);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
