package io.hookway.portal.dashboard.messages;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.hookway.portal.dashboard.DashboardPage;
import io.hookway.portal.dashboard.PrettyJson;
import io.hookway.portal.dashboard.access.DashboardSession;
import io.hookway.portal.message.MessageController;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.reactive.result.view.Rendering;

/** Messages with their payloads, through the handlers of {@code GET /v1/messages}. */
@Controller
@DashboardPage
class MessagePages {

	private final MessageController messages;

	private final PrettyJson pretty;

	MessagePages(MessageController messages, PrettyJson pretty) {
		this.messages = messages;
		this.pretty = pretty;
	}

	@GetMapping("/dashboard/messages")
	Mono<Rendering> list(@AuthenticationPrincipal DashboardSession session,
			@RequestParam(required = false) @Nullable String type,
			@RequestParam(required = false) @Nullable String cursor) {
		String chosen = (type != null && !type.isBlank()) ? type.strip() : null;
		return this.messages.list(session.asCaller(), chosen, null, null, "25", cursor)
			.map((page) -> Rendering.view("dashboard/messages/list")
				.modelAttribute("section", "messages")
				.modelAttribute("messages", page.data())
				.modelAttribute("nextCursor", (page.nextCursor() != null) ? page.nextCursor() : "")
				.modelAttribute("type", (chosen != null) ? chosen : "")
				.modelAttribute("pretty", this.pretty)
				.build());
	}

	@GetMapping("/dashboard/messages/{id}")
	Mono<Rendering> show(@AuthenticationPrincipal DashboardSession session, @PathVariable String id) {
		return this.messages.get(session.asCaller(), id)
			.map((detail) -> Rendering.view("dashboard/messages/show")
				.modelAttribute("section", "messages")
				.modelAttribute("message", detail.message())
				.modelAttribute("deliveries", detail.deliveries())
				.modelAttribute("payload", this.pretty.format(detail.message().data()))
				.build());
	}

}
