package io.hookway.portal.endpoint;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.r2dbc.spi.Readable;
import org.jspecify.annotations.Nullable;

import io.hookway.core.id.IdKind;
import io.hookway.core.web.Page;

/**
 * A webhook endpoint as the API shows it (API.md §5, §10). The secret appears only when
 * it is new, and the headers only where one endpoint is shown, never in a list: both are
 * decrypted for the caller.
 */
public record EndpointView(String id, String url, List<String> eventTypes, @Nullable String description,
		boolean enabled, @Nullable String disabledReason,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String secret,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable Map<String, String> headers, @Nullable Integer rateLimit,
		Instant createdAt) {

	/** What a list shows and every single view starts from. */
	static final String COLUMNS = "id, url, event_types, description, enabled, disabled_reason, rate_limit, created_at";

	static EndpointView of(Readable row, @Nullable String secret, @Nullable Map<String, String> headers) {
		return new EndpointView(IdKind.ENDPOINT.format(row.get("id", UUID.class)), row.get("url", String.class),
				List.of(row.get("event_types", String[].class)), row.get("description", String.class),
				Boolean.TRUE.equals(row.get("enabled", Boolean.class)), row.get("disabled_reason", String.class),
				secret, headers, row.get("rate_limit", Integer.class), row.get("created_at", Instant.class));
	}

	Page.Position position() {
		return new Page.Position(this.createdAt, IdKind.ENDPOINT.parse(this.id).orElseThrow());
	}

}
