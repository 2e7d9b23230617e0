package io.hookway.core.openapi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;

import io.hookway.core.security.AccessRule;
import io.hookway.core.security.Scopes;
import io.hookway.core.web.ProblemCode;

import org.springframework.http.HttpMethod;

/**
 * States on every operation what the process's access rules enforce (the scopes, any one
 * of which admits the call; none for public calls) and the refusals every operation can
 * give by its shape: 401 and 403 when it needs a token, 404 with path parameters, 400
 * with query parameters, 400, 413, 415 and 422 with a body, 503 when the database does
 * not answer, plus those its handler declares with {@link Refuses}. Public operations get
 * only what they declare: the token endpoint answers in RFC 6749's format instead.
 */
final class AccessDocumentation implements OpenApiCustomizer {

	private static final Set<String> APPLICATION_SCOPES = Set.of(Scopes.TASKS_READ, Scopes.TASKS_WRITE,
			Scopes.WEBHOOKS_MANAGE);

	private final List<AccessRule> rules;

	AccessDocumentation(List<AccessRule> rules) {
		this.rules = rules;
	}

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		// here rather than on the bean: springdoc drops schemas nothing refers to yet
		ProblemDocumentation.addSchemas(openApi.getComponents());
		openApi.getPaths().forEach((path, item) -> {
			for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.readOperationsMap().entrySet()) {
				document(path, HttpMethod.valueOf(entry.getKey().name()), entry.getValue());
			}
		});
	}

	private void document(String path, HttpMethod method, Operation operation) {
		AccessRule rule = AccessRule.first(this.rules, method, sample(path));
		Set<ProblemCode> codes = new LinkedHashSet<>();
		if (rule == null || rule.isPublic()) {
			// the token endpoint names its own client authentication
			if (operation.getSecurity() == null || operation.getSecurity().isEmpty()) {
				operation.setSecurity(List.of());
			}
		}
		else {
			List<SecurityRequirement> security = new ArrayList<>();
			rule.scopes()
				.forEach(
						(scope) -> security.add(new SecurityRequirement().addList(OpenApiConfiguration.SCHEME, scope)));
			operation.setSecurity(security);
			codes.add(ProblemCode.MISSING_TOKEN);
			codes.add(ProblemCode.INVALID_TOKEN);
			codes.add(ProblemCode.INSUFFICIENT_SCOPE);
			if (APPLICATION_SCOPES.containsAll(rule.scopes())) {
				codes.add(ProblemCode.NOT_AN_APPLICATION);
			}
			List<Parameter> parameters = (operation.getParameters() != null) ? operation.getParameters() : List.of();
			if (parameters.stream().anyMatch((parameter) -> "path".equals(parameter.getIn()))) {
				codes.add(ProblemCode.NOT_FOUND);
			}
			if (parameters.stream().anyMatch((parameter) -> "query".equals(parameter.getIn()))) {
				codes.add(ProblemCode.BAD_REQUEST);
				codes.add(ProblemCode.INVALID_PARAMETER);
			}
			if (typedBody(operation)) {
				codes.add(ProblemCode.MALFORMED_JSON);
				codes.add(ProblemCode.BODY_TOO_LARGE);
				codes.add(ProblemCode.UNSUPPORTED_MEDIA_TYPE);
				codes.add(ProblemCode.VALIDATION_FAILED);
			}
			codes.add(ProblemCode.DATABASE_UNAVAILABLE);
		}
		DeclaredRefusals.declared(operation).forEach((name) -> codes.add(ProblemCode.valueOf(name)));
		if (operation.getExtensions() != null) {
			operation.getExtensions().remove(DeclaredRefusals.EXTENSION);
			if (operation.getExtensions().isEmpty()) {
				operation.setExtensions(null);
			}
		}
		if (operation.getResponses() == null) {
			operation.setResponses(new ApiResponses());
		}
		ProblemDocumentation.addRefusals(operation.getResponses(), codes);
		ApiResponse created = operation.getResponses().get("201");
		// an operation that declares the headers of its 201 itself creates nothing to
		// fetch again (a dashboard link)
		if (created != null && (created.getHeaders() == null || created.getHeaders().isEmpty())) {
			ApiHeaders.with(created, ApiHeaders.LOCATION);
		}
	}

	/**
	 * Whether the operation reads a JSON document of a declared schema, which it can find
	 * malformed or invalid; route calls take any body.
	 */
	private static boolean typedBody(Operation operation) {
		return operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
				&& operation.getRequestBody()
					.getContent()
					.values()
					.stream()
					.anyMatch((media) -> media.getSchema() != null && media.getSchema().get$ref() != null);
	}

	/**
	 * A concrete path the operation's template stands for, as a request would have it.
	 */
	static String sample(String template) {
		return template.replaceAll("\\{([^}/]+)}", "$1");
	}

}
