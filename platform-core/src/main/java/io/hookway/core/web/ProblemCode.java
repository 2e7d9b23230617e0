package io.hookway.core.web;

import java.util.Locale;

import org.springframework.http.HttpStatus;

/**
 * Every stable {@code code} a problem+json refusal carries, with the status it always
 * comes with. Clients branch on the code; the detail is prose and may change.
 */
public enum ProblemCode {

	/** A query parameter, header or path that is not as documented. */
	BAD_REQUEST(HttpStatus.BAD_REQUEST, "A query parameter, header or cursor is not as documented."),

	/** A query parameter out of its range, named in {@code errors}. */
	INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "A query parameter is out of its range; named in errors."),

	/** The body is not JSON. */
	MALFORMED_JSON(HttpStatus.BAD_REQUEST, "The body is not a valid JSON document."),

	/** The HTTP parser refused the request (backslashes, control characters). */
	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST, "The HTTP request itself is malformed."),

	/** The security firewall refused the request. */
	REQUEST_REJECTED(HttpStatus.BAD_REQUEST, "The request was refused as malformed or potentially malicious."),

	/** No bearer token. */
	MISSING_TOKEN(HttpStatus.UNAUTHORIZED, "The call needs a bearer token."),

	/** A bearer token that is invalid, expired or of a disabled application. */
	INVALID_TOKEN(HttpStatus.UNAUTHORIZED, "The bearer token is invalid, expired or its application disabled."),

	/** The token lacks the scope the call needs. */
	INSUFFICIENT_SCOPE(HttpStatus.FORBIDDEN, "The token does not carry the scope the call needs."),

	/** The token is valid but names no application (an operator or service token). */
	NOT_AN_APPLICATION(HttpStatus.FORBIDDEN, "The call is made on behalf of an application; the token names none."),

	/** No such resource, or one of another application. */
	NOT_FOUND(HttpStatus.NOT_FOUND, "No such resource (or one of another application)."),

	/** The route does not take this method. */
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED,
			"The route does not take this method; Allow lists those it does."),

	/** The Accept header names nothing the call can produce. */
	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE, "The call cannot answer in a type the Accept header names."),

	/** A request holding the same Idempotency-Key is still in progress. */
	IDEMPOTENCY_KEY_IN_USE(HttpStatus.CONFLICT, "A request with the same Idempotency-Key is still in progress."),

	/** Only an ACCEPTED task can be cancelled. */
	TASK_NOT_CANCELLABLE(HttpStatus.CONFLICT, "The task has started or ended; only an ACCEPTED task can be cancelled."),

	/** The event type already exists. */
	EVENT_TYPE_EXISTS(HttpStatus.CONFLICT, "An event type of that name exists."),

	/** The endpoint is disabled: enable it before recovering. */
	ENDPOINT_DISABLED(HttpStatus.CONFLICT, "The webhook endpoint is disabled; enable it first."),

	/** The body is over the call's limit. */
	BODY_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "The request body is over the call's limit."),

	/** A field is over its limit, named in {@code errors}. */
	PAYLOAD_TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "A field is over its size limit; named in errors."),

	/** The request line is over the HTTP layer's limit. */
	REQUEST_LINE_TOO_LONG(HttpStatus.URI_TOO_LONG, "The request line is over the limit."),

	/** A Content-Type the call does not read. */
	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "The call does not read this Content-Type."),

	/** A Content-Encoding other than gzip or identity. */
	UNSUPPORTED_CONTENT_ENCODING(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
			"Only gzip and identity Content-Encoding are read."),

	/** Well-formed JSON that breaks a rule, the fields in {@code errors}. */
	VALIDATION_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "Fields break a rule; see errors."),

	/** The same Idempotency-Key was used with another request. */
	IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT,
			"The Idempotency-Key was used before with a different request."),

	/** The application has as many endpoints as it may; {@code limit} says how many. */
	ENDPOINT_LIMIT_REACHED(HttpStatus.UNPROCESSABLE_CONTENT, "The application has as many endpoints as it may."),

	/** Too many calls: wait {@code Retry-After} seconds. */
	RATE_LIMITED(HttpStatus.TOO_MANY_REQUESTS, "Over a rate limit; retry after Retry-After seconds."),

	/** The headers are over the HTTP layer's limit. */
	REQUEST_HEADERS_TOO_LARGE(HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request headers are over the limit."),

	/** Unexpected; logged on the server. */
	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR, "Unexpected server failure; it has been logged."),

	/** The database does not answer; nothing was stored. */
	DATABASE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE,
			"The database does not answer; nothing was stored. Retry after Retry-After seconds."),

	/** The gateway holds as many request bodies as it may. */
	GATEWAY_BUSY(HttpStatus.SERVICE_UNAVAILABLE, "The gateway holds as many bodies in memory as it may; retry."),

	/** The portal's secret hashing is saturated. */
	BUSY(HttpStatus.SERVICE_UNAVAILABLE, "The service is saturated; retry after Retry-After seconds."),

	/** The URL's host name did not resolve in time. */
	DNS_TIMEOUT(HttpStatus.SERVICE_UNAVAILABLE, "The name servers did not answer for the URL's host in time."),

	/**
	 * The database stopped answering during the commit: the write may or may not be
	 * stored.
	 */
	OUTCOME_UNKNOWN(HttpStatus.GATEWAY_TIMEOUT,
			"The database stopped answering during the commit: repeat with the same Idempotency-Key.");

	private final HttpStatus status;

	private final String meaning;

	ProblemCode(HttpStatus status, String meaning) {
		this.status = status;
		this.meaning = meaning;
	}

	/** The code as clients see it, {@code validation_failed}. */
	public String code() {
		return name().toLowerCase(Locale.ROOT);
	}

	public HttpStatus status() {
		return this.status;
	}

	/** One line for the API reference. */
	public String meaning() {
		return this.meaning;
	}

	/**
	 * The code Spring's own refusals (405, 406, 415 …) carry: their status's name, which
	 * matches a constant here when one is listed.
	 */
	public static String forStatus(HttpStatus status) {
		return status.name().toLowerCase(Locale.ROOT);
	}

}
