package io.hookway.portal.dashboard.deliveries;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.hookway.core.id.IdKind;
import io.hookway.core.web.ApiProblem;
import io.hookway.core.webhook.DeliveryStatus;
import io.hookway.portal.dashboard.DashboardPage;
import io.hookway.portal.dashboard.access.DashboardSession;
import io.hookway.portal.delivery.DeliveryController;
import io.hookway.portal.delivery.RecoveryController;
import io.hookway.portal.delivery.RecoveryController.Recover;
import io.hookway.portal.endpoint.WebhookEndpointController;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

/**
 * Deliveries: the recent ones with filters, one with every attempt, a retry and the
 * recovery of an endpoint's failed deliveries, through the API's own handlers.
 */
@Controller
@DashboardPage
class DeliveryPages {

	private final DeliveryLog log;

	private final DeliveryController deliveries;

	private final RecoveryController recovery;

	private final WebhookEndpointController endpoints;

	private final JsonMapper json;

	DeliveryPages(DeliveryLog log, DeliveryController deliveries, RecoveryController recovery,
			WebhookEndpointController endpoints, JsonMapper json) {
		this.json = json;
		this.log = log;
		this.deliveries = deliveries;
		this.recovery = recovery;
		this.endpoints = endpoints;
	}

	@GetMapping("/dashboard/deliveries")
	Mono<Rendering> list(@AuthenticationPrincipal DashboardSession session,
			@RequestParam(required = false) @Nullable String endpoint,
			@RequestParam(required = false) @Nullable String status) {
		String chosenEndpoint = (endpoint != null && !endpoint.isBlank()) ? endpoint : null;
		String chosenStatus = (status != null && DeliveryStatus.parse(status).isPresent()) ? status : null;
		Optional<UUID> endpointId = (chosenEndpoint != null) ? IdKind.ENDPOINT.parse(chosenEndpoint) : Optional.empty();
		if (chosenEndpoint != null && endpointId.isEmpty()) {
			throw ApiProblem.notFound("There is no webhook endpoint " + chosenEndpoint + ".");
		}
		// an endpoint of another application is a 404, as in the API
		Mono<?> owned = (chosenEndpoint != null) ? this.endpoints.get(session.asCaller(), chosenEndpoint)
				: Mono.just(true);
		return owned.then(this.endpoints.list(session.asCaller(), "100", null))
			.zipWith(this.log.recent(session.applicationId(), endpointId, chosenStatus))
			.map((found) -> Rendering.view("dashboard/deliveries/list")
				.modelAttribute("section", "deliveries")
				.modelAttribute("endpoints", found.getT1().data())
				.modelAttribute("deliveries", found.getT2())
				.modelAttribute("endpoint", (chosenEndpoint != null) ? chosenEndpoint : "")
				.modelAttribute("status", (chosenStatus != null) ? chosenStatus : "")
				.modelAttribute("statuses", Stream.of(DeliveryStatus.values()).map(DeliveryStatus::name).toList())
				.build());
	}

	@GetMapping("/dashboard/deliveries/{id}")
	Mono<Rendering> show(@AuthenticationPrincipal DashboardSession session, @PathVariable String id,
			ServerWebExchange exchange) {
		boolean retried = exchange.getRequest().getQueryParams().containsKey("retried");
		return this.deliveries.get(session.asCaller(), id).map((view) -> {
			// the page shows the delivery as the API's JSON has it
			JsonNode delivery = this.json.valueToTree(view);
			return Rendering.view("dashboard/deliveries/show")
				.modelAttribute("retried", retried)
				.modelAttribute("section", "deliveries")
				.modelAttribute("delivery", this.json.treeToValue(delivery, Map.class))
				.modelAttribute("attempts", attempts(delivery.get("attempts")))
				.build();
		});
	}

	@PostMapping("/dashboard/deliveries/{id}/retry")
	Mono<Rendering> retry(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		return Mono.defer(() -> this.deliveries.retry(session.asCaller(), id))
			.map((retried) -> Rendering.redirectTo("/dashboard/deliveries/" + id + "?retried").build());
	}

	/** The time is read as UTC, as the form says. */
	@PostMapping("/dashboard/deliveries/recover")
	Mono<Rendering> recover(@AuthenticationPrincipal DashboardSession session, @ModelAttribute RecoverForm form) {
		String endpointId = (form.endpointId() != null) ? form.endpointId() : "";
		return Mono.defer(() -> this.recovery.recover(session.asCaller(), endpointId, new Recover(since(form), null)))
			.map((recovered) -> Rendering.view("dashboard/deliveries/recovered")
				.modelAttribute("section", "deliveries")
				.modelAttribute("endpointId", endpointId)
				.modelAttribute("count", recovered.deliveries())
				.build());
	}

	private List<Attempt> attempts(@Nullable Object attempts) {
		return (attempts instanceof JsonNode node) ? List.of(this.json.treeToValue(node, Attempt[].class)) : List.of();
	}

	private static String since(RecoverForm form) {
		try {
			String since = (form.since() != null) ? form.since() : "";
			return LocalDateTime.parse(since).atOffset(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
		}
		catch (DateTimeParseException ex) {
			throw ApiProblem.invalid("since", "must be a date and time");
		}
	}

	/** One attempt as {@code GET /v1/deliveries/{id}} lists it. */
	record Attempt(int attempt, String at, @Nullable Integer statusCode, @Nullable Long durationMs,
			@Nullable String error) {
	}

	record RecoverForm(@Nullable String endpointId, @Nullable String since) {
	}

}
