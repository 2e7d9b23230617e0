package io.hookway.core.openapi;

import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverter;
import io.swagger.v3.core.converter.ModelConverterContext;
import io.swagger.v3.oas.models.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * States what a record's components answer where swagger's reading of them falls short: a
 * {@link Nullable} component may be {@code null} (swagger reads declaration annotations
 * only, and JSpecify's is a type annotation), unless it is left out when null
 * ({@link JsonInclude}); a {@link JsonRawValue} string, JSON written verbatim, is any
 * JSON value rather than a string, unless a schema of its own says which.
 */
final class RecordComponents implements ModelConverter {

	private static final String NULL = "null";

	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public @Nullable Schema resolve(AnnotatedType type, ModelConverterContext context, Iterator<ModelConverter> chain) {
		Schema resolved = chain.hasNext() ? chain.next().resolve(type, context, chain) : null;
		Class<?> raw = (type.getType() != null)
				? TypeFactory.defaultInstance().constructType(type.getType()).getRawClass() : null;
		if (resolved == null || raw == null || !raw.isRecord()) {
			return resolved;
		}
		Schema model = (resolved.get$ref() != null)
				? context.getDefinedModels().get(resolved.get$ref().substring(resolved.get$ref().lastIndexOf('/') + 1))
				: resolved;
		if (model != null && model.getProperties() != null) {
			for (RecordComponent component : raw.getRecordComponents()) {
				Schema property = (Schema) model.getProperties().get(component.getName());
				if (property != null && component.getAccessor().isAnnotationPresent(JsonRawValue.class)
						&& Set.of("string").equals(property.getTypes())) {
					anyJson(property);
				}
				else if (property != null && nullable(component)) {
					allowNull(property);
				}
			}
		}
		return resolved;
	}

	/** Takes back the type of the string that holds the JSON, keeping the rest. */
	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void anyJson(Schema property) {
		property.setTypes(null);
		property.setType(null);
		if (property.getDescription() == null) {
			property.setDescription("Any JSON value.");
		}
	}

	private static boolean nullable(RecordComponent component) {
		JsonInclude include = component.getAccessor().getAnnotation(JsonInclude.class);
		boolean leftOut = include != null && include.value() != JsonInclude.Include.ALWAYS;
		return component.getAnnotatedType().isAnnotationPresent(Nullable.class) && !leftOut;
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static void allowNull(Schema property) {
		Set<String> types = new LinkedHashSet<>();
		if (property.getTypes() != null) {
			types.addAll(property.getTypes());
		}
		else if (property.getType() != null) {
			types.add(property.getType());
		}
		if (property.get$ref() != null) {
			// a reference takes no siblings that generators read: one of it or null
			property.setOneOf(List.of(new Schema<>().$ref(property.get$ref()), new Schema<>().types(Set.of(NULL))));
			property.set$ref(null);
		}
		else if (!types.isEmpty()) {
			types.add(NULL);
			property.setTypes(types);
		}
	}

}
