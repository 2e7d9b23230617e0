package io.hookway.portal.dashboard.access;

import java.time.Instant;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import reactor.core.publisher.Mono;

import io.hookway.core.id.IdKind;
import io.hookway.core.security.Caller;
import io.hookway.core.web.ApiProblem;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dashboard links (API.md §11): the operator makes one for any application, an
 * application for itself. The secret is in the URL fragment, which browsers never send,
 * so it reaches no server or proxy log.
 */
@RestController
@Tag(name = "dashboard")
class DashboardLinkController {

	private static final String LINK_MADE = "The link; it opens a session once, until expiresAt";

	private static final String NO_STORE = "no-store, among others: the link holds a secret";

	private final DashboardAccess access;

	DashboardLinkController(DashboardAccess access) {
		this.access = access;
	}

	@PostMapping("/v1/applications/{id}/dashboard-links")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createApplicationDashboardLink",
			summary = "Make a one-time dashboard link for an application (operator)",
			responses = @ApiResponse(responseCode = "201", description = LINK_MADE,
					headers = @Header(name = "Cache-Control", description = NO_STORE,
							schema = @Schema(type = "string"))))
	Mono<LinkView> forApplication(@PathVariable String id) {
		return IdKind.APPLICATION.parse(id)
			.map(this.access::newLink)
			.orElse(Mono.empty())
			.map(LinkView::of)
			.switchIfEmpty(Mono.error(() -> ApiProblem.notFound("There is no application " + id + ".")));
	}

	@PostMapping("/v1/dashboard-links")
	@ResponseStatus(HttpStatus.CREATED)
	@Operation(operationId = "createDashboardLink",
			summary = "Make a one-time dashboard link for the token's application",
			responses = @ApiResponse(responseCode = "201", description = LINK_MADE,
					headers = @Header(name = "Cache-Control", description = NO_STORE,
							schema = @Schema(type = "string"))))
	Mono<LinkView> forCaller(@AuthenticationPrincipal Jwt jwt) {
		return this.access.newLink(Caller.of(jwt).requireApplication())
			.map(LinkView::of)
			.switchIfEmpty(Mono.error(() -> ApiProblem.notFound("The application of this token does not exist.")));
	}

	record LinkView(
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED,
					example = "https://portal.example.com/dashboard/login#3q2-…") String url,
			@Schema(requiredMode = Schema.RequiredMode.REQUIRED) Instant expiresAt) {

		static LinkView of(DashboardAccess.Link link) {
			return new LinkView(link.url(), link.expiresAt());
		}

	}

}
