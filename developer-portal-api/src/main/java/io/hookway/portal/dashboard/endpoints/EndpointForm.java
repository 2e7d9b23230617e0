package io.hookway.portal.dashboard.endpoints;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Clearable;
import io.hookway.portal.endpoint.EndpointRequests.CreateEndpoint;
import io.hookway.portal.endpoint.EndpointRequests.UpdateEndpoint;
import io.hookway.portal.endpoint.EndpointView;

/**
 * The endpoint form as typed: event types separated by commas or spaces, one
 * {@code Name: value} header a line, an empty rate limit for none. It becomes the API's
 * request body, so every rule after the typing is the API's.
 */
public record EndpointForm(@Nullable String url, @Nullable String description, @Nullable String eventTypes,
		@Nullable String headers, @Nullable String rateLimit) {

	static EndpointForm empty() {
		return new EndpointForm("", "", "*", "", "");
	}

	static EndpointForm of(EndpointView endpoint) {
		String headers = (endpoint.headers() != null) ? endpoint.headers()
			.entrySet()
			.stream()
			.map((header) -> header.getKey() + ": " + header.getValue())
			.collect(Collectors.joining("\n")) : "";
		return new EndpointForm(endpoint.url(), (endpoint.description() != null) ? endpoint.description() : "",
				String.join(", ", endpoint.eventTypes()), headers,
				(endpoint.rateLimit() != null) ? endpoint.rateLimit().toString() : "");
	}

	CreateEndpoint toCreate() {
		return new CreateEndpoint(blankToNull(this.url), eventTypeList(), text(this.description), headerMap(),
				rateLimitValue());
	}

	/** Every field is sent: emptied headers and rate limit are removed. */
	UpdateEndpoint toUpdate() {
		return new UpdateEndpoint(text(this.url), eventTypeList(), text(this.description), null, headerMap(),
				new Clearable<>(rateLimitValue()));
	}

	private List<String> eventTypeList() {
		return Arrays.stream(text(this.eventTypes).split("[,\\s]+")).filter((type) -> !type.isEmpty()).toList();
	}

	private Map<String, String> headerMap() {
		Map<String, String> map = new LinkedHashMap<>();
		String[] lines = text(this.headers).split("\\r?\\n");
		for (int i = 0; i < lines.length; i++) {
			String line = lines[i].strip();
			if (line.isEmpty()) {
				continue;
			}
			int colon = line.indexOf(':');
			if (colon <= 0) {
				throw ApiProblem.invalid("headers", "line " + (i + 1) + " is not Name: value");
			}
			map.put(line.substring(0, colon).strip(), line.substring(colon + 1).strip());
		}
		return map;
	}

	private @Nullable Integer rateLimitValue() {
		String value = text(this.rateLimit).strip();
		if (value.isEmpty()) {
			return null;
		}
		try {
			return Integer.valueOf(value);
		}
		catch (NumberFormatException ex) {
			throw ApiProblem.invalid("rateLimit", "must be a whole number of deliveries a second, or empty for none");
		}
	}

	private static String text(@Nullable String value) {
		return (value != null) ? value : "";
	}

	private static @Nullable String blankToNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

}
