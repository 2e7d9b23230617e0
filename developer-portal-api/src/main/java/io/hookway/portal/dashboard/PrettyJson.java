package io.hookway.portal.dashboard;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * JSON indented for reading. The pages show it as text (Thymeleaf escapes it), so a
 * payload carrying markup is shown, never run.
 */
@Component
public class PrettyJson {

	private final JsonMapper json;

	PrettyJson(JsonMapper json) {
		this.json = json;
	}

	/** The indented form; the text as it is if it is not JSON; empty for none. */
	public String format(@Nullable String text) {
		if (text == null) {
			return "";
		}
		try {
			return this.json.writerWithDefaultPrettyPrinter().writeValueAsString(this.json.readTree(text));
		}
		catch (JacksonException ex) {
			return text;
		}
	}

}
