package io.hookway.core.openapi;

import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.models.Operation;
import org.springdoc.core.customizers.OperationCustomizer;

import io.hookway.core.web.ProblemCode;

import org.springframework.web.method.HandlerMethod;

/**
 * Carries a handler's {@link Refuses} over to its operation, where
 * {@link AccessDocumentation} turns them into responses with the derived ones.
 */
public final class DeclaredRefusals implements OperationCustomizer {

	static final String EXTENSION = "x-hookway-refuses";

	@Override
	public Operation customize(Operation operation, HandlerMethod handlerMethod) {
		Refuses refuses = handlerMethod.getMethodAnnotation(Refuses.class);
		if (refuses != null) {
			add(operation, refuses.value());
		}
		return operation;
	}

	/** Adds refusals to an operation built in code, such as a router function's. */
	public static void add(Operation operation, ProblemCode... codes) {
		List<String> names = new ArrayList<>(declared(operation));
		for (ProblemCode code : codes) {
			names.add(code.name());
		}
		operation.addExtension(EXTENSION, names);
	}

	@SuppressWarnings("unchecked")
	static List<String> declared(Operation operation) {
		Object names = (operation.getExtensions() != null) ? operation.getExtensions().get(EXTENSION) : null;
		return (names != null) ? (List<String>) names : List.of();
	}

}
