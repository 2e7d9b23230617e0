package io.hookway.portal.endpoint;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

import io.hookway.core.outbound.OutboundUrlGuard;
import io.hookway.core.web.Clearable;

/** The bodies of creating and changing an endpoint. */
public final class EndpointRequests {

	private EndpointRequests() {
	}

	/**
	 * A new endpoint; no headers and no rate limit unless given.
	 */
	public record CreateEndpoint(@NotNull @Size(max = OutboundUrlGuard.MAX_URL_LENGTH) String url,
			@NotNull List<String> eventTypes, @Nullable @Size(max = 500) String description,
			@Nullable Map<String, String> headers, @Schema(minimum = "1", maximum = "10000",
					description = "most deliveries a second; none when absent") @Nullable Integer rateLimit) {
	}

	/**
	 * Changes to an endpoint: what is left out (or null) stays, but {@code "headers": {}}
	 * removes the headers and {@code "rateLimit": null} the limit.
	 */
	public record UpdateEndpoint(@Nullable @Size(max = OutboundUrlGuard.MAX_URL_LENGTH) String url,
			@Nullable List<String> eventTypes, @Nullable @Size(max = 500) String description, @Nullable Boolean enabled,
			@Nullable Map<String, String> headers,
			@Schema(implementation = Integer.class, nullable = true, minimum = "1", maximum = "10000",
					description = "most deliveries a second; null removes the limit") @Nullable Clearable<Integer> rateLimit) {
	}

}
