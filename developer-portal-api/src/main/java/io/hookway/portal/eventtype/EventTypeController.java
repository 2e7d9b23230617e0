package io.hookway.portal.eventtype;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.openapi.Refuses;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.ApiProblem.FieldError;
import io.hookway.core.web.Clearable;
import io.hookway.core.web.Page;
import io.hookway.core.web.ProblemCode;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The event-type catalog (API.md §9): the operator creates and changes types,
 * applications read them. A refused request stores nothing.
 */
@RestController
@Tag(name = "event-types")
@RequestMapping("/v1/event-types")
public class EventTypeController {

	static final int MAX_DESCRIPTION_LENGTH = 500;

	private final EventTypeCatalog catalog;

	private final EventSchemaCheck schemas;

	private final JsonMapper json;

	EventTypeController(EventTypeCatalog catalog, EventSchemaCheck schemas, JsonMapper json) {
		this.catalog = catalog;
		this.schemas = schemas;
		this.json = json;
	}

	@Operation(operationId = "createEventType", summary = "Add an event type to the catalog")
	@Refuses({ ProblemCode.EVENT_TYPE_EXISTS })
	@ResponseStatus(HttpStatus.CREATED)
	@PostMapping
	Mono<ResponseEntity<EventTypeView>> create(@Valid @RequestBody CreateEventType request) {
		List<FieldError> errors = new ArrayList<>(descriptionErrors(request.description()));
		EventTypeNames.refusal(request.name()).ifPresent((reason) -> errors.add(new FieldError("name", reason)));
		return this.schemas.errors(request.schema()).flatMap((schemaErrors) -> {
			errors.addAll(schemaErrors);
			if (!errors.isEmpty()) {
				return Mono.error(ApiProblem.invalid(errors));
			}
			return this.catalog
				.create(request.name(), (request.description() != null) ? request.description() : "",
						stored(request.schema()), Boolean.TRUE.equals(request.deprecated()))
				.switchIfEmpty(Mono.error(() -> ApiProblem.conflict(ProblemCode.EVENT_TYPE_EXISTS,
						"There is already an event type " + request.name() + ".")));
		}).map((created) -> ResponseEntity.created(URI.create("/v1/event-types/" + created.name())).body(created));
	}

	/** Every type by name, the platform's own included. */
	@Operation(operationId = "listEventTypes",
			summary = "List the event type catalog, the platform's own types included")
	@GetMapping
	public Mono<Page<EventTypeView>> list(@RequestParam(required = false) @Nullable String limit,
			@RequestParam(required = false) @Nullable String cursor) {
		return this.catalog.page(limit, cursor);
	}

	@Operation(operationId = "getEventType", summary = "Get an event type")
	@GetMapping("/{name}")
	Mono<EventTypeView> get(@PathVariable String name) {
		return this.catalog.find(name).switchIfEmpty(Mono.error(() -> notFound(name)));
	}

	/**
	 * Changes what is given: {@code "schema": null} removes the schema, while a
	 * description or deprecation left out or null stays as it is.
	 */
	@Operation(operationId = "updateEventType", summary = "Change an event type's description, schema or deprecation")
	@PatchMapping("/{name}")
	Mono<EventTypeView> update(@PathVariable String name, @Valid @RequestBody UpdateEventType request) {
		JsonNode schema = (request.schema() != null) ? request.schema().value() : null;
		Mono<Void> changeable = this.catalog.find(name)
			.switchIfEmpty(Mono.error(() -> notFound(name)))
			.filter(EventTypeView::platform)
			.flatMap((platform) -> Mono.error(
					ApiProblem.invalid("name", "is one of the platform's own event types, which cannot be changed")));
		Mono<Void> valid = this.schemas.errors(schema).flatMap((errors) -> {
			List<FieldError> all = new ArrayList<>(errors);
			all.addAll(descriptionErrors(request.description()));
			return all.isEmpty() ? Mono.empty() : Mono.error(ApiProblem.invalid(all));
		});
		return changeable.then(valid)
			.then(Mono.defer(() -> this.catalog.update(name, request.description(), request.schema() != null,
					stored(schema), request.deprecated())))
			.switchIfEmpty(Mono.error(() -> notFound(name)));
	}

	/** PostgreSQL's text cannot hold NUL; anything else the size limit allows is fine. */
	private static List<FieldError> descriptionErrors(@Nullable String description) {
		return (description != null && description.indexOf('\0') >= 0)
				? List.of(new FieldError("description", "must not contain the NUL character")) : List.of();
	}

	private @Nullable String stored(@Nullable JsonNode schema) {
		return (schema != null) ? this.json.writeValueAsString(schema) : null;
	}

	private static ApiProblem notFound(String name) {
		return ApiProblem.notFound("There is no event type " + name + ".");
	}

	record CreateEventType(@NotNull String name, @Nullable @Size(max = MAX_DESCRIPTION_LENGTH) String description,
			@Schema(types = {
					"object", "boolean", "null" },
					description = "JSON Schema (draft 2020-12) for the data") @Nullable JsonNode schema,
			@Nullable Boolean deprecated){
	}

	record UpdateEventType(@Nullable @Size(max = MAX_DESCRIPTION_LENGTH) String description, @Schema(
			implementation = Object.class, types = {
					"object", "boolean", "null" },
			description = "JSON Schema (draft 2020-12) for the data; null removes it") @Nullable Clearable<JsonNode> schema,
			@Nullable Boolean deprecated){
	}

}
