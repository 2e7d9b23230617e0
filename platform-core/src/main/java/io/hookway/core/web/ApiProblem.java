package io.hookway.core.web;

import java.util.List;

import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A problem a client caused and can fix, rendered as RFC 9457 problem+json. The code is a
 * stable, machine-readable name; the detail is written for the developer reading it.
 */
public class ApiProblem extends ErrorResponseException {

	public ApiProblem(ProblemCode code, String detail) {
		this(code, detail, List.of());
	}

	private ApiProblem(ProblemCode code, String detail, List<FieldError> errors) {
		super(code.status(), body(code, detail, errors), null);
	}

	public static ApiProblem notFound(String detail) {
		return new ApiProblem(ProblemCode.NOT_FOUND, detail);
	}

	public static ApiProblem badRequest(String detail) {
		return new ApiProblem(ProblemCode.BAD_REQUEST, detail);
	}

	/** 400 for a malformed query or path parameter, named in {@code errors}. */
	public static ApiProblem badParameter(String name, String detail) {
		return new ApiProblem(ProblemCode.INVALID_PARAMETER, detail, List.of(new FieldError(name, detail)));
	}

	public static ApiProblem conflict(ProblemCode code, String detail) {
		return new ApiProblem(code, detail);
	}

	/** 422: well-formed input that breaks a rule, with the offending fields. */
	public static ApiProblem invalid(List<FieldError> errors) {
		return new ApiProblem(ProblemCode.VALIDATION_FAILED, "The request has invalid fields; see errors.", errors);
	}

	public static ApiProblem invalid(String field, String message) {
		return invalid(List.of(new FieldError(field, message)));
	}

	/** 413: a field larger than its limit. */
	public static ApiProblem tooLarge(String field, String detail) {
		return new ApiProblem(ProblemCode.PAYLOAD_TOO_LARGE, detail, List.of(new FieldError(field, detail)));
	}

	private static ProblemDetail body(ProblemCode code, String detail, List<FieldError> errors) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(code.status(), detail);
		problem.setProperty("code", code.code());
		if (!errors.isEmpty()) {
			problem.setProperty("errors", errors);
		}
		return problem;
	}

	/**
	 * One invalid field: a JSON path such as {@code eventTypes[1]} and what is wrong with
	 * it.
	 */
	public record FieldError(String field, String message) {
	}

}
