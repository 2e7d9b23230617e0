package io.hookway.core.web;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.BeanProperty;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A PATCH field whose null means something ({@code "rateLimit": null} is "no limit"), so
 * that leaving it out and sending null differ: a field left out is a Java {@code null}
 * (unchanged), a JSON {@code null} is a {@code Clearable} without a value (cleared), any
 * other value is read as {@code T} with the usual rules and errors. Fields that are never
 * null keep the simpler rule that null is the same as absent.
 */
@JsonDeserialize(using = Clearable.Reader.class)
public record Clearable<T>(@Nullable T value) {

	static final class Reader extends ValueDeserializer<Clearable<?>> {

		private final @Nullable JavaType valueType;

		Reader() {
			this(null);
		}

		private Reader(@Nullable JavaType valueType) {
			this.valueType = valueType;
		}

		@Override
		public ValueDeserializer<?> createContextual(DeserializationContext context, @Nullable BeanProperty property) {
			JavaType type = (property != null) ? property.getType() : context.getContextualType();
			return new Reader(type.containedTypeOrUnknown(0));
		}

		@Override
		public Clearable<?> deserialize(JsonParser parser, DeserializationContext context) {
			if (this.valueType == null) {
				throw new IllegalStateException("Clearable is read as a typed property");
			}
			return new Clearable<>(context.readValue(parser, this.valueType));
		}

		@Override
		public Object getNullValue(DeserializationContext context) {
			return new Clearable<>(null);
		}

		@Override
		public @Nullable Object getAbsentValue(DeserializationContext context) {
			return null;
		}

	}

}
