package io.hookway.core.task;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the upstream answered, as clients see it in the task and in webhooks:
 * {@code {"statusCode","headers":{…},"body"}} with the body as JSON when the upstream
 * sent JSON, else as a string. Header names are lower case, repeated headers joined with
 * ", ".
 */
public record TaskResult(int statusCode, Map<String, String> headers, byte @Nullable [] body) {

	public View toView(JsonMapper json) {
		return new View(this.statusCode, this.headers, bodyView(json));
	}

	private @Nullable Object bodyView(JsonMapper json) {
		if (this.body == null || this.body.length == 0) {
			return null;
		}
		String contentType = this.headers.getOrDefault("content-type", "").toLowerCase(Locale.ROOT);
		if (contentType.contains("json")) {
			try {
				return json.readTree(this.body);
			}
			catch (JacksonException ex) {
				// the upstream said JSON but sent something else: show what it sent
			}
		}
		return new String(this.body, StandardCharsets.UTF_8);
	}

	/**
	 * The result as clients see it.
	 *
	 * @param statusCode the upstream's status
	 * @param headers the upstream's headers, names in lower case
	 * @param body JSON when the upstream sent JSON, else a string; null when empty
	 */
	@Schema(name = "TaskResult")
	public record View(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "200") int statusCode,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Map<String, String> headers,
			@Schema(implementation = JsonNode.class,
					description = "JSON when the upstream sent JSON, else a string") @Nullable Object body) {
	}

}
