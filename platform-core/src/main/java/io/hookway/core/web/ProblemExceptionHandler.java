package io.hookway.core.web;

import java.util.ArrayList;
import java.util.List;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;

import io.hookway.core.outbound.HostLookup;
import io.hookway.core.queue.WriteNotStoredException;
import io.hookway.core.queue.WriteOutcomeUnknownException;

import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Turns every exception that reaches the web layer into problem+json. Problems of the
 * client keep their detail; anything else is an opaque 500 whose cause is logged, never
 * sent. An unavailable database is a 503 with {@code Retry-After}, since the client can
 * simply retry.
 */
class ProblemExceptionHandler implements WebExceptionHandler {

	private static final Log logger = LogFactory.getLog(ProblemExceptionHandler.class);

	private static final String RETRY_AFTER_SECONDS = "5";

	private final ProblemResponses responses;

	ProblemExceptionHandler(ProblemResponses responses) {
		this.responses = responses;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		if (exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		ProblemDetail problem = toProblem(exchange, ex);
		HttpHeaders headers = exchange.getResponse().getHeaders();
		if (ex instanceof ErrorResponse errorResponse) {
			errorResponse.getHeaders().forEach((name, values) -> headers.put(name, values));
		}
		if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()
				&& !headers.containsHeader(HttpHeaders.RETRY_AFTER)) {
			headers.set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		}
		if (problem.getStatus() == HttpStatus.CONTENT_TOO_LARGE.value()) {
			// the rest of the body is still on its way: close rather than read it to
			// reuse the connection
			headers.set(HttpHeaders.CONNECTION, "close");
		}
		return this.responses.write(exchange, problem);
	}

	private ProblemDetail toProblem(ServerWebExchange exchange, Throwable ex) {
		if (ex instanceof WebExchangeBindException bind) {
			List<ApiProblem.FieldError> errors = new ArrayList<>();
			bind.getFieldErrors()
				.forEach((error) -> errors.add(new ApiProblem.FieldError(error.getField(),
						(error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid")));
			bind.getGlobalErrors()
				.forEach((error) -> errors
					.add(new ApiProblem.FieldError("", String.valueOf(error.getDefaultMessage()))));
			return ApiProblem.invalid(errors).getBody();
		}
		if (hasCause(ex, DataBufferLimitException.class)) {
			return ProblemResponses.problem(ProblemCode.BODY_TOO_LARGE,
					"The request body is larger than this endpoint accepts.");
		}
		if (ex instanceof ServerWebInputException && hasCause(ex, DecodingException.class)) {
			return bodyProblem(ex);
		}
		if (hasCause(ex, WriteOutcomeUnknownException.class)) {
			logger.warn("Outcome of a write unknown while serving " + exchange.getRequest().getPath() + ": " + ex);
			return ProblemResponses.problem(ProblemCode.OUTCOME_UNKNOWN,
					"The database stopped answering while the request was being committed: it may or may not have "
							+ "been stored. Repeat it with the same Idempotency-Key to find out.");
		}
		// an ApiProblem is always deliberate, a 503 "too busy" included
		if (ex instanceof ErrorResponse errorResponse
				&& (errorResponse.getStatusCode().is4xxClientError() || ex instanceof ApiProblem)) {
			ProblemDetail problem = errorResponse.getBody();
			if (problem.getProperties() == null || !problem.getProperties().containsKey("code")) {
				HttpStatus status = HttpStatus.valueOf(problem.getStatus());
				problem.setProperty("code", ProblemCode.forStatus(status));
			}
			return problem;
		}
		if (hasCause(ex, HostLookup.LookupTimeoutException.class)) {
			return ProblemResponses.problem(ProblemCode.DNS_TIMEOUT,
					"The name servers did not answer for the URL's host in time; retry later.");
		}
		if (isDatabaseUnavailable(ex)) {
			logger.warn("Database unavailable while serving " + exchange.getRequest().getPath() + ": " + ex);
			return ProblemResponses.problem(ProblemCode.DATABASE_UNAVAILABLE,
					"The service cannot reach its database right now; retry later.");
		}
		logger.error(
				"Unexpected error serving " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath(),
				ex);
		return ProblemResponses.problem(ProblemCode.INTERNAL_ERROR,
				"The server failed to handle the request; it has been logged.");
	}

	/**
	 * Syntax errors are 400; a well-formed document with a value of the wrong shape is
	 * 422 naming the field, as with any other rule the document breaks.
	 */
	private static ProblemDetail bodyProblem(Throwable ex) {
		MismatchedInputException mismatch = findCause(ex, MismatchedInputException.class);
		if (mismatch != null && findCause(ex, StreamReadException.class) == null && !mismatch.getPath().isEmpty()) {
			String message = (mismatch instanceof InvalidNullException) ? "must not be null" : "has the wrong type";
			return ApiProblem.invalid(path(mismatch), message).getBody();
		}
		return ProblemResponses.problem(ProblemCode.MALFORMED_JSON, "The request body is not a valid JSON document.");
	}

	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static boolean isDatabaseUnavailable(Throwable ex) {
		return hasCause(ex, io.hookway.core.queue.GroupedWriter.QueueFullException.class)
				|| hasCause(ex, WriteNotStoredException.class) || hasCause(ex, DataAccessResourceFailureException.class)
				|| hasCause(ex, TransientDataAccessException.class)
				|| hasCause(ex, R2dbcNonTransientResourceException.class)
				|| hasCause(ex, R2dbcTransientResourceException.class)
				|| hasCause(ex, java.util.concurrent.TimeoutException.class)
				|| hasCause(ex, java.net.ConnectException.class);
	}

	private static boolean hasCause(Throwable ex, Class<? extends Throwable> type) {
		return findCause(ex, type) != null;
	}

	private static <T extends Throwable> T findCause(Throwable ex, Class<T> type) {
		for (Throwable current = ex; current != null; current = current.getCause()) {
			if (type.isInstance(current)) {
				return type.cast(current);
			}
			if (current.getCause() == current) {
				break;
			}
		}
		return null;
	}

}
