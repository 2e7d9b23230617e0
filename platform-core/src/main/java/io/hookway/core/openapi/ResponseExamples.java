package io.hookway.core.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Sets the success response of an operation to a body a real call answered:
 * {@code docs/openapi-examples/<operationId>.json}, recorded by hookway-standalone's
 * {@code ResponseExamplesTest} and copied onto the classpath by the build. Examples for
 * operations a service does not serve are left unused.
 */
final class ResponseExamples implements OpenApiCustomizer {

	static final String LOCATION = "classpath*:openapi-examples/*.json";

	private final Map<String, Object> byOperation;

	private ResponseExamples(Map<String, Object> byOperation) {
		this.byOperation = byOperation;
	}

	/** Reads every example once, at start-up. */
	static ResponseExamples load() {
		JsonMapper json = JsonMapper.builder().build();
		Map<String, Object> byOperation = new TreeMap<>();
		try {
			for (Resource resource : new PathMatchingResourcePatternResolver().getResources(LOCATION)) {
				String name = resource.getFilename();
				if (name == null) {
					continue;
				}
				try (InputStream body = resource.getInputStream()) {
					// plain maps and lists: swagger writes the document with its own
					// Jackson
					byOperation.put(name.substring(0, name.length() - ".json".length()),
							json.readValue(body, Object.class));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The response examples are unreadable", ex);
		}
		return new ResponseExamples(byOperation);
	}

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().values().forEach((item) -> item.readOperations().forEach(this::document));
	}

	private void document(Operation operation) {
		Object example = this.byOperation.get(operation.getOperationId());
		if (example == null || operation.getResponses() == null) {
			return;
		}
		operation.getResponses()
			.entrySet()
			.stream()
			.filter((response) -> response.getKey().startsWith("2"))
			.map(Map.Entry::getValue)
			.filter((response) -> response.getContent() != null)
			.findFirst()
			.map(ApiResponse::getContent)
			.ifPresent((content) -> content.values().forEach((media) -> media.setExample(example)));
	}

}
