package io.hookway.portal.eventtype;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;

/**
 * An event type as the API shows it (API.md §9); {@code platform} marks the platform's
 * own, which cannot be changed.
 *
 * @param schema the JSON Schema as stored, sent as it is rather than parsed and written
 * again
 */
public record EventTypeView(String name, @Nullable String description, @JsonRawValue @Schema(types = {
		"object", "boolean", "null" },
		description = "JSON Schema (draft 2020-12) for the data of events of this type") @Nullable String schema,
		boolean deprecated, boolean platform, Instant createdAt){
}
