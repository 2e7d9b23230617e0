package io.hookway.portal.eventtype;

import java.io.FileNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

import com.networknt.schema.InvalidSchemaRefException;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;

import io.hookway.core.web.ApiProblem.FieldError;

import org.springframework.stereotype.Component;

/**
 * Whether an event type's {@code schema} is a JSON Schema of draft 2020-12 that the
 * platform can apply to published data: valid against the draft's meta-schema, of that
 * draft if it names one, and compilable (its regular expressions parse, its references
 * resolve). Nothing is fetched: the meta-schemas ship with the validator, and a reference
 * outside the schema is refused, not followed.
 */
@Component
class EventSchemaCheck {

	static final String DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

	/** Enough to fix a schema by; a document wrong everywhere would list thousands. */
	private static final int MAX_ERRORS = 20;

	private final Schema metaSchema;

	/**
	 * Without a cache, so that one operator's {@code $id} cannot stand in for another.
	 */
	private final SchemaRegistry compiler = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
			(registry) -> registry.schemaCacheEnabled(false));

	EventSchemaCheck() {
		this.metaSchema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
			.getSchema(SchemaLocation.of(DRAFT_2020_12));
		// loads the vocabularies' meta-schemas from the classpath now, not on a request
		this.metaSchema.initializeValidators();
	}

	/**
	 * The schema's errors, each named {@code schema} or {@code schema/<JSON pointer>};
	 * none for no schema. Off the event loop: a large schema is milliseconds of work, and
	 * a reference to a meta-schema is read from the classpath.
	 */
	Mono<List<FieldError>> errors(@Nullable JsonNode schema) {
		if (schema == null) {
			return Mono.just(List.of());
		}
		return Mono.fromCallable(() -> check(schema)).subscribeOn(Schedulers.boundedElastic());
	}

	private List<FieldError> check(JsonNode schema) {
		Set<FieldError> errors = new LinkedHashSet<>();
		this.metaSchema.validate(schema)
			.forEach((error) -> errors
				.add(new FieldError(field(error.getInstanceLocation().toString()), error.getMessage())));
		unstorable(schema, "", errors);
		JsonNode dialect = schema.get("$schema");
		if (dialect != null && dialect.isString() && !dialect.stringValue().equals(DRAFT_2020_12)
				&& !dialect.stringValue().equals(DRAFT_2020_12 + "#")) {
			errors.add(new FieldError("schema/$schema", "must be " + DRAFT_2020_12 + " or left out"));
		}
		if (errors.isEmpty()) {
			compile(schema, errors);
		}
		return List.copyOf(new ArrayList<>(errors).subList(0, Math.min(errors.size(), MAX_ERRORS)));
	}

	private void compile(JsonNode schema, Set<FieldError> errors) {
		try {
			this.compiler.getSchema(schema).initializeValidators();
		}
		catch (InvalidSchemaRefException ex) {
			errors.add(new FieldError("schema", "has a reference that does not resolve: " + ex.getMessage()));
		}
		catch (SchemaException ex) {
			errors.add(new FieldError("schema", describe(ex.getCause())));
		}
	}

	private static String describe(@Nullable Throwable cause) {
		if (cause instanceof PatternSyntaxException pattern) {
			return "has an invalid regular expression \"" + pattern.getPattern() + "\": " + pattern.getDescription();
		}
		if (cause instanceof FileNotFoundException outside) {
			return "refers to " + outside.getMessage() + ", outside the schema; only references within it resolve";
		}
		return "cannot be compiled as a JSON Schema";
	}

	/**
	 * What the validator accepts but PostgreSQL's jsonb cannot hold, or holds as
	 * something else: the NUL character, and numbers beyond a double read as infinity.
	 */
	private static void unstorable(JsonNode node, String pointer, Set<FieldError> errors) {
		if (node.isString() && node.stringValue().indexOf('\0') >= 0) {
			errors.add(new FieldError(field(pointer), "must not contain the NUL character"));
		}
		else if (node.isNumber() && node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
			errors.add(new FieldError(field(pointer), "is a number too large to store"));
		}
		else if (node.isArray()) {
			for (int i = 0; i < node.size(); i++) {
				unstorable(node.get(i), pointer + "/" + i, errors);
			}
		}
		else if (node.isObject()) {
			for (Map.Entry<String, JsonNode> property : node.properties()) {
				String child = pointer + "/" + property.getKey().replace("~", "~0").replace("/", "~1");
				if (property.getKey().indexOf('\0') >= 0) {
					errors.add(new FieldError(field(child), "must not contain the NUL character"));
				}
				unstorable(property.getValue(), child, errors);
			}
		}
	}

	private static String field(String pointer) {
		return pointer.isEmpty() ? "schema" : "schema" + pointer;
	}

}
