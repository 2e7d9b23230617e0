package io.hookway.core.task;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the upstream answered, as clients see it in the task and in webhooks:
 * {@code {"statusCode","headers":{…},"body"}} with the body as JSON when the upstream
 * sent JSON, else as a string. Header names are lower case, repeated headers joined with
 * ", ".
 */
public record TaskResult(int statusCode, Map<String, String> headers, byte @Nullable [] body) {

	public Map<String, Object> toView(JsonMapper json) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("statusCode", this.statusCode);
		view.put("headers", this.headers);
		view.put("body", bodyView(json));
		return view;
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

}
