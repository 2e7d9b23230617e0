package io.hookway.portal.dashboard;

import reactor.core.publisher.Mono;

import io.hookway.core.web.ApiProblem;
import io.hookway.portal.dashboard.access.DashboardSession;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.reactive.result.view.Rendering;
import org.springframework.web.server.ServerWebExchange;

/**
 * What every signed-in page shows: the application's name, and the CSRF token that forms
 * carry as a hidden field and htmx as a header (set by an attribute, not by a script).
 */
@ControllerAdvice(annotations = DashboardPage.class)
class DashboardModel {

	@ModelAttribute("csrf")
	Mono<CsrfToken> csrf(ServerWebExchange exchange) {
		return token(exchange);
	}

	@ModelAttribute("csrfHeaders")
	Mono<String> csrfHeaders(ServerWebExchange exchange) {
		return headers(exchange);
	}

	@ModelAttribute("app")
	Mono<DashboardSession> application(ServerWebExchange exchange) {
		return session(exchange);
	}

	/**
	 * A refusal of the API's own code shown as a page with the same status: an id of
	 * another application is a 404 here as it is there.
	 */
	@ExceptionHandler(ApiProblem.class)
	Rendering problem(ApiProblem problem, ServerWebExchange exchange) {
		String detail = (problem.getBody().getDetail() != null) ? problem.getBody().getDetail() : "";
		return Rendering.view("dashboard/problem")
			.status(problem.getStatusCode())
			.modelAttribute("status", problem.getStatusCode().value())
			.modelAttribute("detail", detail)
			.modelAttribute("csrf", token(exchange))
			.modelAttribute("csrfHeaders", headers(exchange))
			.modelAttribute("app", session(exchange))
			.build();
	}

	static Mono<DashboardSession> session(ServerWebExchange exchange) {
		return exchange.getPrincipal()
			.filter(Authentication.class::isInstance)
			.map((principal) -> ((Authentication) principal).getPrincipal())
			.ofType(DashboardSession.class);
	}

	private static Mono<CsrfToken> token(ServerWebExchange exchange) {
		Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
		return (token != null) ? token : Mono.empty();
	}

	private static Mono<String> headers(ServerWebExchange exchange) {
		return token(exchange).map((token) -> "{\"" + token.getHeaderName() + "\":\"" + token.getToken() + "\"}");
	}

}
