package io.hookway.portal.dashboard.endpoints;

import java.util.Map;
import java.util.Set;

import jakarta.validation.Validator;
import reactor.core.publisher.Mono;

import io.hookway.core.web.ApiProblem;
import io.hookway.core.web.Clearable;
import io.hookway.portal.dashboard.DashboardPage;
import io.hookway.portal.dashboard.FormErrors;
import io.hookway.portal.dashboard.access.DashboardSession;
import io.hookway.portal.dashboard.stats.EndpointStats;
import io.hookway.portal.endpoint.EndpointRequests.UpdateEndpoint;
import io.hookway.portal.endpoint.EndpointSecretController;
import io.hookway.portal.endpoint.EndpointSecretController.EndpointSecret;
import io.hookway.portal.endpoint.EndpointTestController;
import io.hookway.portal.endpoint.WebhookEndpointController;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

/**
 * An application's endpoints: list, create, edit, enable or disable, its secret and a
 * test event. Each action calls the handler of the JSON call it mirrors, so the rules,
 * limits and refusals are the API's.
 */
@Controller
@DashboardPage
class EndpointPages {

	private static final Set<String> FIELDS = Set.of("url", "description", "eventTypes", "headers", "rateLimit");

	private final WebhookEndpointController endpoints;

	private final EndpointSecretController secrets;

	private final EndpointTestController tests;

	private final EndpointStats stats;

	private final Validator validator;

	EndpointPages(WebhookEndpointController endpoints, EndpointSecretController secrets, EndpointTestController tests,
			EndpointStats stats, Validator validator) {
		this.endpoints = endpoints;
		this.secrets = secrets;
		this.tests = tests;
		this.stats = stats;
		this.validator = validator;
	}

	@GetMapping("/dashboard/endpoints")
	Mono<Rendering> list(@AuthenticationPrincipal DashboardSession session) {
		return this.endpoints.list(session.asCaller(), "100", null)
			.map((page) -> page("dashboard/endpoints/list").modelAttribute("endpoints", page.data()).build());
	}

	@GetMapping("/dashboard/endpoints/new")
	Rendering newForm() {
		return form(null, EndpointForm.empty(), Map.of(), HttpStatus.OK);
	}

	@PostMapping("/dashboard/endpoints")
	Mono<Rendering> create(@AuthenticationPrincipal DashboardSession session, @ModelAttribute EndpointForm form) {
		return Mono.defer(() -> {
			var request = form.toCreate();
			FormErrors.check(this.validator, request);
			return this.endpoints.create(session.asCaller(), request);
		})
			.map((created) -> redirect("/dashboard/endpoints/" + created.getBody().id() + "?created"))
			.onErrorResume(ApiProblem.class, (problem) -> invalid(null, form, problem));
	}

	@GetMapping("/dashboard/endpoints/{id}")
	Mono<Rendering> show(@AuthenticationPrincipal DashboardSession session, @PathVariable String id,
			ServerWebExchange exchange) {
		MultiValueMap<String, String> query = exchange.getRequest().getQueryParams();
		return this.endpoints.get(session.asCaller(), id)
			.zipWith(this.stats.lastDay(session.applicationId(), id))
			.map((found) -> page("dashboard/endpoints/show").modelAttribute("endpoint", found.getT1())
				.modelAttribute("stats", found.getT2())
				.modelAttribute("created", query.containsKey("created"))
				.modelAttribute("saved", query.containsKey("saved"))
				.build());
	}

	@GetMapping("/dashboard/endpoints/{id}/edit")
	Mono<Rendering> editForm(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		return this.endpoints.get(session.asCaller(), id)
			.map((endpoint) -> form(id, EndpointForm.of(endpoint), Map.of(), HttpStatus.OK));
	}

	@PostMapping("/dashboard/endpoints/{id}")
	Mono<Rendering> update(@AuthenticationPrincipal DashboardSession session, @PathVariable String id,
			@ModelAttribute EndpointForm form) {
		return Mono.defer(() -> {
			UpdateEndpoint request = form.toUpdate();
			FormErrors.check(this.validator, request);
			return this.endpoints.update(session.asCaller(), id, request);
		})
			.map((updated) -> redirect("/dashboard/endpoints/" + id + "?saved"))
			.onErrorResume(ApiProblem.class, (problem) -> (problem.getStatusCode().value() == 404) ? Mono.error(problem)
					: invalid(id, form, problem));
	}

	@PostMapping("/dashboard/endpoints/{id}/enabled")
	Mono<Rendering> enable(@AuthenticationPrincipal DashboardSession session, @PathVariable String id,
			@ModelAttribute EnabledForm form) {
		UpdateEndpoint request = new UpdateEndpoint(null, null, null, form.enabled(), null, (Clearable<Integer>) null);
		return this.endpoints.update(session.asCaller(), id, request)
			.map((updated) -> redirect("/dashboard/endpoints/" + id));
	}

	@GetMapping("/dashboard/endpoints/{id}/secret")
	Mono<Rendering> secret(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		return this.secrets.secret(session.asCaller(), id).map((secret) -> secretFragment(secret, false));
	}

	@PostMapping("/dashboard/endpoints/{id}/rotate-secret")
	Mono<Rendering> rotate(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		return this.secrets.rotateSecret(session.asCaller(), id).map((secret) -> secretFragment(secret, true));
	}

	@PostMapping("/dashboard/endpoints/{id}/test")
	Mono<Rendering> test(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		return Mono.defer(() -> this.tests.test(session.asCaller(), id))
			.map((sent) -> Rendering.view("dashboard/endpoints/fragments :: test-sent")
				.modelAttribute("messageId", sent.messageId())
				.modelAttribute("endpointId", id)
				.build())
			.onErrorResume(ApiProblem.class,
					(problem) -> (problem.getStatusCode().value() == 404) ? Mono.error(problem)
							: Mono.just(Rendering.view("dashboard/endpoints/fragments :: refused")
								.modelAttribute("detail", problem.getBody().getDetail())
								.build()));
	}

	private Rendering secretFragment(EndpointSecret secret, boolean rotated) {
		return Rendering.view("dashboard/endpoints/fragments :: secret")
			.modelAttribute("secret", secret.secret())
			.modelAttribute("rotated", rotated)
			.build();
	}

	private Mono<Rendering> invalid(String id, EndpointForm form, ApiProblem problem) {
		return Mono.just(form(id, form, FormErrors.of(problem, FIELDS), HttpStatus.UNPROCESSABLE_CONTENT));
	}

	private Rendering form(String id, EndpointForm form, Map<String, String> errors, HttpStatus status) {
		return page("dashboard/endpoints/form").modelAttribute("endpointId", (id != null) ? id : "")
			.modelAttribute("form", form)
			.modelAttribute("errors", errors)
			.status(status)
			.build();
	}

	private static Rendering.Builder<?> page(String view) {
		return Rendering.view(view).modelAttribute("section", "endpoints");
	}

	private static Rendering redirect(String to) {
		return Rendering.redirectTo(to).build();
	}

	record EnabledForm(boolean enabled) {
	}

}
