package io.hookway.core.openapi;

import java.math.BigDecimal;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import org.springdoc.core.customizers.OpenApiCustomizer;

import io.hookway.core.web.Page;

/**
 * States what {@link Page} accepts on every list: {@code limit}'s range and the shape of
 * {@code cursor}. The handlers take both as strings, to read them strictly themselves, so
 * springdoc alone would document any string.
 */
final class PagingDocumentation implements OpenApiCustomizer {

	@Override
	public void customise(OpenAPI openApi) {
		if (openApi.getPaths() == null) {
			return;
		}
		openApi.getPaths().values().forEach((item) -> item.readOperations().forEach(PagingDocumentation::document));
	}

	private static void document(Operation operation) {
		if (operation.getParameters() == null) {
			return;
		}
		for (Parameter parameter : operation.getParameters()) {
			if (!"query".equals(parameter.getIn())) {
				continue;
			}
			if ("limit".equals(parameter.getName())) {
				// swagger's builders answer raw types: the default is set on the typed
				// schema
				IntegerSchema schema = new IntegerSchema();
				schema.setDefault(Page.DEFAULT_LIMIT);
				schema.minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(Page.MAX_LIMIT));
				parameter.description("How many items the page holds at most, in decimal digits.").schema(schema);
			}
			else if ("cursor".equals(parameter.getName())) {
				parameter
					.description(
							"The nextCursor of the previous page, as it was returned; the first page " + "without it.")
					.schema(new StringSchema().pattern("^[A-Za-z0-9_-]+$"));
			}
		}
	}

}
