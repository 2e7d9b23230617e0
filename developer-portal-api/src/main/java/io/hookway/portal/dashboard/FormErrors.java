package io.hookway.portal.dashboard;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ApiProblem.FieldError;

/**
 * The API's refusals shown next to a form's fields: each error of a 4xx problem goes to
 * the field it names ({@code eventTypes[1]} to {@code eventTypes}, {@code headers.X-Key}
 * to {@code headers}), the rest to the form as a whole, under {@code ""}.
 */
public final class FormErrors {

	private FormErrors() {
	}

	public static Map<String, String> of(ApiProblem problem, Set<String> fields) {
		Map<String, String> errors = new LinkedHashMap<>();
		Object listed = (problem.getBody().getProperties() != null) ? problem.getBody().getProperties().get("errors")
				: null;
		if (listed instanceof List<?> list && !list.isEmpty()) {
			for (Object item : list) {
				if (item instanceof FieldError error) {
					add(errors, field(error.field(), fields), error.field(), error.message());
				}
			}
		}
		else {
			String detail = problem.getBody().getDetail();
			errors.put("", (detail != null) ? detail : "The change was refused.");
		}
		return errors;
	}

	/** What a body's bean-validation annotations refuse, as the API's 422 would. */
	public static <T> void check(Validator validator, T request) {
		Set<ConstraintViolation<T>> violations = validator.validate(request);
		if (!violations.isEmpty()) {
			throw ApiProblem.invalid(violations.stream()
				.map((violation) -> new FieldError(violation.getPropertyPath().toString(), violation.getMessage()))
				.toList());
		}
	}

	private static String field(String path, Set<String> fields) {
		for (String field : fields) {
			if (path.equals(field) || path.startsWith(field + "[") || path.startsWith(field + ".")) {
				return field;
			}
		}
		return "";
	}

	private static void add(Map<String, String> errors, String field, String path, String message) {
		String text = (field.equals(path) || field.isEmpty()) ? path + " " + message : path + ": " + message;
		if (field.equals(path)) {
			text = message;
		}
		errors.merge(field, text, (a, b) -> a + "; " + b);
	}

}
