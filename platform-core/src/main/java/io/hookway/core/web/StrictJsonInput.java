package io.hookway.core.web;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;

/**
 * Reads request bodies as written: a value of another JSON type than the field's is an
 * error naming the field, never converted ({@code 42} is not the string {@code "42"},
 * {@code "1"} not a number, {@code 1} not {@code true}, {@code 1.5} not an integer), and
 * {@code null} is no element of a list or value of a map. Opaque JSON (tree nodes) is
 * read as it is.
 */
public final class StrictJsonInput implements JsonMapperBuilderCustomizer {

	private static final List<CoercionInputShape> SCALARS = List.of(CoercionInputShape.Integer,
			CoercionInputShape.Float, CoercionInputShape.Boolean, CoercionInputShape.String,
			CoercionInputShape.EmptyString);

	@Override
	public void customize(JsonMapper.Builder builder) {
		apply(builder);
	}

	/** Applies the rules to a builder; also for mappers built outside Spring. */
	public static JsonMapper.Builder apply(JsonMapper.Builder builder) {
		builder.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
			.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
			.enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS);
		refuseOtherShapes(builder, LogicalType.Textual, CoercionInputShape.String, CoercionInputShape.EmptyString);
		refuseOtherShapes(builder, LogicalType.Integer, CoercionInputShape.Integer);
		// an integer is a valid JSON number where a fraction is allowed
		refuseOtherShapes(builder, LogicalType.Float, CoercionInputShape.Integer, CoercionInputShape.Float);
		refuseOtherShapes(builder, LogicalType.Boolean, CoercionInputShape.Boolean);
		refuseOtherShapes(builder, LogicalType.Enum, CoercionInputShape.String);
		for (Class<?> container : List.of(List.class, Set.class, Collection.class, Map.class)) {
			builder.withConfigOverride(container,
					(override) -> override.setNullHandling(JsonSetter.Value.forContentNulls(Nulls.FAIL)));
		}
		return builder;
	}

	private static void refuseOtherShapes(JsonMapper.Builder builder, LogicalType type,
			CoercionInputShape... accepted) {
		List<CoercionInputShape> keep = List.of(accepted);
		builder.withCoercionConfig(type,
				(config) -> SCALARS.stream()
					.filter((shape) -> !keep.contains(shape))
					.forEach((shape) -> config.setCoercion(shape, CoercionAction.Fail)));
	}

}
