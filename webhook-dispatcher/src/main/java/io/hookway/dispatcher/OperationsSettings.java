package io.hookway.dispatcher;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.hookway.core.id.IdKind;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the platform tells its operator what happens to deliveries (API §9, operational
 * events).
 *
 * @param applicationId the application ({@code app_…}) that {@code endpoint.disabled} and
 * {@code delivery.exhausted} are published to, for the endpoints the operator registers
 * on it; unset, none are published
 */
@ConfigurationProperties("hookway.operations")
public record OperationsSettings(@Nullable String applicationId) {

	public OperationsSettings {
		if (applicationId != null && applicationId.isBlank()) {
			applicationId = null;
		}
		if (applicationId != null && IdKind.APPLICATION.parse(applicationId).isEmpty()) {
			throw new IllegalArgumentException(
					"hookway.operations.application-id must be an application id (app_…), not " + applicationId);
		}
	}

	/** The operations application, if one is named. */
	public @Nullable UUID application() {
		return (this.applicationId != null) ? IdKind.APPLICATION.parse(this.applicationId).orElseThrow() : null;
	}

}
