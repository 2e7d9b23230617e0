package io.hookway.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.ValidationLimitExceededException;
import com.networknt.schema.path.PathType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.web.ApiProblem.FieldError;

/**
 * The event catalog's JSON Schemas (draft 2020-12) applied to the {@code data} of
 * messages. A type's schema is compiled when first used and kept while it is used, keyed
 * by the type's name and the time its row last changed, so that a changed schema applies
 * from the next message on and the old one is evicted. Validation is CPU only: a schema
 * that refers to another document by {@code $ref} is never fetched from the network.
 */
public final class EventSchemas {

	/** Most violations reported for one message; the first ones found. */
	public static final int MAX_ERRORS = 100;

	private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			(builder) -> builder.schemaRegistryConfig(
					SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).preloadSchema(true).build()));

	private final JsonMapper json;

	private final Cache<Version, Schema> compiled = Caffeine.newBuilder()
		.maximumSize(1_000)
		.expireAfterAccess(Duration.ofHours(1))
		.build();

	public EventSchemas(JsonMapper json) {
		this.json = json;
	}

	/**
	 * What is wrong with {@code data} under the type's schema: one error per violation,
	 * its field the JSON pointer of the offending value under {@code field} (such as
	 * {@code data/amount}); empty when the data is valid.
	 * @param type the event type's name
	 * @param changedAt when the type's row last changed: a new time compiles the schema
	 * anew
	 * @param schema the schema as JSON text
	 * @throws UnusableSchemaException when the schema itself cannot be applied
	 */
	public List<FieldError> violations(String type, Instant changedAt, String schema, JsonNode data, String field) {
		Schema compiled = this.compiled.get(new Version(type, changedAt), (version) -> compile(version, schema));
		List<Error> errors;
		try {
			errors = compiled.validate(data);
		}
		catch (ValidationLimitExceededException ex) {
			return List.of(new FieldError(field, "is too deeply nested or too large to check against the schema"));
		}
		catch (RuntimeException ex) {
			throw new UnusableSchemaException(type, ex);
		}
		List<FieldError> violations = new ArrayList<>(Math.min(errors.size(), MAX_ERRORS));
		for (Error error : errors.subList(0, Math.min(errors.size(), MAX_ERRORS))) {
			violations.add(new FieldError(field + pointer(error), error.getMessage()));
		}
		return violations;
	}

	private Schema compile(Version version, String schema) {
		try {
			return REGISTRY.getSchema(this.json.readTree(schema));
		}
		catch (RuntimeException ex) {
			// not JSON (JacksonException), or JSON that is no schema
			throw new UnusableSchemaException(version.type(), ex);
		}
	}

	/**
	 * Where the violation is: the value's pointer, and for a keyword about one property
	 * of an object ({@code required}, {@code additionalProperties} …) that property's.
	 */
	private static String pointer(Error error) {
		String location = error.getInstanceLocation().toString();
		String property = error.getProperty();
		if (property == null || location.endsWith("/" + escape(property))) {
			return location;
		}
		return location + "/" + escape(property);
	}

	private static String escape(String name) {
		return name.replace("~", "~0").replace("/", "~1");
	}

	private record Version(String type, Instant changedAt) {
	}

	/**
	 * The type's schema is no valid JSON Schema or refers to a document that cannot be
	 * had: no message of the type can be checked until the catalog is fixed.
	 */
	public static final class UnusableSchemaException extends RuntimeException {

		UnusableSchemaException(String type, Throwable cause) {
			super("The schema of event type " + type + " cannot be applied: " + cause.getMessage(), cause);
		}

	}

}
